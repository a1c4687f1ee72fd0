#!/usr/bin/env bash
# The netmap VM benchmark (issue 12): netmap's own C pkt-gen, `netmap pkt-gen` and the library's
# thinnest C# loop side by side, in the same run, on the same kernel; writes the table with
# C#/C ratios into docs/performance.md (between the vm-bench markers). See docs/performance.md,
# "In the netmap VM".
#
#   scripts/vm-bench.sh [--rounds N] [--frames N] [--rows LIST] [--no-write] [--no-build] [--here]
#
# Where it runs:
#   * on a machine without netmap (this project's dev host): builds Release, then runs itself
#     inside the netmap lab's guest with $LAB/run-in-guest.sh (LAB defaults to
#     ~/.cache/netmap-dynamic-lab, see scripts/netmap-lab/README.md); NMLAB_TIMEOUT (default 2400 s) bounds the whole run;
#   * on a netmap host, or inside the guest (/dev/netmap exists): runs the benchmark directly
#     (build first with `dotnet build -c Release`, or let the script do it without --no-build).
#     netmap's C pkt-gen is taken from $PKTGEN, else $LAB/bin/pkt-gen, else pkt-gen on PATH.
#
# Options:
#   --rounds N    rounds of every row (default 2); each cell shows one value per round
#   --frames N    frames per run (default 8000000), 60-byte frames
#   --rows LIST   comma-separated subset of: vale-tx,vale-tx-p2,pipe-to-c,pipe-from-c,vale-to-c,vale-from-c,pipe-txrx
#   --no-write    print the table, leave docs/performance.md alone
#   --no-build    do not build (the binaries under */bin/Release must exist)
#   --here        run here even without /dev/netmap (fails at the first netmap open)
#
# Every process runs in its own process group with a time limit; a run's leftovers are stopped
# by group (SIGINT, then SIGKILL) before the next one;
# every command and its output is kept in artifacts/vm-bench/<time>/ for a look afterwards.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# the lab of scripts/netmap-lab (an older lab in ~/.cache/netmap-vm when that one is not built)
LAB=${LAB:-$HOME/.cache/netmap-dynamic-lab}
[ -x "$LAB/run-in-guest.sh" ] || [ ! -x "$HOME/.cache/netmap-vm/run-in-guest.sh" ] || LAB=$HOME/.cache/netmap-vm
ROUNDS=2
FRAMES=8000000
ROWS=vale-tx,vale-tx-p2,pipe-to-c,pipe-from-c,vale-to-c,vale-from-c,pipe-txrx
WRITE=1
BUILD=1
HERE=0
ARGS=("$@")

while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --frames) FRAMES=$2; shift 2 ;;
    --rows) ROWS=$2; shift 2 ;;
    --no-write) WRITE=0; shift ;;
    --no-build) BUILD=0; shift ;;
    --here) HERE=1; shift ;;
    -h|--help) sed -n '2,30p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "vm-bench: unknown option $1 (--help lists them)" >&2; exit 2 ;;
  esac
done

build() {
  echo "vm-bench: building Release (CLI and benchmarks)" >&2
  dotnet build -c Release "$ROOT/Netmap.Dynamic.Cli" >&2
  dotnet build -c Release "$ROOT/Netmap.Dynamic.Benchmarks" >&2
}

# ---- on a machine without netmap: build here, run in the VM ---------------------------------
if [ ! -e /dev/netmap ] && [ "$HERE" = 0 ]; then
  if [ ! -x "$LAB/run-in-guest.sh" ]; then
    echo "vm-bench: no /dev/netmap here and no VM at $LAB (build it with scripts/netmap-lab/build-lab.sh)" >&2
    exit 3
  fi
  [ "$BUILD" = 1 ] && build
  cd "$ROOT"
  guest_args=""
  for a in "${ARGS[@]}"; do guest_args+=" '${a//\'/\'\\\'\'}'"; done
  echo "vm-bench: running in the netmap VM ($LAB)" >&2
  NMLAB_TIMEOUT=${NMLAB_TIMEOUT:-2400} NMLAB_MEM=${NMLAB_MEM:-3G} \
    exec "$LAB/run-in-guest.sh" "scripts/vm-bench.sh --no-build --here$guest_args"
fi

# ---- on a netmap host (or in the guest) -------------------------------------------------------
[ "$BUILD" = 1 ] && build
PKTGEN=${PKTGEN:-}
if [ -z "$PKTGEN" ]; then
  if [ -x "$LAB/bin/pkt-gen" ]; then PKTGEN=$LAB/bin/pkt-gen; else PKTGEN=$(command -v pkt-gen || true); fi
