using System.Globalization;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic;

/// <summary>
/// The doctor's checks: plain logic over what an <see cref="IDoctorHost"/> reports, in the order a
/// user would fix things (the spec, the module and device, the library, the module's limits, then
/// the interface, its MTU, its offloads and its adapter). See docs/tools.md ("netmap doctor").
/// </summary>
internal sealed class DoctorChecks(IDoctorHost host)
{
    /// <summary>Bytes of an Ethernet header plus a VLAN tag: a frame of the MTU is this much longer.</summary>
    private const int FrameOverhead = 18;

    /// <summary>Bytes of a <c>netmap_ring</c> header in front of its slots (the ring object must hold both).</summary>
    private const int RingHeaderSize = 256;

    private static readonly (NetmapOffloads Flag, string Name, string Why)[] s_offloads =
    [
        (NetmapOffloads.Gro, "gro", "the stack merges received frames into super-frames larger than netmap's buffers"),
        (NetmapOffloads.Lro, "lro", "the NIC merges received frames into super-frames larger than netmap's buffers"),
        (NetmapOffloads.Tso, "tso", "the host stack hands over TCP segments of up to 64 KB for the NIC to cut"),
        (NetmapOffloads.Gso, "gso", "the host stack hands over oversized frames to be cut late"),
        (NetmapOffloads.RxChecksum, "rx", "checksums are checked by the NIC and frames marked for the stack, not for netmap"),
        (NetmapOffloads.TxChecksum, "tx", "the host stack leaves checksums for the NIC to fill; through netmap they go out wrong"),
    ];

    private readonly List<NetmapCheck> _checks = [];

    public NetmapDoctorReport Run(string? port)
    {
        NetmapPortSpec? spec = port is null ? null : CheckSpec(port);
        DoctorDevice device = host.InspectDevice();
        CheckModuleAndDevice(device);
        NetmapProbeResult? probe = host.Probe();
        if (probe is not null)
            CheckLibrary(probe);
        IReadOnlyDictionary<string, string> parameters = host.ModuleParameters();
        int? bufSize = Number(parameters, "buf_size");
        int? adMode = Number(parameters, "admode");
        CheckAdMode(adMode);

        if (spec is { Kind: NetmapPortKind.Nic })
        {
            CheckPortLimits(spec, parameters);
            DoctorInterface? nic = host.InspectInterface(spec.Name);
            if (CheckInterface(spec.Name, nic))
            {
                CheckMtu(nic!, bufSize);
                CheckOffloads(nic!);
                CheckAdapter(nic!, adMode, device.ModuleLoaded);
            }
        }
        else if (spec is not null)
        {
            Add(NetmapCheckKind.ModuleParameter, "allocator", NetmapCheckStatus.Ok,
                $"{Describe(spec)} gets a private memory region sized for its rings by the kernel: the global limits do not bound it", null);
        }
        return new NetmapDoctorReport(host.Backend, port, [.. _checks]);
    }

    // --- the spec -------------------------------------------------------------------------

    private NetmapPortSpec? CheckSpec(string port)
    {
        if (NetmapPortSpec.TryParse(port, out NetmapPortSpec? spec, out NetmapPortSpecError error))
        {
            Add(NetmapCheckKind.PortSpec, port, NetmapCheckStatus.Ok, $"{Describe(spec)}, canonical {spec}", null);
            return spec;
        }
        string plain = port.Trim();
        if (error.Code == NetmapPortSpecErrorCode.UnknownPrefix && plain.Length > 0 && plain.IndexOfAny([':', '{', '}', '/', '@', ' ']) < 0)
        {
            // netmap_user.h's nm_open(), which most netmap programs use, returns NULL for a name without
            // "netmap:" or "vale" and sets errno to 0 ("name not recognised, not an error").
            bool exists = host.InspectInterface(StripRing(plain)) is not null;
            Add(NetmapCheckKind.PortSpec, port, NetmapCheckStatus.Failure,
                $"no 'netmap:' prefix{(exists ? $" (a network interface {StripRing(plain)} exists)" : "")}; netmap's nm_open() fails such a name with errno 0 (\"Success\"). Parser: {error.Message}",
                $"use netmap:{plain}");
            return null;
        }
        Add(NetmapCheckKind.PortSpec, port, NetmapCheckStatus.Failure, error.Message, SpecFix(port, error));
        return null;
    }

