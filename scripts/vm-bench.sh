#!/usr/bin/env bash
# The netmap VM benchmark: netmap's own C pkt-gen, `netmap pkt-gen` run by the .NET runtime (JIT)
# and `netmap pkt-gen` published Native AOT, side by side on the same kernel, interleaved within
# each round. Reports per row and tool the median rate and CPU time per frame over the rounds,
# with their spread, and draws them as an SVG chart. See docs/performance.md, "netmap pkt-gen
# against netmap's C pkt-gen".
#
#   scripts/vm-bench.sh [--rounds N] [--frames N] [--rows LIST] [--no-write] [--no-build] [--here]
#
# Where it runs:
#   * on a machine without netmap: builds (Release, and the Native AOT tool), then runs itself
#     inside the netmap lab's VM with $LAB/run-in-guest.sh (LAB: the lab's directory, default
#     ~/.cache/netmap-dynamic-lab, see scripts/netmap-lab); NMLAB_TIMEOUT (default 3600 s) bounds
#     the whole run;
#   * on a netmap host, or inside the guest (/dev/netmap exists): runs the benchmark directly.
#     netmap's C pkt-gen is taken from $PKTGEN, else $LAB/bin/pkt-gen, else pkt-gen on PATH.
#
# Options:
#   --rounds N    rounds (default 5); in each round every row runs C, JIT and AOT once, in an
#                 order that rotates from round to round
#   --frames N    frames per run (default 10000000), 60-byte frames
#   --rows LIST   comma-separated subset of: vale-tx,pipe-to-c,pipe-from-c,vale-to-c,vale-from-c,vale-tx-p2
#                 (default: all but vale-tx-p2)
#   --variants L  comma-separated subset of c,jit,aot (default: all three)
#   --no-write    print the table, leave docs/ alone (default: the table goes into
#                 docs/performance.md between the vm-bench markers, the chart to docs/vm-bench.svg)
#   --no-build    do not build (the JIT build and artifacts/tool/linux-x64/netmap must exist)
#   --here        run here even without /dev/netmap (fails at the first netmap open)
#
# CPU time per frame: every measured process runs under scripts/cputime.py, which records the
# user + system time the kernel accounted to it (all its threads, start-up included) when it
# ends; divided by the frames that process sent or received.
# Every process runs in its own process group with a time limit; leftovers are stopped by group
# (SIGINT, then SIGTERM, then SIGKILL) before the next run; every command and its output is kept
# in artifacts/vm-bench/<time>/ with results.tsv, table.md and chart.svg.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The netmap lab (scripts/netmap-lab: built into ~/.cache/netmap-dynamic-lab by default), else
# an older lab at ~/.cache/netmap-vm.
if [ -z "${LAB:-}" ]; then
  LAB=$HOME/.cache/netmap-dynamic-lab
  [ -x "$LAB/run-in-guest.sh" ] || [ ! -x "$HOME/.cache/netmap-vm/run-in-guest.sh" ] || LAB=$HOME/.cache/netmap-vm
fi
ROUNDS=5
FRAMES=10000000
ROWS=vale-tx,pipe-to-c,pipe-from-c,vale-to-c,vale-from-c
VARIANTS=c,jit,aot
WRITE=1
BUILD=1
HERE=0
ARGS=("$@")

while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --frames) FRAMES=$2; shift 2 ;;
    --rows) ROWS=$2; shift 2 ;;
    --variants) VARIANTS=$2; shift 2 ;;
    --no-write) WRITE=0; shift ;;
    --no-build) BUILD=0; shift ;;
    --here) HERE=1; shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "vm-bench: unknown option $1 (--help lists them)" >&2; exit 2 ;;
  esac
done

build() {
  echo "vm-bench: building Release and the Native AOT tool for linux-x64" >&2
  (cd "$ROOT" && dotnet build -c Release Netmap.Dynamic.Cli >&2 \
    && dotnet tool restore >&2 && dotnet cake --target=PublishTool --rid=linux-x64 >&2)
}

# ---- on a machine without netmap: build here, run in the VM ---------------------------------
if [ ! -e /dev/netmap ] && [ "$HERE" = 0 ]; then
  RUN_IN_GUEST=$LAB/run-in-guest.sh
  if [ ! -x "$RUN_IN_GUEST" ]; then
    echo "vm-bench: no /dev/netmap here and no netmap lab at $LAB (build it: scripts/netmap-lab/README.md, or set LAB)" >&2
    exit 3
  fi
  [ "$BUILD" = 1 ] && build
  cd "$ROOT"
  guest_args=""
  for a in "${ARGS[@]}"; do guest_args+=" '${a//\'/\'\\\'\'}'"; done
  # The guest sees the host's files but not its shell set-up: name the interpreter itself.
  python=$(python3 -c 'import sys; print(sys.executable)')
  echo "vm-bench: running in the netmap VM" >&2
  NMLAB_TIMEOUT=${NMLAB_TIMEOUT:-3600} NMLAB_MEM=${NMLAB_MEM:-3G} \
    exec "$RUN_IN_GUEST" "LAB='$LAB' PYTHON='$python' scripts/vm-bench.sh --no-build --here$guest_args"