fi
[ -x "$PKTGEN" ] || { echo "vm-bench: netmap's C pkt-gen not found (set PKTGEN)" >&2; exit 3; }
NETMAP_DLL=$ROOT/Netmap.Dynamic.Cli/bin/Release/net10.0/netmap.dll
BENCH_DLL=$ROOT/Netmap.Dynamic.Benchmarks/bin/Release/net10.0/Netmap.Dynamic.Benchmarks.dll
for f in "$NETMAP_DLL" "$BENCH_DLL"; do
  [ -f "$f" ] || { echo "vm-bench: $f is missing (dotnet build -c Release)" >&2; exit 3; }
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
LOGS=$ROOT/artifacts/vm-bench/$STAMP
mkdir -p "$LOGS"
RESULTS=$LOGS/results.tsv
: > "$RESULTS"
RUN_LIMIT=$(( 60 + FRAMES / 100000 ))    # seconds one process may take (0.1 Mpps would be a failure anyway)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Process groups of the current measurement (each process starts its own with setsid, so its
# group id is its PID): stopped with SIGINT (pkt-gen then prints its summary), killed after a
# grace period, on exit and before the next measurement.
PIDS=()
cleanup() {
  local p alive=0
  for p in "${PIDS[@]}"; do kill -INT -- "-$p" 2>/dev/null && alive=1; done
  if [ "$alive" = 1 ]; then
    sleep 1
    for p in "${PIDS[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
  fi
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
}
trap cleanup EXIT INT TERM

# nap SECONDS: sleep without starting a process (a read that times out on a pipe nobody writes).
exec {NAP_FD}<> <(:)
nap() { read -rt "$1" -u "$NAP_FD" || true; }

SEQ=0
# start NAME COMMAND...: runs COMMAND in the background in its own process group (setsid execs
# it in place, so $LAST_PID is the command itself), output to $LOGS/NAME.{out,err}. How long it
# may run is bounded by wait_for's limit and cleanup, which stops the whole group.
start() {
  local name=$1; shift
  echo "$*" > "$LOGS/$name.cmd"
  setsid "$@" > "$LOGS/$name.out" 2> "$LOGS/$name.err" &
  PIDS+=($!)
  LAST_PID=$!
}

# wait_for PID SECONDS: waits until the process ends; false when it is still running after SECONDS.
wait_for() {
  local pid=$1 limit=$2 t=0
  while kill -0 "$pid" 2>/dev/null; do
    [ "$t" -ge $((limit * 10)) ] && return 1
    nap 0.1; t=$((t + 1))
  done
  wait "$pid" 2>/dev/null || true
}

# wait_ready PID: waits until the process has netmap's region mapped, i.e. its port is registered (over VALE, frames sent to a port that does not exist yet are dropped; over a
# pipe, the receiver's start-up would count against its rate). False after 60 s.
# Reads /proc with shell builtins only: spawning a process per check is slow in an emulated guest.
wait_ready() {
  local pid=$1 t=0 line
  while [ $t -lt 600 ]; do
    if [ -r "/proc/$pid/maps" ]; then
      while IFS= read -r line; do
        [[ $line == */dev/netmap* ]] && { nap 0.5; return 0; }   # the port is there; let its thread start
      done < "/proc/$pid/maps"
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    nap 0.05; t=$((t + 1))
  done
  return 1
}

# Rates (Mpps) from each program's output; empty when the run produced none.
rate_c() {   # netmap pkt-gen: "Sent|Received N packets B bytes E events S bytes each in T seconds."
  awk '/^(Sent|Received) [0-9]+ packets/ { for (i = 1; i <= NF; i++) if ($i == "in") t = $(i + 1); if (t > 0) printf "%.3f\n", $2 / t / 1e6 }' "$1" | tail -n 1
}
rate_json() {   # netmap pkt-gen --json and the thin loop: "mpps":X
  grep -o '"mpps":[0-9.eE+-]*' "$1" | tail -n 1 | cut -d: -f2 | awk '{ printf "%.3f\n", $1 }'
}

# The commands of each side. $1 = port spec.
c_tx()    { echo "$PKTGEN -i $1 -f tx -l 60 -n $FRAMES -w 0"; }
c_rx_n()  { echo "$PKTGEN -i $1 -f rx -n $FRAMES -w 0"; }
c_rx_w()  { echo "$PKTGEN -i $1 -f rx -W -w 0"; }
cs_tx()   { echo "dotnet $NETMAP_DLL pkt-gen --backend native -f tx -i $1 -l 60 -n $FRAMES --json --rate-interval 0"; }
cs_rx_n() { echo "dotnet $NETMAP_DLL pkt-gen --backend native -f rx -i $1 -n $FRAMES --json --rate-interval 0"; }
cs_rx_w() { echo "dotnet $NETMAP_DLL pkt-gen --backend native -f rx -i $1 -W --json --rate-interval 0"; }
thin_tx() { echo "dotnet $BENCH_DLL thin tx $1 $FRAMES"; }
thin_rx_n() { echo "dotnet $BENCH_DLL thin rx $1 $FRAMES"; }
thin_rx_w() { echo "dotnet $BENCH_DLL thin rx $1 999999999999 --idle 1"; }

