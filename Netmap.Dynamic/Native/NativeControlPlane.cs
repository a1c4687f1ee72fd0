using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Native;

/// <summary>
/// The shim's control exports with managed arguments: builds the structured requests from a parsed
/// <see cref="NetmapPortSpec"/>, calls the shim, and turns its <c>-errno</c>, stage and message
/// into a <see cref="NetmapException"/> that names the operation, the port and the device.
/// Not on any hot path: each call opens the device (the shim closes it again), as <c>vale-ctl</c> does.
/// </summary>
internal sealed unsafe class NativeControlPlane(ShimFunctions shim, string devicePath)
{
    private const int MessageSize = 512;
    private readonly byte[] _device = Utf8(devicePath);

    /// <summary>The control device every request opens.</summary>
    public string DevicePath { get; } = devicePath;

    /// <summary>
    /// The request the shim turns into <c>nmreq_register</c>: mode, ring id and flags from the spec
    /// (plus <see cref="NetmapPortOptions.ExtraFlags"/>), counts from the options, else the spec's
    /// <c>@conf</c>, else 0 (the kernel's choice).
    /// </summary>
    public static ShimPortRequest BuildRegisterRequest(NetmapPortSpec spec, NetmapPortOptions? options)
    {
        ShimPortRequest request = new()
        {
            Size = (uint)sizeof(ShimPortRequest),
            Mode = (uint)(options?.NullPort == true ? NetmapRegisterMode.NR_REG_NULL : spec.Mode),
            Flags = (ulong)(spec.Flags | (options?.ExtraFlags ?? NetmapRegisterFlags.None)),
            RingId = spec.RingId,
            MemId = spec.MemId,
            TxRings = Count16(options?.TxRings ?? spec.TxRings, "TX rings"),
            RxRings = Count16(options?.RxRings ?? spec.RxRings, "RX rings"),
            HostTxRings = Count16(spec.HostTxRings, "host TX rings"),
            HostRxRings = Count16(spec.HostRxRings, "host RX rings"),
            TxSlots = Count32(options?.TxSlots ?? spec.TxSlots, "TX slots"),
            RxSlots = Count32(options?.RxSlots ?? spec.RxSlots, "RX slots"),
            ExtraBufs = Count32(options?.ExtraBuffers, "extra buffers"),
        };
        SetName(ref request.Name, spec.Name);
        return request;
    }

    /// <summary>
    /// The register options the shim turns into <c>nmreq_opt_offsets</c> and <c>nmreq_opt_extmem</c>;
    /// <see cref="ShimPortOptionKinds.None"/> when there are none.
    /// </summary>
    public static ShimPortOptions BuildRegisterOptions(NetmapBufferOffsets? offsets, NetmapExternalMemory? memory,
        RawRegisterOptions? raw = null)
    {
        ShimPortOptions o = new() { Size = (uint)sizeof(ShimPortOptions) };
        if (raw is not null)
        {
            o.Present |= ShimPortOptionKinds.Raw;
            o.RawType = raw.Type;
            o.RawCount = (uint)raw.Count;
            o.RawLoop = raw.Loop ? 1u : 0u;
        }
        if (offsets is not null)
        {
            o.Present |= ShimPortOptionKinds.Offsets;
            o.InitialOffset = (ulong)offsets.Initial;
            o.MaxOffset = (ulong)offsets.Max;
            o.OffsetBits = (uint)offsets.Bits;
        }
        if (memory is not null)
        {
            NetmapExternalMemoryLayout layout = memory.Layout;
            o.Present |= ShimPortOptionKinds.ExternalMemory;
            o.ExtmemAddress = (ulong)memory.Address;
            o.ExtmemSize = (ulong)memory.Length;
            o.InterfaceCount = (uint)layout.InterfaceCount;
            o.InterfaceSize = (uint)layout.InterfaceSize;
            o.RingCount = (uint)layout.RingCount;
            o.RingSize = (uint)layout.RingSize;
            o.BufferCount = (uint)layout.BufferCount;
            o.BufferSize = (uint)layout.BufferSize;
        }
        return o;
    }

    /// <summary>Opens the device and registers the port; the reply's fd belongs to the caller.</summary>
    public ShimPortReply Register(NetmapPortSpec spec, NetmapPortOptions? options) =>
        Register(spec, options, null, null, out _);