    private static string StripRing(string name)
    {
        int dash = name.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 ? name[..dash] : name;
    }

    private static string? SpecFix(string port, NetmapPortSpecError error) => error.Code switch
    {
        NetmapPortSpecErrorCode.UnknownFlag or NetmapPortSpecErrorCode.EmptyFlags =>
            "flags after '/' are x (exclusive), z (zero-copy monitor), t/r (monitor TX/RX), R/T (RX/TX rings only): netmap parse " + Quote(port),
        NetmapPortSpecErrorCode.ExpectedRingNumber =>
            "a '-' in a name starts a ring number (netmap:eth0-1); pick a name without '-': netmap parse " + Quote(port),
        NetmapPortSpecErrorCode.UnknownOption or NetmapPortSpecErrorCode.UnknownKey =>
            "options are @conf:rings=N,slots=N,..., @share=PORT, @extmem:file=..., @offset=N: netmap parse " + Quote(port),
        NetmapPortSpecErrorCode.MissingColon => $"write {Quote(port.Replace("netmap", "netmap:", StringComparison.Ordinal))}",
        _ => "see docs/port-spec.md; check with: netmap parse " + Quote(port),
    };

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Describe(NetmapPortSpec spec) => spec.Kind switch
    {
        NetmapPortKind.Nic => $"the network interface {spec.Name}",
        NetmapPortKind.ValePort => $"port {spec.ValePortName} of VALE switch {spec.SwitchName}",
        _ => $"the {(spec.PipeSide == NetmapPipeSide.Master ? "master" : "slave")} end of pipe {spec.PipeBase}{(spec.PipeSide == NetmapPipeSide.Master ? "{" : "}")}{spec.PipeId}",
    };

    // --- module, device, library ----------------------------------------------------------

    private void CheckModuleAndDevice(DoctorDevice d)
    {
        if (host.Backend == "fake")
        {
            Add(NetmapCheckKind.Module, "fake", NetmapCheckStatus.Ok, "the in-memory fake backend: no module and no device needed", null);
            return;
        }
        Add(NetmapCheckKind.Module, "netmap", d.ModuleLoaded ? NetmapCheckStatus.Ok : NetmapCheckStatus.Failure,
            d.ModuleLoaded ? "loaded (/sys/module/netmap)" : "not loaded (no /sys/module/netmap)",
            d.ModuleLoaded ? null : "modprobe netmap (or insmod netmap.ko from netmap's LINUX build)");
        if (!d.Exists)
        {
            Add(NetmapCheckKind.Device, d.Path, NetmapCheckStatus.Failure, "does not exist",
                d.ModuleLoaded ? $"the module is loaded but {d.Path} is missing: check udev, or pass the right device path" : "load the module (above); it creates the device");
            return;
        }
        string owner = string.Create(CultureInfo.InvariantCulture,
            $"{(d.IsCharacterDevice ? "character device" : "not a character device")}, mode {Mode(d.Mode)}, owner uid {d.OwnerUid}, group {d.GroupName ?? "gid " + d.GroupGid.ToString(CultureInfo.InvariantCulture)}");
        string who = d.ProcessUser ?? $"uid {d.ProcessUid}";
        if (d.OpenErrno == 0)
        {
            Add(NetmapCheckKind.Device, d.Path, NetmapCheckStatus.Ok, $"{owner}; {who} may open it", null);
            return;
        }
        if (d.OpenErrno is Errno.EACCES or Errno.EPERM)
        {
            string group = d.GroupName is { } g && g != "root" ? g : "netmap";
            string user = d.ProcessUser ?? "$USER";
            Add(NetmapCheckKind.Device, d.Path, NetmapCheckStatus.Failure,
                $"{owner}; {who} may not open it ({Errno.Name(d.OpenErrno)})",
                $"run as root, or give a group access: groupadd -f {group} && usermod -aG {group} {user} && "
                + $"echo 'KERNEL==\"netmap\", GROUP=\"{group}\", MODE=\"0660\"' > /etc/udev/rules.d/99-netmap.rules && udevadm control --reload && udevadm trigger (then log in again)");
            return;
        }
        Add(NetmapCheckKind.Device, d.Path, NetmapCheckStatus.Failure, $"{owner}; opening it failed: {Errno.Describe(d.OpenErrno)}",
            d.IsCharacterDevice ? "check dmesg for netmap's messages" : $"{d.Path} is not netmap's device: pass /dev/netmap");
    }