fi

# ---- on a netmap host (or in the guest) -------------------------------------------------------
[ "$BUILD" = 1 ] && build
PKTGEN=${PKTGEN:-}
if [ -z "$PKTGEN" ]; then
  if [ -x "$LAB/bin/pkt-gen" ]; then PKTGEN=$LAB/bin/pkt-gen; else PKTGEN=$(command -v pkt-gen || true); fi
fi
[ -x "$PKTGEN" ] || { echo "vm-bench: netmap's C pkt-gen not found (set PKTGEN)" >&2; exit 3; }
NETMAP_DLL=$ROOT/Netmap.Dynamic.Cli/bin/Release/net10.0/netmap.dll
NETMAP_AOT=$ROOT/artifacts/tool/linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')/netmap
PYTHON=${PYTHON:-python3}
CPUTIME="$PYTHON $ROOT/scripts/cputime.py"
for f in "$NETMAP_DLL" "$NETMAP_AOT"; do
  case "$f,$VARIANTS" in
    "$NETMAP_DLL",*jit*|"$NETMAP_AOT",*aot*) [ -f "$f" ] || { echo "vm-bench: $f is missing (build without --no-build, or see --help)" >&2; exit 3; } ;;
  esac
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
LOGS=$ROOT/artifacts/vm-bench/$STAMP
mkdir -p "$LOGS"
RESULTS=$LOGS/results.tsv
: > "$RESULTS"
RUN_LIMIT=$(( 300 + FRAMES / 20000 ))   # seconds one process may take: start-up in an emulated guest on a busy host takes minutes
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Process groups of the current measurement (each process starts its own with setsid, so its
# group id is its PID).
PIDS=()
alive() { local p; for p in "${PIDS[@]}"; do kill -0 -- "-$p" 2>/dev/null && return 0; done; return 1; }
cleanup() {
  local p sig i
  for sig in INT TERM KILL; do
    alive || break
    for p in "${PIDS[@]}"; do kill -"$sig" -- "-$p" 2>/dev/null || true; done
    for i in $(seq 50); do alive || break; nap 0.1; done   # up to 5 s to print its summary and exit
  done
  for p in "${PIDS[@]}"; do wait_for "$p" 10; done
  PIDS=()
}
trap cleanup EXIT INT TERM

# nap SECONDS: sleep without starting a process (a read that times out on a pipe nobody writes).
exec {NAP_FD}<> <(:)
nap() { read -rt "$1" -u "$NAP_FD" || true; }

SEQ=0
# start NAME COMMAND...: runs COMMAND under cputime.py in the background in its own process
# group, output to $LOGS/NAME.{out,err}, its CPU time to $LOGS/NAME.cpu when it ends.
start() {
  local name=$1; shift
  echo "$*" > "$LOGS/$name.cmd"
  # shellcheck disable=SC2086
  setsid $CPUTIME "$LOGS/$name.cpu" "$@" > "$LOGS/$name.out" 2> "$LOGS/$name.err" &
  PIDS+=($!)
  LAST_PID=$!
}

# wait_for PID SECONDS: waits until the process ends (the shell's own wait: a child that ended
# is known at once); after SECONDS a watchdog stops its group (SIGINT, then SIGKILL 5 s later),
# so this never waits longer than that.
wait_for() {
  local pid=$1 limit=$2 dog
  ( sleep "$limit"; kill -INT -- "-$pid" 2>/dev/null; sleep 5; kill -KILL -- "-$pid" 2>/dev/null ) &
  dog=$!
  wait "$pid" 2>/dev/null || true
  kill "$dog" 2>/dev/null || true
  wait "$dog" 2>/dev/null || true
}

# wait_ready PID: waits until the process group's netmap port is registered (a process of the
# group has netmap's region mapped): over VALE frames sent to a port that does not exist yet are
# dropped; over a pipe the receiver's start-up would count against its rate. False after 60 s.
# Reads /proc with shell builtins only: spawning a process per check is slow in an emulated guest.
wait_ready() {
  local group=$1 t=0 line maps
  while [ $t -lt 600 ]; do
    for maps in /proc/[0-9]*/maps; do
      [ -r "$maps" ] || continue
      local pid=${maps#/proc/}; pid=${pid%/maps}
      [ "$pid" = "$group" ] && continue
      local stat; read -r stat < "/proc/$pid/stat" 2>/dev/null || continue
      stat=${stat##*) }; read -r _ _ pgrp _ <<< "$stat"
      [ "$pgrp" = "$group" ] || continue
      while IFS= read -r line; do
        [[ $line == */dev/netmap* ]] && { nap 0.5; return 0; }   # the port is there; let its thread start
      done < "$maps"
    done
    kill -0 "$group" 2>/dev/null || return 1
    nap 0.05; t=$((t + 1))
  done
  return 1
}

# What each program's output says. netmap pkt-gen prints at exit
# "Sent|Received N packets B bytes E events S bytes each in T seconds."; `netmap pkt-gen --json`
# prints one JSON object with "sent", "received", "mpps".
c_rate()   { awk '/^(Sent|Received) [0-9]+ packets/ { for (i = 1; i <= NF; i++) if ($i == "in") t = $(i + 1); if (t > 0) printf "%.4f\n", $2 / t / 1e6 }' "$1" | tail -n 1; }
c_frames() { awk '/^(Sent|Received) [0-9]+ packets/ { print $2 }' "$1" | tail -n 1; }
json_field() { grep -o "\"$2\":[0-9.eE+-]*" "$1" | tail -n 1 | cut -d: -f2; }
rate_of()   { if [ "$2" = c ]; then c_rate "$1"; else json_field "$1" mpps; fi; }
frames_of() { if [ "$2" = c ]; then c_frames "$1"; else json_field "$1" "$3"; fi; }   # $3: sent|received
cpu_of()    { [ -s "$1" ] && awk '{ printf "%.6f\n", $1 + $2 }' "$1"; }

# The commands. $1 = variant (c, jit, aot), $2 = port spec.
ours() { if [ "$1" = aot ]; then echo "$NETMAP_AOT"; else echo "dotnet $NETMAP_DLL"; fi; }
tx_cmd() {   # $3: extra options
  if [ "$1" = c ]; then echo "$PKTGEN -i $2 -f tx -l 60 -n $FRAMES -w 0 ${3:-}"
  else echo "$(ours "$1") pkt-gen --backend native -f tx -i $2 -l 60 -n $FRAMES --json --rate-interval 0 ${3:-}"; fi
}
rx_n_cmd() {   # stops after FRAMES frames (pipes)
  if [ "$1" = c ]; then echo "$PKTGEN -i $2 -f rx -n $FRAMES -w 0"
  else echo "$(ours "$1") pkt-gen --backend native -f rx -i $2 -n $FRAMES --json --rate-interval 0"; fi
}
rx_w_cmd() {   # stops after 1 s of silence (VALE: frames the receiver had no room for are dropped)
  if [ "$1" = c ]; then echo "$PKTGEN -i $2 -f rx -W -w 0"
  else echo "$(ours "$1") pkt-gen --backend native -f rx -i $2 -W --json --rate-interval 0"; fi
}

# record ROW ROUND VARIANT RATE CPU FRAMES
record() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" "${5:-}" "${6:-}" >> "$RESULTS"
  local ns="—"
  [ -n "${5:-}" ] && [ -n "${6:-}" ] && [ "${6:-0}" != 0 ] && ns=$(awk -v c="$5" -v f="$6" 'BEGIN { printf "%.0f", c / f * 1e9 }')
  printf 'vm-bench: %-11s round %s %-3s %8s Mpps %6s ns/frame CPU\n' "$1" "$2" "$3" "${4:-failed}" "$ns" >&2
}

# alone ROW ROUND VARIANT COMMAND: one sender (TX into VALE with no receiver).
alone() {
  local row=$1 round=$2 variant=$3 cmd=$4 name
  SEQ=$((SEQ + 1)); name=$(printf '%03d-%s-%s-r%s' "$SEQ" "$row" "$variant" "$round")
  # shellcheck disable=SC2086
  start "$name" $cmd
  wait_for "$LAST_PID" "$RUN_LIMIT" || true
  cleanup
  record "$row" "$round" "$variant" "$(rate_of "$LOGS/$name.out" "$variant")" \
    "$(cpu_of "$LOGS/$name.cpu")" "$(frames_of "$LOGS/$name.out" "$variant" sent)"
}

# pair ROW ROUND VARIANT RX_CMD TX_CMD MEASURED RX_VARIANT TX_VARIANT: a receiver, then (once
# its port is registered) a sender. The rate is the receiver's; CPU and frames are those of the
# MEASURED side (rx or tx). Over a pipe the receiver stops at -n; a C sender then waits for ever
# for its last slots (netmap pkt-gen's habit) and is stopped. Over VALE the receiver stops after
# 1 s of silence (-W).
pair() {
  local row=$1 round=$2 variant=$3 rxcmd=$4 txcmd=$5 measured=$6 rxv=$7 txv=$8 name rxpid txpid mv
  SEQ=$((SEQ + 1)); name=$(printf '%03d-%s-%s-r%s' "$SEQ" "$row" "$variant" "$round")
  # shellcheck disable=SC2086
  start "$name.rx" $rxcmd; rxpid=$LAST_PID
  if ! wait_ready "$rxpid"; then
    echo "vm-bench: the receiver of $name did not register its port (see $LOGS/$name.rx.err)" >&2
  fi
  # shellcheck disable=SC2086
  start "$name.tx" $txcmd; txpid=$LAST_PID
  wait_for "$rxpid" "$RUN_LIMIT" || true
  wait_for "$txpid" 5 || true
  cleanup
  if [ "$measured" = rx ]; then mv=$rxv; else mv=$txv; fi
  record "$row" "$round" "$variant" "$(rate_of "$LOGS/$name.rx.out" "$rxv")" \
    "$(cpu_of "$LOGS/$name.$measured.cpu")" \
    "$(frames_of "$LOGS/$name.$measured.out" "$mv" "$([ "$measured" = rx ] && echo received || echo sent)")"
}

# run ROW ROUND VARIANT: one measurement. Fresh port names every run: nothing left over.
run() {
  local row=$1 r=$2 v=$3 u="$2$3$RANDOM"
  case "$row" in
    vale-tx)     alone "$row" "$r" "$v" "$(tx_cmd "$v" "vale$u:a")" ;;
    vale-tx-p2)  alone "$row" "$r" "$v" "$(tx_cmd "$v" "vale$u:a@conf:rings=2" "-p 2")" ;;
    pipe-to-c)   pair "$row" "$r" "$v" "$(rx_n_cmd c "netmap:p$u}1")" "$(tx_cmd "$v" "netmap:p$u{1")" tx c "$v" ;;
    pipe-from-c) pair "$row" "$r" "$v" "$(rx_n_cmd "$v" "netmap:p$u}1")" "$(tx_cmd c "netmap:p$u{1")" rx "$v" c ;;
    vale-to-c)   pair "$row" "$r" "$v" "$(rx_w_cmd c "vale$u:b")" "$(tx_cmd "$v" "vale$u:a")" tx c "$v" ;;
    vale-from-c) pair "$row" "$r" "$v" "$(rx_w_cmd "$v" "vale$u:b")" "$(tx_cmd c "vale$u:a")" rx "$v" c ;;
    *) echo "vm-bench: unknown row $row" >&2; exit 2 ;;
  esac
}

