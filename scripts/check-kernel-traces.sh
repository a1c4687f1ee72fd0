#!/usr/bin/env bash
# Replays the kernel's recorded traces on the fake backend: runs the shared `kernel-traces/check`
# (next to this repository, in ../shared) on a copy of it whose difftrace program is adapted to
# this library's ring API, where slot positions and counts are int (the recorder was written when
# they were uint; the adaptation changes only declared types and casts, not what it does or prints).
# Usage, from the repository root:  scripts/check-kernel-traces.sh [SEED...]   (exit 0: identical)
set -eu
traces=${KERNEL_TRACES:-../shared/kernel-traces}
[ -x "$traces/check" ] || { echo "no $traces/check (set KERNEL_TRACES to the kernel-traces folder)"; exit 2; }
copy=$(mktemp -d); trap 'rm -rf "$copy"' EXIT
cp -r "$traces/." "$copy/"
chmod -R u+w "$copy"
perl -i -pe '
  s/\(uint\)count\)/(int)count)/;
  s/SetCur\(\(uint\)cur\)/SetCur((int)cur)/;
  s/for \(uint s = 0;/for (int s = 0;/;
  if (/^\s*uint \w+ = [\w.]+\.(Head|Space|BufferSize|Tail|Cur)\b/) { s/^(\s*)uint /$1int / }
' "$copy/difftrace/Program.cs"
"$copy/check" "$@"
