#!/bin/busybox sh
# guest-init.sh - PID 1 of the netmap lab's guest (booted by run-in-guest.sh).
#
# build-lab.sh installs this as $LAB/guest-init.sh with its first line pointing at
# $LAB/bin/busybox: a static busybox whose shell runs its applets without exec, so init takes
# ~0.3 s instead of ~3 s of dynamic binaries under TCG.
#
# The kernel mounts the host's / (9p tag "nmroot") read-only as the root and runs this script.
# Stage 1 puts a tmpfs overlay over it and pivots into the overlay; stage 2 mounts proc, sys, dev,
# tmp and the read-write 9p shares, loads netmap.ko and the NIC drivers, names the NICs, runs the
# command with the host's /bin/sh and powers off (QEMU runs with -no-reboot). The run directory
# (kernel parameter nmlab_run=) holds what run-in-guest.sh wrote:
#   cmd  the command (sh -c)   cwd  where to run it   env  shell lines sourced before it
#   mounts  "tag path" per 9p share   nics  "mac name" per NIC   netmap-args  netmap.ko parameters
#   rc   written here: the command's exit status
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
LAB=${0%/*}
RT=$LAB/guest/rt
# busybox's shell runs most applets by re-executing /proc/self/exe: until /proc is mounted (and
# right after pivot_root) busybox is called by its path
BB=$LAB/bin/busybox

mark() {  # boot-time trace with NMLAB_DEBUG=1
    [ -n "${nmlab_debug:-}" ] || return 0
    read -r up _ </proc/uptime && echo "[guest-init $up] $*" >&2
}
bye() {
    sync
    echo 0 >/proc/sys/kernel/printk 2>/dev/null  # no "reboot: Restarting system"
    reboot -f
}
die() {
    echo "guest-init: $*" >&2
    bye
}

if [ "$1" != stage2 ]; then
    # ---- stage 1: the read-only 9p root
    "$BB" mount -t proc proc /proc || die "mount proc"
    mark "stage 1"
    mount -t tmpfs -o mode=0755 nmlab-rt "$RT" || die "mount tmpfs on $RT"
    mkdir "$RT/upper" "$RT/work" "$RT/root"
    mount -t overlay -o "lowerdir=/,upperdir=$RT/upper,workdir=$RT/work" overlay "$RT/root" \
        || die "mount overlay"
    cd "$RT/root" || die "cd newroot"
    # the old root goes to the (empty, read-only) $RT directory of the new root
    pivot_root . "./${RT#/}" || die "pivot_root"
    exec "$BB" chroot . "$0" stage2
fi

# ---- stage 2: on the overlay
"$BB" mount -t proc proc /proc
umount -l "$RT" 2>/dev/null      # the old 9p root (the overlay keeps what it needs)
mark "stage 2"
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=0755 tmpfs /run
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
mkdir -p /run/lock /run/nmlab

# what the run needs from the lab, copied before a tmpfs /tmp may hide it
RUN=${nmlab_run:-}
[ -n "$RUN" ] && [ -d "$RUN" ] || die "no run directory (nmlab_run=$RUN)"
cp "$RUN/cmd" "$RUN/cwd" "$RUN/env" "$RUN/mounts" "$RUN/nics" "$RUN/netmap-args" /run/nmlab/ \
    || die "cannot read $RUN"
mount -t tmpfs -o mode=1777 tmpfs /tmp
mark "mount 9p shares"
# the read-write shares, parents first; cache=mmap writes through at once, so files survive a
# guest that is killed
while read -r tag path; do
    [ -n "$tag" ] || continue
    mkdir -p "$path"
    mount -t 9p -o "trans=virtio,version=9p2000.L,msize=512000,cache=mmap" "$tag" "$path" \
        || die "mount 9p $tag on $path"
done </run/nmlab/mounts
[ -d "$RUN" ] || die "run directory $RUN not on a shared folder"
# the guest's clock comes from the CMOS RTC in whole seconds; take the host's time (ns) from the
# mtime of a file the 9p server creates now
: >"$RUN/clock" && /bin/date -s "@$(/bin/date -r "$RUN/clock" +%s.%N)" >/dev/null
mark "clock set"

ip link set lo up
hostname nmlab
insmod "$LAB/modules/netmap.ko" $(cat /run/nmlab/netmap-args) || die "insmod netmap.ko"
[ -c /dev/netmap ] || die "/dev/netmap missing"
# the NIC drivers after netmap.ko: netmap's patched builds (or the kernel's own where netmap's
# patch did not apply), in the order build-lab.sh listed them
while read -r m _; do
    [ -n "$m" ] || continue
    insmod "$LAB/modules/$m" || die "insmod $m"
done <"$LAB/modules/drivers.list"
# the NICs by the names run-in-guest.sh gave them (matched by MAC), up, no addresses
while read -r mac name; do
    [ -n "$mac" ] || continue
    for d in /sys/class/net/*; do
        [ "$(cat "$d/address" 2>/dev/null)" = "$mac" ] || continue
        ip link set "${d##*/}" name "$name" && ip link set "$name" up || die "cannot set up NIC $name ($mac)"
    done
done </run/nmlab/nics
mark "netmap loaded"

# the console: no \n -> \r\n, no echo
stty -opost -echo 2>/dev/null

# a clean environment, then the host-provided one
for v in $(env | sed -n 's/^\([A-Za-z_][A-Za-z_0-9]*\)=.*/\1/p'); do
    case $v in PATH) ;; *) unset "$v" 2>/dev/null ;; esac
done
export HOME=/root USER=root LOGNAME=root SHELL=/bin/sh TERM=dumb LANG=C.UTF-8
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
. /run/nmlab/env

IFS= read -r CWD </run/nmlab/cwd
cd "$CWD" || die "cd $CWD"
mark "command"
/bin/sh -c "$(cat /run/nmlab/cmd)" </dev/null
echo "$?" >"$RUN/rc"
bye