    private static string Mode(UnixFileMode mode)
    {
        Span<char> s = stackalloc char[9];
        ReadOnlySpan<char> letters = "rwxrwxrwx";
        for (int i = 0; i < 9; i++)
            s[i] = ((int)mode & (1 << (8 - i))) != 0 ? letters[i] : '-';
        return new string(s);
    }

    private void CheckLibrary(NetmapProbeResult probe)
    {
        if (probe.IsAvailable)
        {
            Add(NetmapCheckKind.Module, "api", NetmapCheckStatus.Ok,
                string.Create(CultureInfo.InvariantCulture, $"the kernel speaks netmap API {probe.KernelApi ?? probe.LibraryNetmapApi}, as this library does; shim and libc loaded"), null);
            return;
        }
        if (probe.IsLibraryLoaded)
            return;   // the device step failed: the module and device checks above say why
        Add(NetmapCheckKind.Module, "library", NetmapCheckStatus.Failure, $"probe says {probe.Status}: {probe.Message}", "netmap probe shows every path tried (docs/probing.md)");
    }

    // --- module parameters -----------------------------------------------------------------

    private void CheckAdMode(int? adMode)
    {
        switch (adMode)
        {
            case null:
                return;
            case 1:
                Add(NetmapCheckKind.ModuleParameter, "admode", NetmapCheckStatus.Ok, "1: native drivers only (a NIC without one cannot be opened: EOPNOTSUPP)", null);
                return;
            case 2:
                Add(NetmapCheckKind.ModuleParameter, "admode", NetmapCheckStatus.Warning,
                    "2: every NIC runs on the emulated (generic) adapter, even one with a native driver",
                    "echo 0 > /sys/module/netmap/parameters/admode (native where there is a driver, else emulated)");
                return;
            default:
                Add(NetmapCheckKind.ModuleParameter, "admode", NetmapCheckStatus.Ok,
                    string.Create(CultureInfo.InvariantCulture, $"{adMode}: native driver where there is one, else the emulated adapter"), null);
                return;
        }
    }

    private void CheckPortLimits(NetmapPortSpec spec, IReadOnlyDictionary<string, string> parameters)
    {
        NetmapPortInfo? info = host.PortInfo(spec.Name, out string? why);
        if (info is null)
        {
            if (parameters.Count > 0)
                Add(NetmapCheckKind.ModuleParameter, "limits", NetmapCheckStatus.Warning,
                    $"cannot ask the kernel what {spec.Name} gets ({why}), so buf_num, ring_num and ring_size are not checked against it", null);
            return;
        }
        // What registering the port asks of the global allocator: a ring object per bound ring and a
        // buffer per slot. Which rings are bound follows the spec's mode (eth0: hardware rings,
        // eth0^: host rings, eth0*: both, eth0-N / eth0^N: one pair).
        (int hwPairs, int hostPairs) = spec.Mode switch
        {
            NetmapRegisterMode.NR_REG_SW => (0, 1),
            NetmapRegisterMode.NR_REG_NIC_SW => (-1, 1),
            NetmapRegisterMode.NR_REG_ONE_NIC => (1, 0),
            NetmapRegisterMode.NR_REG_ONE_SW => (0, 1),
            _ => (-1, 0),
        };
        int tx = hwPairs < 0 ? info.TxRings : hwPairs, rx = hwPairs < 0 ? info.RxRings : hwPairs;
        int hostTx = hostPairs * info.HostTxRings, hostRx = hostPairs * info.HostRxRings;
        if (spec.Mode == NetmapRegisterMode.NR_REG_ONE_SW)
            (hostTx, hostRx) = (Math.Min(1, info.HostTxRings), Math.Min(1, info.HostRxRings));
        int rings = tx + rx + hostTx + hostRx;
        long buffers = ((long)(tx + hostTx) * info.TxSlots) + ((long)(rx + hostRx) * info.RxSlots);
        int ringBytes = RingHeaderSize + (16 * Math.Max(info.TxSlots, info.RxSlots));
        string bound = (tx + rx > 0 ? $"{tx}+{rx} rings" : "") + (tx + rx > 0 && hostTx + hostRx > 0 ? " and " : "") + (hostTx + hostRx > 0 ? $"{hostTx}+{hostRx} host rings" : "");
        string port = string.Create(CultureInfo.InvariantCulture, $"{spec.Name} binds {bound} of {info.TxSlots}/{info.RxSlots} slots");

        Limit(parameters, "buf_num", buffers + 2, $"{port}: {buffers} buffers (+2 reserved)",
            "echo {n} > /sys/module/netmap/parameters/buf_num (read when no port uses the allocator; then reopen)");
        Limit(parameters, "ring_num", rings, $"{port}: {rings} rings",
            "echo {n} > /sys/module/netmap/parameters/ring_num (then reopen)");
        Limit(parameters, "ring_size", ringBytes, string.Create(CultureInfo.InvariantCulture, $"{port}: a ring object of {ringBytes} bytes (256 + 16 per slot)"),
            $"echo {{n}} > /sys/module/netmap/parameters/ring_size, or fewer slots (ethtool -G {spec.Name} rx M tx M)", warnAtHalf: false);
    }

