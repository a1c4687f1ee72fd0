#!/usr/bin/env bash
# run-in-guest.sh "COMMAND" - boot the netmap lab's guest, run COMMAND in it (sh -c, as root, in
# the current directory) and exit with its status. build-lab.sh installs this file as
# $LAB/run-in-guest.sh; run that copy (it finds the lab next to itself).
#
# The guest: Linux 6.1 under QEMU (TCG, no KVM needed) with netmap.ko and netmap's NIC drivers
# loaded (/dev/netmap); the host's / read-only under a throw-away tmpfs overlay (so the host's
# dotnet, gcc, ... run there); the current directory, its parent and the lab mounted read-write
# at the same paths; /tmp a tmpfs; lo up, no other network. The command's output comes out on
# stdout. Exit status: the command's; 124 when NMLAB_TIMEOUT passed; 125 when the guest failed.
#
# Environment:
#   NMLAB_MEM (4G)  NMLAB_SMP (2)  NMLAB_TIMEOUT (seconds; default: none)
#   NMLAB_NICS="virtio e1000"  NIC pairs: two NICs of each model named (virtio = virtio-net-pci,
#                  e1000, or any QEMU NIC model), each pair wired together through a QEMU hub of
#                  its own. In the guest they are named vio0/vio1, e1k0/e1k1 (other models:
#                  nic<N>a/nic<N>b) and NMLAB_NIC_PAIRS lists them ("vio0:vio1 e1k0:e1k1").
#   NMLAB_ENV="VAR ..."   host variables to pass (PATH, LANG, LC_*, TZ, DOTNET_*, NUGET_*,
#                  MSBUILD*, NETMAP_*, ASPNETCORE_* always are)
#   NMLAB_SHARES="/a /b"  more host directories to mount read-write at the same paths
#   NMLAB_NETMAP_ARGS     netmap.ko parameters (e.g. "admode=2": every NIC on the generic adapter)
#   NMLAB_APPEND          more kernel command line
#   NMLAB_DEBUG=1         kernel messages on the console; keep the run directory
set -u
LAB=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
if [ $# -ne 1 ]; then
    echo "usage: $0 \"COMMAND\"" >&2
    exit 2
fi
[ -f "$LAB/bzImage" ] && [ -x "$LAB/guest-init.sh" ] \
    || { echo "run-in-guest: $LAB is not a built lab (run build-lab.sh)" >&2; exit 125; }
CWD=$(pwd -P)

mkdir -p "$LAB/run"
RUN=$(mktemp -d "$LAB/run/r.XXXXXX") || exit 125
cleanup() { [ -n "${NMLAB_DEBUG:-}" ] || rm -rf "$RUN"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- NICs: two of each model asked for, back to back on a hub of their own
declare -a qargs=()
pairs=""
hub=0
: >"$RUN/nics"
for model in ${NMLAB_NICS:-}; do
    case $model in
        virtio|virtio-net|virtio-net-pci) model=virtio-net-pci; name=vio ;;
        e1000) name=e1k ;;
        *) name=nic$hub ;;
    esac
    for end in 0 1; do
        mac=$(printf '52:54:00:4e:%02x:%02x' "$hub" "$((end + 1))")
        qargs+=(-netdev "hubport,id=h${hub}p$end,hubid=$hub" -device "$model,netdev=h${hub}p$end,mac=$mac")
        echo "$mac $name$end" >>"$RUN/nics"
    done
    pairs="$pairs ${name}0:${name}1"
    hub=$((hub + 1))
done
export NMLAB_NIC_PAIRS=${pairs# }

printf '%s' "$1" >"$RUN/cmd"
printf '%s' "$CWD" >"$RUN/cwd"
printf '%s' "${NMLAB_NETMAP_ARGS:-}" >"$RUN/netmap-args"

# ---- environment for the command
quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
{
    for v in $(compgen -e); do
        case $v in
            PATH|LANG|LC_*|TZ|DOTNET_*|NUGET_*|MSBUILD*|NETMAP_*|ASPNETCORE_*|NMLAB_NIC_PAIRS) ;;
            *) case " ${NMLAB_ENV:-} " in *" $v "*) ;; *) continue ;; esac ;;
        esac
        printf 'export %s=%s\n' "$v" "$(quote "${!v}")"
    done
} >"$RUN/env"

# ---- 9p shares: the lab, the current directory and its parent, extra ones; nested ones dropped
declare -a shares=()
for d in "$LAB" "$(dirname "$CWD")" "$CWD" ${NMLAB_SHARES:-}; do
    [ -d "$d" ] || continue
    d=$(cd "$d" && pwd -P)
    [ "$d" = / ] || shares+=("$d")       # / is there already (the overlay's lower layer)
done
mapfile -t shares < <(printf '%s\n' "${shares[@]}" | awk '!seen[$0]++ { print length($0) "\t" $0 }' | sort -n | cut -f2-)
declare -a keep=()
for d in "${shares[@]}"; do
    nested=
    for k in "${keep[@]}"; do case "$d/" in "$k"/*) nested=1 ;; esac; done
    [ -n "$nested" ] || keep+=("$d")
done
i=0
: >"$RUN/mounts"
for d in "${keep[@]}"; do
    qargs+=(-fsdev "local,id=fs$i,path=$d,security_model=passthrough,multidevs=remap"
            -device "virtio-9p-pci,fsdev=fs$i,mount_tag=nm$i")
    echo "nm$i $d" >>"$RUN/mounts"
    i=$((i + 1))
done

if [ -n "${NMLAB_DEBUG:-}" ]; then klog="loglevel=7 nmlab_debug=1"; else klog="loglevel=1 quiet"; fi
append="root=nmroot rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose ro"
append="$append console=ttyS0 $klog init=$LAB/guest-init.sh nmlab_run=$RUN"
append="$append tsc=reliable mitigations=off acpi=noirq panic=-1 random.trust_cpu=on ${NMLAB_APPEND:-}"

timeout_cmd=()
[ -n "${NMLAB_TIMEOUT:-}" ] && timeout_cmd=(timeout -k 5 "$NMLAB_TIMEOUT")

"${timeout_cmd[@]}" qemu-system-x86_64 \
    -nodefaults -no-user-config -M pc -accel tcg,thread=multi -cpu max \
    -smp "${NMLAB_SMP:-2}" -m "${NMLAB_MEM:-4G}" \
    -display none -monitor none -serial stdio -no-reboot \
    -kernel "$LAB/bzImage" -append "$append" \
    -fsdev local,id=fsroot,path=/,security_model=passthrough,readonly=on,multidevs=remap \
    -device virtio-9p-pci,fsdev=fsroot,mount_tag=nmroot \
    "${qargs[@]}" \
    -device virtio-rng-pci \
    </dev/null
qrc=$?

if [ -s "$RUN/rc" ]; then
    exit "$(cat "$RUN/rc")"
fi
if [ -n "${NMLAB_TIMEOUT:-}" ] && [ "$qrc" -eq 124 ]; then
    echo "run-in-guest: timed out after $NMLAB_TIMEOUT s" >&2
    exit 124
fi
echo "run-in-guest: the guest did not report an exit status (qemu exit $qrc)" >&2
exit 125
