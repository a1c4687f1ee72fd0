#!/usr/bin/env bash
# build-lab.sh - build the netmap lab: a disposable QEMU guest running Linux 6.1 with netmap.ko and
# netmap's native NIC drivers (veth, virtio_net, e1000), built from netmap's sources.
#
#   NETMAP_SRC=<netmap git dir or tarball> scripts/netmap-lab/build-lab.sh [step ...]
#
# Steps (default: all, in this order; each is incremental, re-running one is cheap when nothing changed):
#   deps     apt-get install the build dependencies (Debian 12: linux-source-6.1, qemu-system-x86, ...)
#   kernel   Linux 6.1 from Debian's linux-source-6.1, a small config  -> $LAB/bzImage
#   netmap   netmap.ko and netmap's patched NIC drivers for that kernel  -> $LAB/modules/
#   apps     netmap's C tools: pkt-gen, vale-ctl, bridge, nmreplay, lb, dedup -> $LAB/bin/
#   guest    the guest's init, run-in-guest.sh and a static busybox      -> $LAB/
#   test     boots the guest once: netmap loaded, each NIC driver native, pkt-gen over a pipe
#
# Environment:
#   NETMAP_SRC     netmap's sources: a git directory (a clone or mirror of github.com/luigirizzo/netmap)
#                  or a tarball of them (.tar, .tar.gz, .tar.xz). NETMAP_GIT is accepted as well.
#   NETMAP_REF     the commit of a git directory to build (default: master, else HEAD)
#   LAB            where everything goes (default: ~/.cache/netmap-dynamic-lab)
#   NMLAB_DRIVERS  netmap's native drivers to build (default veth.c,virtio_net.c,e1000; empty: none,
#                  the guest then loads the kernel's own modules and netmap drives those NICs through
#                  its emulated "generic" adapter)
#   JOBS           parallel make jobs (default: the number of CPUs)
# Nothing of netmap is copied into this repository: its sources are unpacked under $LAB/src.
set -euo pipefail

LAB=${LAB:-${XDG_CACHE_HOME:-$HOME/.cache}/netmap-dynamic-lab}
JOBS=${JOBS:-$(nproc)}
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
KSRC_TAR=${KSRC_TAR:-/usr/src/linux-source-6.1.tar.xz}
NETMAP_SRC=${NETMAP_SRC:-${NETMAP_GIT:-}}
NETMAP_REF=${NETMAP_REF:-}
NM_APPS=pkt-gen,vale-ctl,bridge,nmreplay,lb,dedup
NM_DRIVERS=${NMLAB_DRIVERS-veth.c,virtio_net.c,e1000}
# the kernel modules of those NICs, in the order the guest loads them
NIC_MODULES="veth virtio_net e1000"