    // Fails beyond a limit; for a pool, warns at more than half of it (a second port on the same
    // allocator, or pipes on this one, would not fit).
    private void Limit(IReadOnlyDictionary<string, string> parameters, string name, long needed, string what, string fix, bool warnAtHalf = true)
    {
        if (Number(parameters, name) is not int limit)
            return;
        NetmapCheckStatus status = needed > limit ? NetmapCheckStatus.Failure
            : warnAtHalf && needed * 2 > limit ? NetmapCheckStatus.Warning : NetmapCheckStatus.Ok;
        string seen = string.Create(CultureInfo.InvariantCulture, $"{limit}; {what}")
            + (status == NetmapCheckStatus.Failure ? ": registering it fails with ENOMEM" : status == NetmapCheckStatus.Warning ? ": more than half of the limit" : "");
        Add(NetmapCheckKind.ModuleParameter, name, status, seen, status == NetmapCheckStatus.Ok ? null : fix.Replace("{n}", string.Create(CultureInfo.InvariantCulture, $"{needed * 2}"), StringComparison.Ordinal));
    }

    private static int? Number(IReadOnlyDictionary<string, string> parameters, string name) =>
        parameters.TryGetValue(name, out string? text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : null;

    // --- the interface ---------------------------------------------------------------------

    private bool CheckInterface(string name, DoctorInterface? nic)
    {
        if (nic is null)
        {
            Add(NetmapCheckKind.Interface, name, NetmapCheckStatus.Failure, "no network interface of that name (opening it fails with ENXIO)", "ip -br link (lists the interfaces)");
            return false;
        }
        Add(NetmapCheckKind.Interface, name, nic.Up ? (nic.Running ? NetmapCheckStatus.Ok : NetmapCheckStatus.Warning) : NetmapCheckStatus.Failure,
            nic.Up ? (nic.Running ? "up, carrier present" : "up, but no carrier (cable, peer or link partner down): nothing will arrive") : "down: netmap gets no frames through it",
            nic.Up ? (nic.Running ? null : $"check the link: ip link show {name}") : $"ip link set dev {name} up");
        Add(NetmapCheckKind.Interface, "promiscuous", NetmapCheckStatus.Ok,
            nic.Promiscuous ? "on: frames to every MAC address arrive" : "off: the NIC keeps only frames for its own and multicast addresses; a bridge or a capture of other hosts' traffic needs it on",
            null);
        return true;
    }

    private void CheckMtu(DoctorInterface nic, int? bufSize)
    {
        if (bufSize is not int size)
            return;
        if (nic.Mtu > size)
        {
            Add(NetmapCheckKind.Mtu, nic.Name, NetmapCheckStatus.Failure,
                string.Create(CultureInfo.InvariantCulture, $"MTU {nic.Mtu} is more than netmap's {size}-byte buffers: binding its RX rings fails with EINVAL (dmesg: \"netmap buf size ({size}) < device MTU ({nic.Mtu})\") unless the driver splits frames (NS_MOREFRAG)"),
                string.Create(CultureInfo.InvariantCulture, $"ip link set dev {nic.Name} mtu {size - FrameOverhead}, or a larger buf_size: echo {Pow2(nic.Mtu + FrameOverhead)} > /sys/module/netmap/parameters/buf_size"));
        }
        else if (nic.Mtu + FrameOverhead > size)
        {
            Add(NetmapCheckKind.Mtu, nic.Name, NetmapCheckStatus.Warning,
                string.Create(CultureInfo.InvariantCulture, $"MTU {nic.Mtu} plus Ethernet and VLAN headers ({nic.Mtu + FrameOverhead}) is more than netmap's {size}-byte buffers: the largest frames do not fit one slot"),
                string.Create(CultureInfo.InvariantCulture, $"ip link set dev {nic.Name} mtu {size - FrameOverhead}"));
        }
        else
        {
            Add(NetmapCheckKind.Mtu, nic.Name, NetmapCheckStatus.Ok,
                string.Create(CultureInfo.InvariantCulture, $"MTU {nic.Mtu}: a frame ({nic.Mtu + FrameOverhead} bytes with headers) fits a {size}-byte buffer"), null);
        }
    }

    private static int Pow2(int n)
    {
        int p = 2048;
        while (p < n) p *= 2;
        return p;
    }

    private void CheckOffloads(DoctorInterface nic)
    {
        List<string> on = [];
        foreach ((NetmapOffloads flag, string name, string why) in s_offloads)
        {
            if ((nic.OffloadsRead & flag) == 0)
            {
                Add(NetmapCheckKind.Offload, name, NetmapCheckStatus.Ok, $"unknown: {nic.OffloadError ?? "not readable"}", null);
                continue;
            }
            bool isOn = (nic.Offloads & flag) != 0;
            if (isOn) on.Add(name);
            Add(NetmapCheckKind.Offload, name, isOn ? NetmapCheckStatus.Warning : NetmapCheckStatus.Ok,
                isOn ? $"on: {why}; frames are dropped or damaged without an error" : "off",
                isOn ? $"ethtool -K {nic.Name} {name} off" : null);
        }
        if (on.Count > 1)
        {
            Add(NetmapCheckKind.Offload, "all", NetmapCheckStatus.Warning, $"{on.Count} offloads on: {string.Join(", ", on)}",
                $"ethtool -K {nic.Name} {string.Join(" ", on.Select(o => o + " off"))}");
        }
    }

    private void CheckAdapter(DoctorInterface nic, int? adMode, bool moduleLoaded)
    {
        string driver = nic.Driver ?? "its driver";
        if (adMode == 2)
        {
            Add(NetmapCheckKind.Adapter, nic.Name, NetmapCheckStatus.Warning, $"emulated (generic) adapter, forced by admode 2; {nic.AdapterEvidence}",
                "echo 0 > /sys/module/netmap/parameters/admode");
            return;
        }
        switch (nic.NativeDriver)
        {
            case true:
                Add(NetmapCheckKind.Adapter, nic.Name, NetmapCheckStatus.Ok, $"native netmap driver: {nic.AdapterEvidence}", null);
                return;
            case false when adMode == 1:
                Add(NetmapCheckKind.Adapter, nic.Name, NetmapCheckStatus.Failure,
                    $"no native netmap driver and admode 1 (native only): opening it fails with EOPNOTSUPP; {nic.AdapterEvidence}",
                    $"echo 0 > /sys/module/netmap/parameters/admode (to allow the emulated adapter), or load netmap's patched {driver}");
                return;
            case false:
                Add(NetmapCheckKind.Adapter, nic.Name, NetmapCheckStatus.Warning,
                    $"emulated (generic) adapter: {nic.AdapterEvidence}; it copies every frame through the kernel's stack, at a fraction of native speed",
                    $"build and load netmap's patched {driver} (netmap's LINUX/configure --drivers={nic.Driver ?? "DRIVER"} && make; then rmmod {nic.Driver ?? "DRIVER"} && insmod the built module)");
                return;
            default:
                Add(NetmapCheckKind.Adapter, nic.Name, moduleLoaded ? NetmapCheckStatus.Warning : NetmapCheckStatus.Ok,
                    $"cannot tell native from emulated: {nic.AdapterEvidence}", null);
                return;
        }
    }

    private void Add(NetmapCheckKind kind, string subject, NetmapCheckStatus status, string seen, string? fix) =>
        _checks.Add(new NetmapCheck(kind, subject, status, seen, fix));
}
