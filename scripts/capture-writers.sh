#!/usr/bin/env bash
# Measures what writing the pcap file costs `netmap capture`, and whether writing it on a writer
# thread (--writer thread) or on the receive thread (--writer inline) is faster, on a netmap host:
#
#   C pkt-gen tx -> netmap:P{1 | P}1 -> netmap capture -n FRAMES -w TARGET
#
# for TARGET = /dev/null (the write costs nothing: the loop's own cost), then a file in DIR with
# each writer, alternating for ROUNDS rounds. Prints the capture's rate (first frame to last).
#
# Usage (from the project root, after `dotnet build -c Release`):
#   scripts/capture-writers.sh [FRAMES] [ROUNDS] [DIR]
#   NMLAB_MEM=3G NMLAB_TIMEOUT=1200 "$LAB/run-in-guest.sh" "scripts/capture-writers.sh 4000000 3 /tmp"   (scripts/netmap-lab)
# Environment: NETMAP_BIN (netmap's C pkt-gen; default $LAB/bin, the netmap lab's), NETMAP_CLI (our tool).
set -euo pipefail
cd "$(dirname "$0")/.."

FRAMES=${1:-4000000}
ROUNDS=${2:-2}
DIR=${3:-/tmp}
# the lab of scripts/netmap-lab (an older lab in ~/.cache/netmap-vm when that one is not built)
LAB=${LAB:-$HOME/.cache/netmap-dynamic-lab}
[ -x "$LAB/run-in-guest.sh" ] || [ ! -x "$HOME/.cache/netmap-vm/run-in-guest.sh" ] || LAB=$HOME/.cache/netmap-vm
BIN=${NETMAP_BIN:-$LAB/bin}
CLI=${NETMAP_CLI:-dotnet Netmap.Dynamic.Cli/bin/Release/net10.0/netmap.dll}
trap 'kill $(jobs -p) 2>/dev/null || true; rm -f "$DIR"/capture-writers-*.pcap' EXIT
[ -e /dev/netmap ] || { echo "no /dev/netmap: run this on a netmap host (or in the netmap VM)" >&2; exit 3; }

# run NAME TARGET WRITER: prints the capture's Mpps.
run() {
  local p=$1 target=$2 writer=$3 cap tx out
  out=$(mktemp)
  $CLI capture -i "netmap:$p}1" -w "$target" -n "$FRAMES" --writer "$writer" --backend native --json --rate-interval 0 >"$out" 2>&1 &
  cap=$!
  sleep 2   # the .NET start-up; the rate is taken from the first frame on, so this only needs to be long enough
  "$BIN/pkt-gen" -i "netmap:$p{1" -f tx -l 60 >/dev/null 2>&1 &
  tx=$!
  wait "$cap" || { cat "$out" >&2; return 1; }
  kill "$tx" 2>/dev/null || true
  wait "$tx" 2>/dev/null || true
  sed -n 's/.*"mpps":\([0-9.]*\).*/\1/p' "$out"
  rm -f "$out"
  [ "$target" = /dev/null ] || rm -f "$target"
}

echo "| round | /dev/null (Mpps) | file, --writer inline (Mpps) | file, --writer thread (Mpps) |"
echo "|---:|---:|---:|---:|"
for round in $(seq "$ROUNDS"); do
  null=$(run "cn$round$$" /dev/null inline)
  inline=$(run "ci$round$$" "$DIR/capture-writers-i.pcap" inline)
  thread=$(run "ct$round$$" "$DIR/capture-writers-t.pcap" thread)
  echo "| $round | $null | $inline | $thread |"
done
echo
echo "$FRAMES frames of 60 bytes per run (about $((FRAMES * 76 / 1000000)) MB of pcap), files in $DIR, $(uname -r)"