log() { printf '[netmap-lab %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# ---------------------------------------------------------------- deps
step_deps() {
    local pkgs="build-essential bc bison flex libelf-dev libssl-dev cpio kmod xz-utils patch
                qemu-system-x86 linux-source-6.1 git iproute2 util-linux"
    local p missing=""
    for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
    if [ -z "$missing" ]; then log "all packages present"; return 0; fi
    log "installing:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
}

# ---------------------------------------------------------------- kernel
# tinyconfig plus what the guest needs: 9p root over virtio, overlayfs, tmpfs, the syscalls .NET
# uses; the three NIC drivers as modules (netmap's patched builds replace them).
kernel_config() {
    local y="64BIT PRINTK BUG TTY SERIAL_8250 SERIAL_8250_CONSOLE
        BINFMT_ELF BINFMT_SCRIPT MODULES MODULE_UNLOAD
        PROC_FS PROC_SYSCTL SYSFS DEVTMPFS DEVTMPFS_MOUNT TMPFS TMPFS_XATTR TMPFS_POSIX_ACL
        OVERLAY_FS UNIX98_PTYS MAGIC_SYSRQ KALLSYMS PRINTK_TIME
        NET INET IPV6 UNIX PACKET NETDEVICES NET_CORE TUN DUMMY ETHERNET NET_VENDOR_INTEL
        NAMESPACES NET_NS UTS_NS IPC_NS
        PCI PCI_MSI VIRTIO_MENU VIRTIO VIRTIO_PCI VIRTIO_CONSOLE
        HW_RANDOM HW_RANDOM_VIRTIO
        NET_9P NET_9P_VIRTIO 9P_FS 9P_FS_POSIX_ACL
        FUTEX EPOLL EVENTFD SIGNALFD TIMERFD SHMEM AIO FILE_LOCKING POSIX_TIMERS
        MULTIUSER SYSVIPC POSIX_MQUEUE INOTIFY_USER FHANDLE ADVISE_SYSCALLS MEMBARRIER
        RSEQ CROSS_MEMORY_ATTACH
        SMP X86_MPPARSE X86_LOCAL_APIC X86_IO_APIC HPET_TIMER CPU_SUP_INTEL CPU_SUP_AMD
        HIGH_RES_TIMERS NO_HZ_IDLE KERNEL_GZIP CC_OPTIMIZE_FOR_PERFORMANCE SLUB
        ACPI NET_SCHED"
    local n="SLOB CC_OPTIMIZE_FOR_SIZE KERNEL_XZ MODULE_SIG MODVERSIONS RANDOMIZE_BASE
        SPECULATION_MITIGATIONS PAGE_TABLE_ISOLATION RETPOLINE HZ_PERIODIC
        VT VGA_CONSOLE INPUT SERIO HID"
    local m="VETH VIRTIO_NET E1000"
    local o
    for o in $y; do scripts/config --enable "$o"; done
    for o in $n; do scripts/config --disable "$o"; done
    for o in $m; do scripts/config --module "$o"; done
    scripts/config --set-val NR_CPUS 8 --set-str LOCALVERSION "-nmlab" --disable LOCALVERSION_AUTO
}

step_kernel() {
    local kdir=$LAB/src/linux
    mkdir -p "$LAB/src"
    if [ ! -f "$kdir/Makefile" ]; then
        [ -f "$KSRC_TAR" ] || { log "no $KSRC_TAR: run the deps step (linux-source-6.1)"; return 1; }
        log "unpacking $KSRC_TAR"
        rm -rf "$LAB/src/linux-source-6.1" "$kdir"
        tar -C "$LAB/src" -xf "$KSRC_TAR"
        mv "$LAB/src/linux-source-6.1" "$kdir"
    fi
    cd "$kdir"
    # the config is made in a scratch file and installed only when it changed, so that a re-run
    # does not rebuild the kernel
    cp -f .config .config.old-nmlab 2>/dev/null || true
    make -s ARCH=x86_64 tinyconfig
    kernel_config; make -s ARCH=x86_64 olddefconfig
    kernel_config; make -s ARCH=x86_64 olddefconfig   # options whose parents the first pass enabled
    if [ -f .config.old-nmlab ] && cmp -s .config .config.old-nmlab; then
        touch -r .config.old-nmlab .config             # unchanged: keep its time, nothing to rebuild
    fi
    rm -f .config.old-nmlab
    local o missing=""
    for o in 64BIT SMP SLUB ACPI MODULES NET NET_SCHED 9P_FS NET_9P_VIRTIO VIRTIO_PCI OVERLAY_FS TMPFS_XATTR \
             DEVTMPFS EPOLL FUTEX MEMBARRIER SERIAL_8250_CONSOLE; do
        grep -q "^CONFIG_$o=y" .config || missing="$missing $o"
    done
    for o in VETH VIRTIO_NET E1000; do
        grep -q "^CONFIG_$o=m" .config || missing="$missing $o(=m)"
    done
    [ -z "$missing" ] || { log "kernel config lacks:$missing"; return 1; }
    make -s ARCH=x86_64 -j"$JOBS" bzImage modules
    cp arch/x86/boot/bzImage "$LAB/.bzImage.tmp" && mv -f "$LAB/.bzImage.tmp" "$LAB/bzImage"
    make -s kernelrelease >"$LAB/kernel-release"
    log "kernel $(cat "$LAB/kernel-release") -> $LAB/bzImage"
}

# ---------------------------------------------------------------- netmap's sources
# $LAB/src/netmap: netmap's tree at the chosen commit (or the tarball's contents), unpacked afresh
# when the commit changes; $LAB/src/netmap-build: its out-of-tree build.
netmap_sources() {
    local nmdir=$LAB/src/netmap id
    [ -n "$NETMAP_SRC" ] || { log "set NETMAP_SRC to netmap's sources (a git dir or a tarball)"; return 1; }
    if [ -f "$NETMAP_SRC" ]; then
        id="tarball $(sha256sum "$NETMAP_SRC" | cut -c1-16) $(basename "$NETMAP_SRC")"
    else
        local ref=$NETMAP_REF
        if [ -z "$ref" ]; then
            ref=HEAD
            git --git-dir="$NETMAP_SRC" rev-parse -q --verify 'master^{commit}' >/dev/null && ref=master
        fi
        id=$(git --git-dir="$NETMAP_SRC" log -1 --format='%H %cs %s' "$ref^{commit}")
    fi
    if [ "$(cat "$nmdir/.nmlab-id" 2>/dev/null)" != "$id" ]; then
        log "netmap sources: $id"
        rm -rf "$nmdir" "$nmdir-build"
        mkdir -p "$nmdir"
        if [ -f "$NETMAP_SRC" ]; then
            tar -x -C "$nmdir" -f "$NETMAP_SRC"
            # a tarball with one top directory (netmap-master/...): use its contents
            local top; top=$(ls -A "$nmdir")
            if [ "$(echo "$top" | wc -l)" = 1 ] && [ -f "$nmdir/$top/LINUX/configure" ]; then
                mv "$nmdir/$top" "$nmdir.top" && rmdir "$nmdir" && mv "$nmdir.top" "$nmdir"
            fi
        else
            git --git-dir="$NETMAP_SRC" archive "${id%% *}" | tar -x -C "$nmdir"
        fi
        [ -f "$nmdir/LINUX/configure" ] || { log "$NETMAP_SRC does not hold netmap's sources (no LINUX/configure)"; return 1; }
        echo "$id" >"$nmdir/.nmlab-id"
    fi
    echo "$id" >"$LAB/netmap-rev"
}

# ---------------------------------------------------------------- netmap's driver patches
# netmap's build copies each driver's source from the kernel tree and applies its patch for the
# kernel's version (LINUX/final-patches/vanilla--<driver>--<from>--<to>). Debian's 6.1 carries
# backports that move code two of those patches anchor to; the functions below adapt the patch
# in the scratch tree ($LAB/src/netmap), never anything in this repository.
patch_for() { # patch_for DRIVER -> netmap's patch file selected for this kernel (as its configure does)
    local v; v=$(awk '/LINUX_VERSION_CODE/ { printf "%03x%02x", $3/256, $3%256 }' \
        "$LAB/src/linux/include/generated/uapi/linux/version.h")
    ls "$LAB/src/netmap/LINUX/final-patches/vanilla--$1--"* 2>/dev/null \
        | awk -v v="$v" -F -- '($3 != "*") && ($3 <= v"") && (v"" < $4)'
}
patch_applies() { # patch_applies PATCH KERNEL-FILE
    local t; t=$(mktemp -d)
    cp "$2" "$t/$(basename "$2")"
    (cd "$t" && patch --dry-run --force -p1 <"$1" >/dev/null 2>&1); local rc=$?
    rm -rf "$t"; return $rc
}

# veth: Debian's 6.1.192 has upstream 6.7's veth_alloc_queues() (veth_dev_init() is two lines);
# netmap's patch for 6.7 and later attaches there, so that is the patch for this source.
adapt_veth() { # adapt_veth PATCH
    local newer; newer=$(ls "$LAB/src/netmap/LINUX/final-patches/vanilla--veth.c--60700--"* 2>/dev/null | head -n 1)
    [ -n "$newer" ] && patch_applies "$newer" "$LAB/src/linux/drivers/net/veth.c" || return 1
    cp "$newer" "$1"
}

# virtio_net: Debian's 6.1.192 has the backport that starts virtnet_poll() with
#     if (budget)
#         virtqueue_disable_cb(rq->vq);
# before virtnet_poll_cleantx(rq, budget); netmap's hunk inserts its RX interrupt hook after the
# declarations, which are unchanged: the hunk keeps its insertion and gets this code as context.
adapt_virtio_net() { # adapt_virtio_net PATCH
    awk '
        /^@@ .*virtnet_poll\(struct napi_struct/ { inpoll = 1 }
        inpoll && /^@@/ && !/virtnet_poll\(struct napi_struct/ { inpoll = 0 }
        inpoll && $0 == " \tvirtnet_poll_cleantx(rq);"     { print " \tif (budget)"; next }
        inpoll && after_cleantx == 0 && $0 == " "  && seen_end { print " \t\tvirtqueue_disable_cb(rq->vq);"; after_cleantx = 1; next }
        inpoll && after_cleantx == 1 && /^ \treceived = virtnet_receive/ { print " "; after_cleantx = 2; next }
        inpoll && /^\+#endif/ { seen_end = 1 }
        { print }' "$1" >"$1.adapted"
    patch_applies "$1.adapted" "$LAB/src/linux/drivers/net/virtio_net.c" || { rm -f "$1.adapted"; return 1; }
    mv -f "$1.adapted" "$1"
}

adapt_driver_patches() {
    local d f p
    for d in ${NM_DRIVERS//,/ }; do
        case $d in *.c) ;; *) continue ;; esac        # e1000 (a directory) applies as it is
        f=$(find "$LAB/src/linux/drivers/net" -name "$d" -print -quit)
        p=$(patch_for "$d")
        [ -n "$f" ] && [ -n "$p" ] || continue
        patch_applies "$p" "$f" && continue
        if declare -F "adapt_${d%.c}" >/dev/null && "adapt_${d%.c}" "$p"; then
            log "$d: netmap's $(basename "$p") adapted to this kernel's source"
        else
            log "$d: netmap's $(basename "$p") does not apply to this kernel's source (the build disables the driver)"
        fi
    done
}

netmap_configure() {
    local b=$LAB/src/netmap-build want="$NM_APPS/$NM_DRIVERS"
    [ -f "$b/config.status" ] && [ -f "$b/netmap.mak" ] && [ "$(cat "$b/.nmlab-conf" 2>/dev/null)" = "$want" ] && return 0
    rm -rf "$b"; mkdir -p "$b"; cd "$b"
    local drivers=(--no-drivers)
    if [ -n "$NM_DRIVERS" ]; then
        adapt_driver_patches
        # --no-ext-drivers: patch the kernel's own virtio_net.c (netmap would download another one)
        drivers=(--drivers="$NM_DRIVERS" --no-ext-drivers --kernel-sources="$LAB/src/linux")
    fi
    "$LAB/src/netmap/LINUX/configure" --kernel-dir="$LAB/src/linux" "${drivers[@]}" \
        --apps="$NM_APPS" --no-utils >configure.out 2>&1 || { cat configure.out; return 1; }
    echo "$want" >.nmlab-conf
    grep -E "^(kernel|subsystems|apps|native drivers)" configure.out >&2 || true
}

# ---------------------------------------------------------------- netmap.ko and drivers
step_netmap() {
    [ -f "$LAB/bzImage" ] || { log "build the kernel first"; return 1; }
    netmap_sources
    netmap_configure
    cd "$LAB/src/netmap-build"
    make -j"$JOBS"
    local mods=$LAB/modules m f
    rm -rf "$mods.tmp"; mkdir -p "$mods.tmp"
    # no debug info: a smaller module loads faster over 9p
    strip --strip-debug -o "$mods.tmp/netmap.ko" netmap.ko
    : >"$mods.tmp/drivers.list"
    # what virtio_net needs from the kernel's own modules, loaded before it
    for m in failover net_failover; do
        f=$(find "$LAB/src/linux/net" "$LAB/src/linux/drivers/net" -name "$m.ko" -print -quit)
        [ -n "$f" ] || continue
        strip --strip-debug -o "$mods.tmp/$m.ko" "$f"; echo "$m.ko unpatched" >>"$mods.tmp/drivers.list"
    done
    # each NIC driver: netmap's patched build if there is one, else the kernel's own module
    for m in $NIC_MODULES; do
        f=$(find . -path ./netmap-tmpdir -prune -o -name "$m.ko" -print -quit)
        if [ -n "$f" ]; then
            echo "$m.ko native" >>"$mods.tmp/drivers.list"
        else
            f=$(find "$LAB/src/linux/drivers/net" -name "$m.ko" -print -quit)
            [ -n "$f" ] || continue
            echo "$m.ko unpatched" >>"$mods.tmp/drivers.list"
            [ -z "$NM_DRIVERS" ] || log "$m: no patched build; the guest loads the kernel's own module (generic adapter)"
        fi
        strip --strip-debug -o "$mods.tmp/$m.ko" "$f"
    done
    rm -rf "$mods.old"; [ ! -d "$mods" ] || mv "$mods" "$mods.old"
    mv "$mods.tmp" "$mods"; rm -rf "$mods.old"
    log "netmap.ko: $(modinfo -F vermagic "$mods/netmap.ko"); drivers: $(tr '\n' ',' <"$mods/drivers.list")"
}

# ---------------------------------------------------------------- apps
step_apps() {
    netmap_sources
    netmap_configure
    cd "$LAB/src/netmap-build"
    make -j"$JOBS" apps          # builds libnetmap.a first
    mkdir -p "$LAB/bin"
    local a
    for a in ${NM_APPS//,/ }; do cp "build-apps/$a/$a" "$LAB/bin/.$a.tmp" && mv -f "$LAB/bin/.$a.tmp" "$LAB/bin/$a"; done
    log "apps: $(ls "$LAB/bin" | tr '\n' ' ')"
}

# ---------------------------------------------------------------- guest files
step_guest() {
    mkdir -p "$LAB/bin" "$LAB/guest/rt" "$LAB/run"
    # a static busybox for the guest's init: Debian's busybox-static, unpacked into the lab
    # (nothing is installed on the host)
    if [ ! -x "$LAB/bin/busybox" ]; then
        local d=$LAB/src/busybox-static
        rm -rf "$d"; mkdir -p "$d"; chmod 0777 "$d"
        (cd "$d" && apt-get download -q busybox-static >/dev/null 2>&1) \
            || { apt-get update -qq && (cd "$d" && apt-get download -q busybox-static >/dev/null); }
        dpkg-deb -x "$d"/busybox-static_*.deb "$d/x"
        cp "$d/x/bin/busybox" "$LAB/bin/.busybox.tmp" && mv -f "$LAB/bin/.busybox.tmp" "$LAB/bin/busybox"
    fi
    "$LAB/bin/busybox" sh -c 'PATH=/nonexistent; true | cat' \
        || { log "busybox lacks the standalone shell"; return 1; }
    # new inodes (tmp + mv): guests that are running keep reading the old files
    sed "1s|^#!.*|#!$LAB/bin/busybox sh|" "$HERE/guest-init.sh" >"$LAB/.guest-init.sh.tmp"
    chmod 0755 "$LAB/.guest-init.sh.tmp" && mv -f "$LAB/.guest-init.sh.tmp" "$LAB/guest-init.sh"
    install -m 0755 "$HERE/run-in-guest.sh" "$LAB/.run-in-guest.sh.tmp"
    mv -f "$LAB/.run-in-guest.sh.tmp" "$LAB/run-in-guest.sh"
}

# ---------------------------------------------------------------- smoke test
step_test() {
    local r=$LAB/run-in-guest.sh t0
    cd "$LAB"
    t0=$(date +%s%N)
    "$r" "uname -r; ls -l /dev/netmap" || return 1
    log "boot + command + power-off: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
    "$r" "exit 7" && return 1
    [ $? -eq 7 ] || { log "the command's exit status is not passed through"; return 1; }
    # each NIC model, two of them wired together: which adapter netmap puts on each
    NMLAB_NICS="virtio e1000" "$r" 'ip -br link | grep -v "^lo"; dmesg | grep -E "netmap queues/slots|veth|virtio_net" | sed "s/^\[[ 0-9.]*\] //"' >&2 || true
    # netmap's pkt-gen over a pipe (the receiver first; over a pipe a receiver stopping at -n keeps
    # its last batch, so the sender is interrupted)
    NMLAB_TIMEOUT=180 "$r" 'bin/pkt-gen -i "netmap:p}1" -f rx -n 2000000 -l 60 >/tmp/rx.log 2>&1 & sleep 0.5
        bin/pkt-gen -i "netmap:p{1" -f tx -l 60 >/dev/null 2>&1 & TX=$!
        wait %1; kill -INT $TX; wait; grep -E "^(Received|Speed)" /tmp/rx.log' >&2 || true
}

main() {
    local steps="$*" s t0=$SECONDS
    [ -n "$steps" ] || steps="deps kernel netmap apps guest test"
    mkdir -p "$LAB"
    LAB=$(cd "$LAB" && pwd -P)
    for s in $steps; do
        declare -F "step_$s" >/dev/null || { log "unknown step $s"; exit 2; }
        local t=$SECONDS
        log "step $s"
        ( "step_$s" )
        log "step $s: done in $((SECONDS - t)) s"
    done
    log "all done in $((SECONDS - t0)) s; lab in $LAB"
}

[ "${BASH_SOURCE[0]}" != "$0" ] || main "$@"