# record ROW ROUND VARIANT RATE
record() {
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >> "$RESULTS"
  printf 'vm-bench: %-12s round %s %-6s %s Mpps\n' "$1" "$2" "$3" "${4:-failed}" >&2
}

# alone ROW ROUND VARIANT RATEFN COMMAND: one process (TX into VALE with no receiver).
alone() {
  local row=$1 round=$2 variant=$3 ratefn=$4 cmd=$5 name
  SEQ=$((SEQ + 1)); name=$(printf '%03d-%s-%s-r%s' "$SEQ" "$row" "$variant" "$round")
  # shellcheck disable=SC2086
  start "$name" $cmd
  wait_for "$LAST_PID" "$RUN_LIMIT" || true
  cleanup
  record "$row" "$round" "$variant" "$($ratefn "$LOGS/$name.out")"
}

# pair ROW ROUND VARIANT RX_CMD TX_CMD RATE_AT RATEFN: a receiver, then (once its port is
# registered) a sender. Over a pipe the receiver stops at -n; a C sender then waits for ever for
# its last slots (netmap pkt-gen's habit), so it gets a few seconds and is then stopped. Over
# VALE the receiver stops after 1 s of silence (-W). RATE_AT: whose rate counts, rx or tx.
pair() {
  local row=$1 round=$2 variant=$3 rxcmd=$4 txcmd=$5 at=$6 ratefn=$7 name rxpid txpid
  SEQ=$((SEQ + 1)); name=$(printf '%03d-%s-%s-r%s' "$SEQ" "$row" "$variant" "$round")
  # shellcheck disable=SC2086
  start "$name.rx" $rxcmd; rxpid=$LAST_PID
  if ! wait_ready "$rxpid"; then
    echo "vm-bench: the receiver of $name did not register its port (see $LOGS/$name.rx.err)" >&2
  fi
  # shellcheck disable=SC2086
  start "$name.tx" $txcmd; txpid=$LAST_PID
  if [ "$at" = rx ]; then
    wait_for "$rxpid" "$RUN_LIMIT" || true
    wait_for "$txpid" 5 || true
  else
    wait_for "$txpid" "$RUN_LIMIT" || true
    wait_for "$rxpid" 5 || true
  fi
  cleanup
  record "$row" "$round" "$variant" "$($ratefn "$LOGS/$name.$at.out")"
}

run_row() {
  local row=$1 r=$2 u="$2$RANDOM"   # fresh port names every run: nothing left over from the last
  case "$row" in
    vale-tx)
      alone "$row" "$r" c rate_c "$(c_tx "vale${u}a:a")"
      alone "$row" "$r" cs rate_json "$(cs_tx "vale${u}b:a")"
      alone "$row" "$r" thin rate_json "$(thin_tx "vale${u}c:a")" ;;
    vale-tx-p2)
      alone "$row" "$r" c rate_c "$(c_tx "vale${u}a:a@conf:rings=2") -p 2"
      alone "$row" "$r" cs rate_json "$(cs_tx "vale${u}b:a@conf:rings=2") -p 2" ;;
    pipe-to-c)
      pair "$row" "$r" c "$(c_rx_n "netmap:pa$u}1")" "$(c_tx "netmap:pa$u{1")" rx rate_c
      pair "$row" "$r" cs "$(c_rx_n "netmap:pb$u}1")" "$(cs_tx "netmap:pb$u{1")" rx rate_c
      pair "$row" "$r" thin "$(c_rx_n "netmap:pc$u}1")" "$(thin_tx "netmap:pc$u{1")" rx rate_c ;;
    pipe-from-c)
      pair "$row" "$r" c "$(c_rx_n "netmap:pa$u}1")" "$(c_tx "netmap:pa$u{1")" rx rate_c
      pair "$row" "$r" cs "$(cs_rx_n "netmap:pb$u}1")" "$(c_tx "netmap:pb$u{1")" rx rate_json
      pair "$row" "$r" thin "$(thin_rx_n "netmap:pc$u}1")" "$(c_tx "netmap:pc$u{1")" rx rate_json ;;
    vale-to-c)
      pair "$row" "$r" c "$(c_rx_w "vale${u}a:b")" "$(c_tx "vale${u}a:a")" rx rate_c
      pair "$row" "$r" cs "$(c_rx_w "vale${u}b:b")" "$(cs_tx "vale${u}b:a")" rx rate_c
      pair "$row" "$r" thin "$(c_rx_w "vale${u}c:b")" "$(thin_tx "vale${u}c:a")" rx rate_c ;;
    vale-from-c)
      pair "$row" "$r" c "$(c_rx_w "vale${u}a:b")" "$(c_tx "vale${u}a:a")" rx rate_c
      pair "$row" "$r" cs "$(cs_rx_w "vale${u}b:b")" "$(c_tx "vale${u}b:a")" rx rate_json
      pair "$row" "$r" thin "$(thin_rx_w "vale${u}c:b")" "$(c_tx "vale${u}c:a")" rx rate_json ;;
    pipe-txrx)
      pair "$row" "$r" c "$(c_rx_n "netmap:pa$u}1")" "$(c_tx "netmap:pa$u{1")" rx rate_c
      alone "$row" "$r" cs rate_json "dotnet $NETMAP_DLL pkt-gen --backend native -f txrx -i netmap:pb$u{1 -l 60 -n $FRAMES --json --rate-interval 0" ;;
    *) echo "vm-bench: unknown row $row" >&2; exit 2 ;;
  esac
}

