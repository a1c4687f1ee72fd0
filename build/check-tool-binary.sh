#!/bin/sh
# check-tool-binary.sh FILE MACHINE: checks a single-file netmap tool (dotnet cake -target=PublishTool)
#   - `file` sees a 64-bit ELF executable;
#   - readelf: its machine is MACHINE (a word of readelf's "Machine:" line: X86-64, AArch64);
#   - it needs no libnetmap_shim (the shim is linked in) and no .NET runtime library;
#   - it exports every function of the shim's export list (shim/nmshim.map), which the loader
#     finds in the executable.
# readelf reads any architecture's ELF, so the cross-linked arm64 binary is checked on the host.
set -eu
file=$1 machine=$2
map=$(dirname "$0")/../shim/nmshim.map
fail() { echo "check-tool-binary: $file: $*" >&2; exit 1; }

command -v readelf >/dev/null 2>&1 || fail "readelf not found (install binutils)"
command -v file >/dev/null 2>&1 || fail "file not found (install file)"
[ -f "$file" ] || fail "no such file"
[ -x "$file" ] || fail "not executable"

description=$(file -b "$file")
case "$description" in
  "ELF 64-bit LSB pie executable"*|"ELF 64-bit LSB executable"*) ;;
  *) fail "file says: $description" ;;
esac
readelf -h "$file" | grep 'Machine:' | grep -qw -- "$machine" \
    || fail "machine is '$(readelf -h "$file" | sed -n 's/^ *Machine: *//p')', expected $machine"

needed=$(readelf -d "$file" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
case " $needed " in
  *libnetmap_shim*|*libcoreclr*|*libhostfxr*|*libclrjit*) fail "needs $needed" ;;
esac

expected=$(sed -n '/global:/,/local:/p' "$map" | sed -n 's/^[[:space:]]*\([a-z_0-9]*\);.*/\1/p' | sort)
exported=$(readelf --dyn-syms -W "$file" | awk '$4 == "FUNC" && $5 == "GLOBAL" && $7 != "UND" { sub(/@.*/, "", $8); print $8 }' | sort)
missing=$(printf '%s\n' "$expected" | while read -r name; do printf '%s\n' "$exported" | grep -qx "$name" || echo "$name"; done)
[ -z "$missing" ] || fail "does not export the shim's $(echo $missing)"
echo "check-tool-binary: $file: $description"
echo "check-tool-binary: $machine, needs only: $needed; exports the shim's $(echo "$expected" | wc -l) functions"