read -ra VARIANT_LIST <<< "${VARIANTS//,/ }"
echo "vm-bench: $ROUNDS rounds of $FRAMES 60-byte frames; rows $ROWS; variants $VARIANTS; logs in $LOGS" >&2
for r in $(seq 1 "$ROUNDS"); do
  for row in ${ROWS//,/ }; do
    n=${#VARIANT_LIST[@]}
    for k in $(seq 0 $((n - 1))); do   # the order rotates: each variant goes first in some round
      run "$row" "$r" "${VARIANT_LIST[$(((k + r - 1) % n))]}"
    done
  done
done

COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -qv '^??' && echo " (with uncommitted changes)" || true)
HEADER="$(date -u +%Y-%m-%d), commit $COMMIT$DIRTY: $ROUNDS rounds of $FRAMES 60-byte frames, $(nproc) CPUs, Linux $(uname -r)"
"$PYTHON" "$ROOT/scripts/vm-bench-report.py" "$RESULTS" "$LOGS/rows.md" "$LOGS/chart.svg" "$HEADER"
{
  echo "Measured $HEADER, by \`scripts/vm-bench.sh --rounds $ROUNDS --frames $FRAMES\`."
  echo "Each cell: median over the rounds (lowest–highest); ratios are ours / C of the same round,"
  echo "median (lowest–highest). CPU: user + system time of the measured process, start-up included."
  echo
  cat "$LOGS/rows.md"
} > "$LOGS/table.md"
cat "$LOGS/table.md"

if [ "$WRITE" = 1 ]; then
  DOC=$ROOT/docs/performance.md
  cp "$LOGS/chart.svg" "$ROOT/docs/vm-bench.svg"
  if grep -q '<!-- vm-bench:begin -->' "$DOC" && grep -q '<!-- vm-bench:end -->' "$DOC"; then
    awk -v table="$LOGS/table.md" '
      /<!-- vm-bench:begin -->/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
      /<!-- vm-bench:end -->/ { skip = 0 }
      !skip { print }
    ' "$DOC" > "$LOGS/performance.md" && cp "$LOGS/performance.md" "$DOC"
    echo "vm-bench: table written to docs/performance.md, chart to docs/vm-bench.svg" >&2
  else
    echo "vm-bench: docs/performance.md has no vm-bench markers; the table is in $LOGS/table.md" >&2
  fi
fi
