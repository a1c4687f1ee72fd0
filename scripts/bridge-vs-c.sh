#!/usr/bin/env bash
# Compares `netmap bridge` with netmap's own C `bridge` on a netmap host, side by side in one run:
#
#   C pkt-gen tx -> netmap:P{1 | P}1 -> BRIDGE -> P{2 | netmap:P}2 -> C pkt-gen rx -n FRAMES
#
# BRIDGE is netmap's C bridge, then `netmap bridge`, alternating for ROUNDS rounds, each on pipes
# of a fresh parent name (P) so no run sees another's frames. The rate is what the C receiver
# reports (frames / seconds from its first frame to its last), so both bridges are measured by
# the same C code. Pipes of one parent share memory, so both bridges swap buffers (zero copy).
#
# Usage (from the project root, after `dotnet build -c Release`):
#   scripts/bridge-vs-c.sh [FRAMES] [ROUNDS]                  on a netmap host, as root
#   NMLAB_MEM=3G NMLAB_TIMEOUT=1200 "$LAB/run-in-guest.sh" "scripts/bridge-vs-c.sh 8000000 3"   (scripts/netmap-lab)
# Environment: NETMAP_BIN (netmap's C tools: pkt-gen, bridge; default $LAB/bin, the netmap lab's),
#              NETMAP_CLI (how to run our tool; default: dotnet Netmap.Dynamic.Cli/bin/Release/net10.0/netmap.dll),
#              BRIDGE_ARGS (extra options for `netmap bridge`, e.g. "--batch 512").
# Prints one line per run and a summary table (Markdown) with the ratio .NET / C per round.
set -euo pipefail
cd "$(dirname "$0")/.."

FRAMES=${1:-8000000}
ROUNDS=${2:-2}
# the lab of scripts/netmap-lab (an older lab in ~/.cache/netmap-vm when that one is not built)
LAB=${LAB:-$HOME/.cache/netmap-dynamic-lab}
[ -x "$LAB/run-in-guest.sh" ] || [ ! -x "$HOME/.cache/netmap-vm/run-in-guest.sh" ] || LAB=$HOME/.cache/netmap-vm
BIN=${NETMAP_BIN:-$LAB/bin}
CLI=${NETMAP_CLI:-dotnet Netmap.Dynamic.Cli/bin/Release/net10.0/netmap.dll}
WORK=$(mktemp -d /tmp/bridge-vs-c.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

for tool in pkt-gen bridge; do
  [ -x "$BIN/$tool" ] || { echo "missing $BIN/$tool (set NETMAP_BIN)" >&2; exit 2; }
done
[ -e /dev/netmap ] || { echo "no /dev/netmap: run this on a netmap host (or in the netmap VM)" >&2; exit 3; }

# Waits (at most 60 s) until FILE contains PATTERN.
wait_for() {
  local file=$1 pattern=$2 i
  for i in $(seq 600); do
    grep -q "$pattern" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "timed out waiting for '$pattern' in $file:" >&2; cat "$file" >&2; return 1
}

# run KIND PARENT: prints the receiver's rate in Mpps.
run() {
  local kind=$1 p=$2 rx br tx
  "$BIN/pkt-gen" -i "netmap:$p}2" -f rx -n "$FRAMES" -l 60 >"$WORK/$p.rx" 2>&1 &
  rx=$!
  if [ "$kind" = c ]; then
    "$BIN/bridge" -w 0 -i "netmap:$p}1" -i "netmap:$p{2" >"$WORK/$p.br" 2>&1 &
    br=$!
    wait_for "$WORK/$p.br" "Ready to go"
  else
    # shellcheck disable=SC2086
    $CLI bridge "netmap:$p}1" "netmap:$p{2" --backend native --rate-interval 0 ${BRIDGE_ARGS:-} >"$WORK/$p.br" 2>&1 &
    br=$!
    wait_for "$WORK/$p.br" "forwarding"
  fi
  "$BIN/pkt-gen" -i "netmap:$p{1" -f tx -l 60 >"$WORK/$p.tx" 2>&1 &
  tx=$!
  wait "$rx" || true
  # The C sender waits for ever on a pipe whose reader stopped: stop it, then the bridge. SIGTERM,
  # not SIGINT: a non-interactive shell starts background jobs with SIGINT ignored, and .NET keeps
  # a signal ignored that it inherited ignored (netmap's bridge installs its handler regardless).
  kill "$tx" 2>/dev/null || true
  kill -TERM "$br" 2>/dev/null || true
  wait "$tx" "$br" 2>/dev/null || true
  # "Received N packets B bytes E events S bytes each in T seconds."
  awk '/^Received [0-9]+ packets/ { for (i = 1; i <= NF; i++) if ($i == "in") printf "%.3f\n", $2 / $(i + 1) / 1e6 }' "$WORK/$p.rx" | tail -n 1
}

declare -a C_RATES NET_RATES
for round in $(seq "$ROUNDS"); do
  c=$(run c "bc$round$$")
  n=$(run net "bn$round$$")
  [ -n "$c" ] && [ -n "$n" ] || { echo "round $round: a run reported no rate; logs in $WORK" >&2; trap - EXIT; exit 1; }
  echo "round $round: C bridge $c Mpps, netmap bridge $n Mpps" >&2
  C_RATES+=("$c"); NET_RATES+=("$n")
done

echo "| round | C \`bridge\` (Mpps) | \`netmap bridge\` (Mpps) | ratio |"
echo "|---:|---:|---:|---:|"
for i in "${!C_RATES[@]}"; do
  awk -v r=$((i + 1)) -v c="${C_RATES[$i]}" -v n="${NET_RATES[$i]}" 'BEGIN { printf "| %d | %.3f | %.3f | %.2f× |\n", r, c, n, n / c }'
done
echo
echo "$FRAMES frames of 60 bytes per run, C pkt-gen tx -> pipe -> bridge -> pipe -> C pkt-gen rx, $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ)"