    /// <summary>
    /// Registers the port with buffer offsets and/or external memory; <paramref name="granted"/> holds
    /// what the kernel answered (its max offset, the pools it laid out in the memory).
    /// </summary>
    public ShimPortReply Register(NetmapPortSpec spec, NetmapPortOptions? options, NetmapBufferOffsets? offsets,
        NetmapExternalMemory? memory, out ShimPortOptions granted)
    {
        ShimPortRequest request = BuildRegisterRequest(spec, options);
        granted = BuildRegisterOptions(offsets, memory, options?.RawOptions);
        ShimPortReply reply = new() { Size = (uint)sizeof(ShimPortReply), Fd = -1 };
        byte* message = stackalloc byte[MessageSize];
        message[0] = 0;
        int stage = 0, rc;
        fixed (byte* device = _device)
        fixed (ShimPortOptions* opts = &granted)
            rc = shim.nmshim_port_open_opt(device, &request, granted.Present == ShimPortOptionKinds.None ? null : opts,
                &reply, &stage, message, MessageSize);
        if (rc == -Errno.EOPNOTSUPP && OptionRefusal(granted) is { } why)
            throw NetmapException.FromErrno(Errno.EOPNOTSUPP, "register", spec.Name, $"{Text(message)}: {why}");
        if (rc != 0 && stage == (int)ShimStage.Ioctl && RegisterOptionErrors.Explain(-rc, OptionStatuses(granted, options?.RawOptions)) is { } meaning)
            throw NetmapException.FromErrno(-rc, "register", spec.Name, $"{Text(message)}: {meaning}");
        Check(rc, stage, message, "register", spec.Name);
        return reply;
    }

    /// <summary>The status the kernel wrote into each option the request carried.</summary>
    private static List<(string Option, int Status)> OptionStatuses(in ShimPortOptions granted, RawRegisterOptions? raw)
    {
        List<(string, int)> statuses = [];
        if ((granted.Present & ShimPortOptionKinds.ExternalMemory) != 0) statuses.Add(("EXTMEM (1)", granted.ExtmemStatus));
        if ((granted.Present & ShimPortOptionKinds.Offsets) != 0) statuses.Add(("OFFSETS (5)", granted.OffsetsStatus));
        if (raw is not null) statuses.Add((RegisterOptionErrors.RawName(raw.Type), granted.RawStatus));
        return statuses;
    }

    /// <summary><c>NETMAP_REQ_POOLS_INFO_GET</c>.</summary>
    public NetmapPoolsInfo PoolsInfo(string name, ushort memId = 0)
    {
        byte[] utf8 = PortName(name);
        ShimPoolsReply reply = new() { Size = (uint)sizeof(ShimPoolsReply) };
        byte* message = stackalloc byte[MessageSize];
        message[0] = 0;
        int stage = 0, rc;
        fixed (byte* device = _device, n = utf8)
            rc = shim.nmshim_pools_info(device, n, memId, &reply, &stage, message, MessageSize);
        Check(rc, stage, message, "pools info", name);
        return new NetmapPoolsInfo(reply.MemId, (long)reply.MemSize,
            new NetmapPool((long)reply.InterfacePoolOffset, (int)reply.InterfaceCount, (int)reply.InterfaceSize),
            new NetmapPool((long)reply.RingPoolOffset, (int)reply.RingCount, (int)reply.RingSize),
            new NetmapPool((long)reply.BufferPoolOffset, (int)reply.BufferCount, (int)reply.BufferSize));
    }