label() {
  case "$1" in
    vale-tx) echo "TX into a VALE port with no receiver (Mpps sent)" ;;
    vale-tx-p2) echo "the same, 2 threads on 2 rings (\`-p 2\`, \`@conf:rings=2\`)" ;;
    pipe-to-c) echo "pipe, sender → C receiver (Mpps received; C column: C → C)" ;;
    pipe-from-c) echo "pipe, C sender → receiver (Mpps received; C column: C → C)" ;;
    vale-to-c) echo "VALE port to port, sender → C receiver (Mpps received; C: C → C)" ;;
    vale-from-c) echo "VALE port to port, C sender → receiver (Mpps received; C: C → C)" ;;
    pipe-txrx) echo "pipe, both ends in one \`netmap pkt-gen\` (txrx, --verify; C column: C → C)" ;;
  esac
}

# The table: one value per round in each cell, ratios per round (C# / C of the same round).
table() {
  echo "| measurement | netmap C pkt-gen | \`netmap pkt-gen\` | ratio | thinnest C# loop | ratio |"
  echo "|---|---:|---:|---:|---:|---:|"
  local row
  for row in ${ROWS//,/ }; do
    awk -F '\t' -v row="$row" -v rounds="$ROUNDS" -v label="$(label "$row")" '
      $1 == row { v[$3, $2] = $4 }
      function cell(variant,   r, s, x) {
        s = ""
        for (r = 1; r <= rounds; r++) { x = ((variant, r) in v && v[variant, r] != "") ? sprintf("%.2f", v[variant, r]) : "—"; s = s (r > 1 ? " / " : "") x }
        return s
      }
      function ratio(variant,   r, s, x, c) {
        s = ""; any = 0
        for (r = 1; r <= rounds; r++) {
          c = v["c", r]; x = v[variant, r]
          if (c != "" && x != "" && c > 0) { s = s (r > 1 ? " / " : "") sprintf("**%.2f**", x / c); any = 1 } else s = s (r > 1 ? " / " : "") "—"
        }
        return any ? s : "—"
      }
      END { printf "| %s | %s | %s | %s | %s | %s |\n", label, cell("c"), cell("cs"), ratio("cs"), cell("thin"), ratio("thin") }
    ' "$RESULTS"
  done
}

echo "vm-bench: $ROUNDS round(s) of $FRAMES 60-byte frames; rows $ROWS; logs in $LOGS" >&2
for r in $(seq 1 "$ROUNDS"); do
  for row in ${ROWS//,/ }; do run_row "$row" "$r"; done
done

COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -qv '^??' && echo " (with uncommitted changes)" || true)
{
  echo "Measured $(date -u +%Y-%m-%d) at commit $COMMIT$DIRTY by \`scripts/vm-bench.sh\`: $ROUNDS rounds of"
  echo "$FRAMES 60-byte frames per run, $(nproc) CPUs, Linux $(uname -r); one value per round in each cell,"
  echo "ratio = C# / C of the same round (target: \`netmap pkt-gen\` ≥ 0.90, thinnest loop ≥ 0.95)."
  echo
  table
} > "$LOGS/table.md"
cat "$LOGS/table.md"

if [ "$WRITE" = 1 ]; then
  DOC=$ROOT/docs/performance.md
  if grep -q '<!-- vm-bench:begin -->' "$DOC" && grep -q '<!-- vm-bench:end -->' "$DOC"; then
    awk -v table="$LOGS/table.md" '
      /<!-- vm-bench:begin -->/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
      /<!-- vm-bench:end -->/ { skip = 0 }
      !skip { print }
    ' "$DOC" > "$LOGS/performance.md" && cp "$LOGS/performance.md" "$DOC"
    echo "vm-bench: table written to docs/performance.md" >&2
  else
    echo "vm-bench: docs/performance.md has no vm-bench markers; the table is in $LOGS/table.md" >&2
  fi
fi