    /// <summary><c>NETMAP_REQ_VALE_POLLING_ENABLE</c> (with <paramref name="mode"/>) or <c>_DISABLE</c> (<paramref name="mode"/> null).</summary>
    public void ValePolling(string name, NetmapValePollingMode? mode, int firstCpu, int cpuCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstCpu);
        ArgumentOutOfRangeException.ThrowIfNegative(cpuCount);
        byte[] utf8 = PortName(name);
        byte* message = stackalloc byte[MessageSize];
        message[0] = 0;
        int stage = 0, rc;
        fixed (byte* device = _device, n = utf8)
            rc = shim.nmshim_vale_polling(device, n, mode is null ? 0u : 1u, (uint)(mode ?? 0), (uint)firstCpu, (uint)cpuCount,
                &stage, message, MessageSize);
        Check(rc, stage, message, mode is null ? "vale polling disable" : "vale polling enable", name);
    }

    /// <summary>What an option the kernel refused with EOPNOTSUPP means, or null when none did.</summary>
    private static string? OptionRefusal(in ShimPortOptions granted) =>
        granted.ExtmemStatus == Errno.EOPNOTSUPP
            ? "this netmap module has no external memory support (@extmem): build netmap with --enable-extmem (LINUX/configure)"
        : granted.OffsetsStatus == Errno.EOPNOTSUPP
            ? "this port does not support buffer offsets (@offset): zero-copy monitors and NICs whose driver lacks them refuse the option"
        : null;

    /// <summary>Maps the region of a registered fd.</summary>
    public byte* Map(int fd, ulong size, string portName)
    {
        byte* message = stackalloc byte[MessageSize];
        message[0] = 0;
        ulong at = 0;
        int rc = shim.nmshim_port_mmap(fd, size, &at, message, MessageSize);
        if (rc != 0)
            throw NetmapException.FromErrno(-rc, "mmap", portName, Text(message));
        return (byte*)at;
    }

    /// <summary>Unmaps (when <paramref name="region"/> is not null) and closes <paramref name="fd"/>; returns the shim's complaint or null.</summary>
    public string? Close(int fd, byte* region, ulong size)
    {
        byte* message = stackalloc byte[MessageSize];
        message[0] = 0;
        int rc = shim.nmshim_port_close(fd, (ulong)region, region == null ? 0 : size, message, MessageSize);
        return rc == 0 ? null : Text(message);
    }

    /// <summary><c>NETMAP_REQ_PORT_INFO_GET</c>.</summary>
    public NetmapPortInfo PortInfo(string name, ushort memId = 0)
    {
        byte[] utf8 = PortName(name);
        ShimPortReply reply = new() { Size = (uint)sizeof(ShimPortReply), Fd = -1 };
        byte* message = stackalloc byte[MessageSize];
        message[0] = 0;
        int stage = 0, rc;
        fixed (byte* device = _device, n = utf8)
            rc = shim.nmshim_port_info(device, n, memId, &reply, &stage, message, MessageSize);
        Check(rc, stage, message, "port info", name);
        return new NetmapPortInfo(name, reply.MemId, (long)reply.MemSize, reply.TxRings, reply.RxRings,
            reply.HostTxRings, reply.HostRxRings, (int)reply.TxSlots, (int)reply.RxSlots);
    }

    /// <summary><c>NETMAP_REQ_VALE_ATTACH</c>; returns the switch port index.</summary>
    public int ValeAttach(string name, NetmapRegisterMode mode, ushort memId)
    {
        ShimPortRequest request = new() { Size = (uint)sizeof(ShimPortRequest), Mode = (uint)mode, MemId = memId };
        SetName(ref request.Name, name);
        uint index = 0;
        byte* message = stackalloc byte[MessageSize];
        message[0] = 0;
        int stage = 0, rc;
        fixed (byte* device = _device)
            rc = shim.nmshim_vale_attach(device, &request, &index, &stage, message, MessageSize);
        Check(rc, stage, message, "vale attach", name);
        return (int)index;
    }

    /// <summary><c>NETMAP_REQ_VALE_DETACH</c>; returns the port index it had.</summary>
    public int ValeDetach(string name) => (int)NameToNumber(shim.nmshim_vale_detach, name, "vale detach");

    /// <summary><c>NETMAP_REQ_VALE_NEWIF</c>; returns the interface's mem_id.</summary>
    public ushort ValeNewInterface(string name, NetmapValeInterfaceOptions options)
    {
        ShimPortRequest request = new()
        {
            Size = (uint)sizeof(ShimPortRequest),
            TxRings = Count16(options.TxRings, "TX rings"),
            RxRings = Count16(options.RxRings, "RX rings"),
            TxSlots = Count32(options.TxSlots, "TX slots"),
            RxSlots = Count32(options.RxSlots, "RX slots"),
            MemId = options.MemId,
        };
        SetName(ref request.Name, name);
        ushort memId = 0;
        byte* message = stackalloc byte[MessageSize];
        message[0] = 0;
        int stage = 0, rc;
        fixed (byte* device = _device)
            rc = shim.nmshim_vale_newif(device, &request, &memId, &stage, message, MessageSize);
        Check(rc, stage, message, "vale newif", name);
        return memId;
    }

    /// <summary><c>NETMAP_REQ_VALE_DELIF</c>.</summary>
    public void ValeDeleteInterface(string name)
    {
        byte[] utf8 = PortName(name);
        byte* message = stackalloc byte[MessageSize];
        message[0] = 0;
        int stage = 0, rc;
        fixed (byte* device = _device, n = utf8)
            rc = shim.nmshim_vale_delif(device, n, &stage, message, MessageSize);
        Check(rc, stage, message, "vale delif", name);
    }

    /// <summary>
    /// Every VALE port, walking <c>NETMAP_REQ_VALE_LIST</c>'s cursor as <c>vale-ctl</c> does: ask
    /// with an empty name from (0, 0), record the answer, go on at the next port index, until ENOENT.
    /// </summary>
    public IReadOnlyList<NetmapValePort> ValeList()
    {
        const int MaxPorts = 1 << 16;   // a guard against a device that never says ENOENT
        List<NetmapValePort> ports = [];
        ushort bridge = 0;
        uint port = 0;
        byte* message = stackalloc byte[MessageSize];
        while (ports.Count < MaxPorts)
        {
            ShimPortName name = default;
            ushort b = bridge;
            uint p = port;
            message[0] = 0;
            int stage = 0, rc;
            fixed (byte* device = _device)
                rc = shim.nmshim_vale_list(device, (byte*)&name, &b, &p, &stage, message, MessageSize);
            if (rc == -Errno.ENOENT && stage == (int)ShimStage.Ioctl)
                break;
            Check(rc, stage, message, "vale list", null);
            ports.Add(new NetmapValePort(name.ToString(), b, (int)p));
            bridge = b;
            port = p + 1;
        }
        return ports;
    }

    /// <summary>The virtio-net header length of a port (<c>NETMAP_REQ_PORT_HDR_GET</c>).</summary>
    public int GetHeaderLength(string name) => (int)NameToNumber(shim.nmshim_port_hdr_get, name, "header get");

    /// <summary>The shape two exports share: a port name in, one number out.</summary>
    private uint NameToNumber(delegate* unmanaged<byte*, byte*, uint*, int*, byte*, uint, int> export, string name, string operation)
    {
        byte[] utf8 = PortName(name);
        uint value = 0;
        byte* message = stackalloc byte[MessageSize];
        message[0] = 0;
        int stage = 0, rc;
        fixed (byte* device = _device, n = utf8)
            rc = export(device, n, &value, &stage, message, MessageSize);
        Check(rc, stage, message, operation, name);
        return value;
    }

    /// <summary>Sets the virtio-net header length of a port (<c>NETMAP_REQ_PORT_HDR_SET</c>: 0, 10 or 12).</summary>
    public void SetHeaderLength(string name, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        byte[] utf8 = PortName(name);
        byte* message = stackalloc byte[MessageSize];
        message[0] = 0;
        int stage = 0, rc;
        fixed (byte* device = _device, n = utf8)
            rc = shim.nmshim_port_hdr_set(device, n, (uint)length, &stage, message, MessageSize);
        Check(rc, stage, message, "header set", name);
    }

    private void Check(int rc, int stage, byte* message, string operation, string? port)
    {
        if (rc != 0)
            throw Failure(-rc, (ShimStage)stage, operation, port, Text(message));
    }

    /// <summary>
    /// The exception for a failed control call. A failure to open the device or an answer no netmap
    /// kernel gives carries the probe's verdict and fix, so a host without netmap explains itself.
    /// </summary>
    internal NetmapException Failure(int errno, ShimStage stage, string operation, string? port, string said)
    {
        string? verdict = (stage, errno) switch
        {
            (ShimStage.Open, Errno.ENOENT or Errno.ENXIO or Errno.ENODEV) =>
                $"{NetmapProbeStatus.DeviceNotFound}: the netmap kernel module is not loaded or {DevicePath} is the wrong path (modprobe netmap; `netmap probe` tells more)",
            (ShimStage.Open, Errno.EACCES or Errno.EPERM) or (ShimStage.Ioctl, Errno.EACCES or Errno.EPERM) =>
                $"{NetmapProbeStatus.PermissionDenied}: {DevicePath} is root-only by default; run as root or grant a group access (docs/probing.md)",
            (ShimStage.Open, _) => $"{NetmapProbeStatus.NotNetmapDevice}: {DevicePath} cannot be opened as netmap's control device",
            (ShimStage.Ioctl, Errno.ENOTTY) => $"{NetmapProbeStatus.NotNetmapDevice}: {DevicePath} is not netmap's control device",
            _ => null,
        };
        return NetmapException.FromErrno(errno, operation, port, verdict is null ? said : $"{said} ({verdict})");
    }

    private static void SetName(ref ShimPortName target, string name)
    {
        if (!target.TrySet(name))
            throw NetmapException.FromErrno(Errno.ENAMETOOLONG, "request", name, "a netmap port name has at most 63 bytes and no NUL");
    }

    private static ushort Count16(int? value, string what) => value switch
    {
        null or 0 => 0,
        < 0 or > ushort.MaxValue => throw new ArgumentOutOfRangeException(nameof(value), value, $"{what} must be between 0 and {ushort.MaxValue}."),
        _ => (ushort)value.Value,
    };

    private static uint Count32(int? value, string what) => value switch
    {
        null or 0 => 0,
        < 0 => throw new ArgumentOutOfRangeException(nameof(value), value, $"{what} must not be negative."),
        _ => (uint)value.Value,
    };

    private static byte[] Utf8(string text) => NativeText.ToUtf8z(text);

    /// <summary>A port name for a <c>const char *</c>: a NUL inside would silently cut the name the kernel sees.</summary>
    private static byte[] PortName(string name) => name.Contains('\0', StringComparison.Ordinal)
        ? throw NetmapException.FromErrno(Errno.EINVAL, "request", name, "a netmap port name has no NUL")
        : Utf8(name);

    private static string Text(byte* message) => NativeText.Message(message, MessageSize);
}
