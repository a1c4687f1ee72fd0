using System.Diagnostics.CodeAnalysis;
using System.Text;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Fake;

/// <summary>
/// An in-memory netmap "kernel": implements <see cref="INetmapBackend"/> with the real kernel's
/// shared-memory layout and ring protocol, so code written against <see cref="NetmapPort"/> and
/// <see cref="NetmapRing"/> runs and can be unit-tested on any OS, without netmap.
/// </summary>
/// <remarks>
/// Emulated: netmap pipes (<c>x{N</c>/<c>x}N</c>, zero copy, lossless), VALE switches
/// (<c>valeX:Y</c>, learning bridge, copies), fake NICs registered with <see cref="AddInterface"/>
/// (hardware and host rings), <c>@conf</c> ring/slot counts, <c>NR_EXCLUSIVE</c> (EBUSY), unknown
/// NICs (ENXIO), invalid head/cur (ring reset, <c>POLLERR</c>). Test hooks: <see cref="FailNext"/>,
/// <see cref="DropFrames"/> and the <see cref="FakeNetmapInterface"/> of each NIC.
/// See docs/fake-backend.md.
/// </remarks>
public sealed class FakeNetmapBackend : INetmapBackend
{
    private readonly Lock _registry = new();
    private readonly FakeNetmapOptions _options;
    private readonly Dictionary<string, FakeNic> _nics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeValeSwitch> _switches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakePipe> _pipes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakePipeParent> _pipeParents = new(StringComparer.Ordinal);
    private readonly SortedSet<ushort> _memIds = [];
    private readonly FakeExternalMemory _external = new();
    private readonly List<FakeMonitor> _monitors = [];
    private int _monitorIds;   // the kernel's monitor_id: the "#N" of a monitor's name
    private ushort _lastMemId = 1;   // the kernel's netmap_last_mem_d: its global allocator has id 1
    private readonly List<NetmapPort> _open = [];
    private FakeMemory? _global;
    private bool _disposed;

    private readonly Lock _hooks = new();
    private readonly Dictionary<string, List<(FakeNetmapOperation Operation, int Errno)>> _errors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _drops = new(StringComparer.Ordinal);
    private volatile int _pendingHooks;

    private long _liveRegionBytes;
    private int _liveRegions;

    /// <summary>Creates an empty fake: no NICs until <see cref="AddInterface"/>; pipes and VALE ports appear on open.</summary>
    /// <exception cref="ArgumentException">A layout in <paramref name="options"/> cannot hold what the fake writes, or fewer than 2 default slots.</exception>
    public FakeNetmapBackend(FakeNetmapOptions? options = null)
    {
        _options = options ?? new FakeNetmapOptions();
        // A pool object too small for what is written into it would let the fake write past it.
        if (_options.PrivateLayout?.Problem() is { } privateProblem)
            throw new ArgumentException($"PrivateLayout: {privateProblem}.", nameof(options));
        if (_options.GlobalLayout.Problem() is { } globalProblem)
            throw new ArgumentException($"GlobalLayout: {globalProblem}.", nameof(options));
        if (_options.DefaultSlots < 2)
            throw new ArgumentException($"DefaultSlots must be at least 2, got {_options.DefaultSlots}.", nameof(options));
    }

    /// <inheritdoc/>
    public string Name => "fake";

    /// <summary>Native bytes currently allocated for emulated regions (0 once every port is closed).</summary>
    public long AllocatedRegionBytes => Interlocked.Read(ref _liveRegionBytes);

    /// <summary>Emulated memory regions currently allocated.</summary>
    public int AllocatedRegions => Volatile.Read(ref _liveRegions);

    /// <summary>Frames the switch dropped because VALE port <paramref name="name"/>'s RX ring was full (for tests).</summary>
    internal long ValeReceiveDrops(string name)
    {
        lock (_registry)
        {
            FakeValePort port = _switches.Values.Select(s => s.Find(name)).First(p => p is not null)!;
            lock (port.SyncRoot) return port.ReceiveDrops;
        }
    }

    /// <summary>Entries in the registry besides the NICs (open ports, switches, pipes, allocators): 0 when idle.</summary>
    internal int RegistryEntries
    {
        get
        {
            lock (_registry)
                return _open.Count + _switches.Count + _pipes.Count + _pipeParents.Count + _memIds.Count
                    + _nics.Values.Sum(n => n.Ports.Count + n.Tx.Length + n.Rx.Length);
        }
    }

    /// <summary>
    /// Registers a fake NIC named <paramref name="name"/> (opened as <c>netmap:name</c>, <c>name-2</c>,
    /// <c>name^</c>, <c>name*</c>, ...). Its rings live in the shared NIC allocator (mem_id 1), so
    /// programs can swap buffers between fake NICs.
    /// </summary>
    public FakeNetmapInterface AddInterface(string name, int txRings = 1, int rxRings = 1, int slots = 1024, int hostRings = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.IndexOfAny([':', '{', '}', '^', '*', '@', '/', '-']) >= 0)
            throw new ArgumentException($"'{name}' is not a plain interface name.", nameof(name));
        ArgumentOutOfRangeException.ThrowIfLessThan(txRings, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rxRings, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(slots, _options.GlobalLayout.MaxSlots);
        ArgumentOutOfRangeException.ThrowIfNegative(hostRings);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(txRings + rxRings + (2 * hostRings), 64);
        lock (_registry)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_nics.ContainsKey(name)) throw new ArgumentException($"Interface '{name}' already exists.", nameof(name));
            var nic = new FakeNic(name, txRings, rxRings, slots, slots, hostRings) { Backend = this };
            _nics.Add(name, nic);
            return new FakeNetmapInterface(nic);
        }
    }

    /// <summary>The settings this backend was made with.</summary>
    internal FakeNetmapOptions Options => _options;

    /// <summary>The hooks of a NIC added earlier, or false when there is none of that name.</summary>
    internal bool TryGetInterface(string name, [NotNullWhen(true)] out FakeNetmapInterface? hooks)
    {
        lock (_registry)
        {
            hooks = _nics.TryGetValue(name, out FakeNic? nic) ? new FakeNetmapInterface(nic) : null;
            return hooks is not null;
        }
    }

    /// <summary>The hooks of a NIC added earlier.</summary>
    public FakeNetmapInterface GetInterface(string name)
    {
        lock (_registry)
        {
            return _nics.TryGetValue(name, out FakeNic? nic)
                ? new FakeNetmapInterface(nic)
                : throw new ArgumentException($"No fake interface '{name}'.", nameof(name));
        }
    }

    /// <summary>
    /// Makes the next <paramref name="operation"/> on any port of <paramref name="portName"/>
    /// (kernel name: "eth0", "vale0:a", "pipe{1") fail with <paramref name="errno"/>
    /// (thrown as <see cref="NetmapException"/>). Calls queue up in order.
    /// </summary>
    public void FailNext(string portName, FakeNetmapOperation operation, int errno)
    {
        ArgumentException.ThrowIfNullOrEmpty(portName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(errno);
        lock (_hooks)
        {
            if (!_errors.TryGetValue(portName, out var list)) _errors[portName] = list = [];
            list.Add((operation, errno));
            _pendingHooks++;
        }
    }

    /// <summary>
    /// Loses the next <paramref name="count"/> frames that VALE port or NIC <paramref name="portName"/>
    /// transmits, as a lossy link would: the sender sees them completed, nobody receives them.
    /// Pipes are lossless by construction (the slots are shared), so they cannot drop.
    /// </summary>
    public void DropFrames(string portName, int count)
    {
        ArgumentException.ThrowIfNullOrEmpty(portName);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (portName.IndexOfAny(['{', '}']) >= 0)
            throw new NotSupportedException($"'{portName}' is a pipe: pipes are lossless (sender and receiver share the slots). Use a VALE port or a fake NIC for a lossy link.");
        lock (_hooks)
        {
            _drops.TryGetValue(portName, out int pending);
            _drops[portName] = pending + count;
            _pendingHooks += count;   // one per frame to drop: each drop consumes one
        }
    }

    /// <inheritdoc/>
    public NetmapPortInfo GetPortInfo(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_registry)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            FakeAdapter? adapter = _nics.GetValueOrDefault(name)
                ?? (FakeAdapter?)_switches.Values.Select(s => s.Find(name)).FirstOrDefault(p => p is not null)
                ?? _pipes.Values.SelectMany(p => new[] { p.Master, p.Slave }).FirstOrDefault(e => e.Name == name);
            if (adapter is null)
            {
                return DescribeUnopened(name)
                    ?? throw NetmapException.FromErrno(Errno.ENXIO, "port info", name, "no such port");
            }
            long size = adapter.HasRings ? adapter.Memory.Size : _options.GlobalLayout.TotalSize;
            return new NetmapPortInfo(name, adapter.HasRings ? adapter.Memory.MemId : (ushort)1, size,
                adapter.TxRings, adapter.RxRings, adapter.HostTxRings, adapter.HostRxRings, adapter.TxSlots, adapter.RxSlots);
        }
    }

    /// <summary>
    /// Port info of a VALE port or pipe nobody has open: the kernel creates the port to answer (and
    /// drops it again), so the answer is the port an open with no <c>@conf</c> would create. Null for
    /// any other name (an interface that does not exist: ENXIO).
    /// </summary>
    private NetmapPortInfo? DescribeUnopened(string name)
    {
        if (!NetmapPortSpec.TryParse(name, out NetmapPortSpec? spec) && !NetmapPortSpec.TryParse("netmap:" + name, out spec))
            return null;
        FakePortRequest request = FakePortRequest.From(spec, null);
        if (spec.Kind == NetmapPortKind.ValePort)
        {
            (int tx, int rx, int txSlots, int rxSlots) = ValeGeometry(request);
            long size = (_options.PrivateLayout ?? FakeMemoryLayout.ForPrivateAllocator(tx, txSlots, rx, rxSlots)).TotalSize;
            return new NetmapPortInfo(name, PeekMemId(), size, tx, rx, 0, 0, txSlots, rxSlots);
        }
        if (spec.Kind != NetmapPortKind.Pipe || string.IsNullOrEmpty(spec.PipeBase)) return null;
        if (_nics.TryGetValue(spec.PipeBase, out FakeNic? nic))   // without creating the NIC allocator
            return PipeInfo(name, request.PipeMaster, 1, _options.GlobalLayout.TotalSize, nic.TxSlots, nic.RxSlots);
        if (ExistingPipeParent(request) is { } parent)
            return PipeInfo(name, request.PipeMaster, parent.Memory.MemId, parent.Memory.Size, parent.TxSlots, parent.RxSlots);
        (int _, int _, int newTxSlots, int newRxSlots) = ValeGeometry(request);
        long newSize = (_options.PrivateLayout ?? FakeMemoryLayout.ForPrivateAllocator(1, newTxSlots, 1, newRxSlots)).TotalSize;
        return PipeInfo(name, request.PipeMaster, PeekMemId(), newSize, newTxSlots, newRxSlots);
    }

    /// <summary>A new pipe of one ring pair with its parent's slots, seen from the master or (swapped) the slave.</summary>
    private static NetmapPortInfo PipeInfo(string name, bool master, ushort memId, long size, int txSlots, int rxSlots) =>
        new(name, memId, size, 1, 1, 0, 0, master ? txSlots : rxSlots, master ? rxSlots : txSlots);

    /// <inheritdoc/>
    public NetmapPort OpenPort(string spec, NetmapPortOptions? options = null) =>
        OpenPort(NetmapPortSpec.Parse(spec), options);

    /// <inheritdoc/>
    public NetmapPort OpenPort(NetmapPortSpec spec, NetmapPortOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.SharePort is not null)
            throw NetmapException.FromErrno(Errno.EOPNOTSUPP, "register", spec.Name, "the fake backend does not emulate @share");
        PortRegisterOptions extra = PortRegisterOptions.Resolve(spec, options);
        try
        {
            return Open(FakePortRequest.From(spec, options) with { Extra = extra });
        }
        catch
        {
            extra.Release();
            throw;
        }
    }

    /// <summary>Closes every open port (waking their waiters) and frees all emulated memory.</summary>
    public void Dispose()
    {
        NetmapPort[] open;
        lock (_registry)
        {
            if (_disposed) return;
            _disposed = true;
            open = [.. _open];
        }
        foreach (NetmapPort port in open) port.Dispose();
    }

    /// <summary>Registers a port described in structured form (the emulated NIOCCTRL REGISTER).</summary>
    internal NetmapPort Open(FakePortRequest request)
    {
        lock (_registry)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            FakeAdapter adapter = IsMonitor(request.Flags) ? NewMonitor(request) : request.Kind switch
            {
                NetmapPortKind.Nic => GetNic(request),
                NetmapPortKind.ValePort => GetValePort(request),
                _ => GetPipeEnd(request),
            };
            try
            {
                return Bind(adapter, request);
            }
            catch
            {
                ReleaseIfUnused(adapter);
                throw;
            }
        }
    }

    /// <summary>Unregisters a port (from <see cref="NetmapPort.Dispose"/>): wakes its waiters, frees what nobody uses any more.</summary>
    internal void Close(FakePortDriver driver)
    {
        lock (_registry)
        {
            FakeAdapter adapter = driver.Adapter;
            lock (adapter.SyncRoot)
            {
                if (!adapter.Ports.Remove(driver)) return;
                driver.MarkClosed();
                foreach (FakeKring kring in driver.BoundTx.Concat(driver.BoundRx))
                {
                    kring.Users--;
                    if (driver.Exclusive) kring.Exclusive = false;
                }
                adapter.DeleteUnneededRings();   // a ring nobody binds any more goes, with its buffers
                adapter.Memory.FreeInterface(driver.InterfaceOffset);
            }
            if (driver.Port is not null) _open.Remove(driver.Port);
            if (adapter.Ports.Count == 0) StopMonitors(adapter);   // netmap_monitor_stop: the port left netmap mode
            ReleaseIfUnused(adapter);
        }
        driver.Extra?.Release();   // after the "fd" is closed, as the native backend does
    }

    internal bool TryConsumeError(string name, FakeNetmapOperation operation, out int errno)
    {
        errno = 0;
        if (_pendingHooks == 0) return false;
        return TryConsumeErrorSlow(name, operation, out errno);
    }

    // Separate method: a lambda here would capture `operation` and allocate on every sync.
    private bool TryConsumeErrorSlow(string name, FakeNetmapOperation operation, out int errno)
    {
        errno = 0;
        lock (_hooks)
        {
            if (!_errors.TryGetValue(name, out var list)) return false;
            int at = -1;
            for (int i = 0; i < list.Count && at < 0; i++)
                if (list[i].Operation == operation) at = i;
            if (at < 0) return false;
            errno = list[at].Errno;
            list.RemoveAt(at);
            if (list.Count == 0) _errors.Remove(name);
            _pendingHooks--;
            return true;
        }
    }

    internal bool TryConsumeDrop(string name)
    {
        if (_pendingHooks == 0) return false;
        lock (_hooks)
        {
            if (!_drops.TryGetValue(name, out int pending) || pending == 0) return false;
            if (pending == 1) _drops.Remove(name);
            else _drops[name] = pending - 1;
            _pendingHooks--;
            return true;
        }
    }

    internal void OnRegionAllocated(long bytes)
    {
        Interlocked.Add(ref _liveRegionBytes, bytes);
        Interlocked.Increment(ref _liveRegions);
    }

    internal void OnRegionFreed(long bytes)
    {
        Interlocked.Add(ref _liveRegionBytes, -bytes);
        Interlocked.Decrement(ref _liveRegions);
    }

    private FakeNic GetNic(FakePortRequest request)
    {
        if (request.ExternalMemory is not null)
            throw NetmapException.FromErrno(Errno.EOPNOTSUPP, "register", request.Name, "the fake backend emulates @extmem for VALE ports and pipes, not for NICs");
        if (!_nics.TryGetValue(request.Name, out FakeNic? nic))
            throw NetmapException.FromErrno(Errno.ENXIO, "register", request.Name, "no such interface (fake NICs are added with AddInterface)");
        if (!nic.HasRings) Activate(nic, GlobalMemory());
        return nic;
    }

    private FakeValePort GetValePort(FakePortRequest request) => GetValePort(request.Name, request);

    /// <summary>The VALE port <paramref name="name"/>, created (sized by <paramref name="request"/>) and attached if it does not exist.</summary>
    private FakeValePort GetValePort(string name, FakePortRequest request)
    {
        string switchName = request.SwitchName ?? name[..name.IndexOf(':', StringComparison.Ordinal)];
        if (!_switches.TryGetValue(switchName, out FakeValeSwitch? valeSwitch))
        {
            if (_switches.Count >= MaxSwitches)
                throw NetmapException.FromErrno(Errno.ENOMEM, "register", request.Name, $"no free VALE switch (the kernel has {MaxSwitches})");
            _switches[switchName] = valeSwitch = new FakeValeSwitch(switchName);
        }
        FakeValePort? port = valeSwitch.Find(name);
        if (port is not null) return port;
        try
        {
            if (!valeSwitch.HasRoomForAPort)
                throw NetmapException.FromErrno(Errno.ENOMEM, "register", name, $"VALE switch {switchName} is full");
            (int tx, int rx, int txSlots, int rxSlots) = ValeGeometry(request);
            port = new FakeValePort(name, valeSwitch, tx, rx, txSlots, rxSlots) { Backend = this };
            Activate(port, PrivateOrExternalMemory(request, tx, txSlots, rx, rxSlots));
        }
        catch
        {
            if (valeSwitch.ActiveCount == 0) _switches.Remove(switchName);
            throw;
        }
        lock (valeSwitch.SyncRoot) valeSwitch.Attach(port);
        return port;
    }

    private FakePipeEnd GetPipeEnd(FakePortRequest request)
    {
        if (string.IsNullOrEmpty(request.PipeId) || string.IsNullOrEmpty(request.PipeBase))
            throw NetmapException.FromErrno(Errno.EINVAL, "register", request.Name, "a pipe name needs a pipe id after '{' or '}'");
        string key = request.PipeBase + "{" + request.PipeId;
        if (_pipes.TryGetValue(key, out FakePipe? pipe)) return request.PipeMaster ? pipe.Master : pipe.Slave;

        // The kernel builds the master from the request whichever end is asked for, and the slave
        // with TX and RX swapped. Slots default to the parent's; rings to 1.
        // A parent created for this request bounded its rings as a VALE port's and wrote them back.
        FakePipeParent? existing = ExistingPipeParent(request);
        bool newParent = existing is null;
        FakePipeParent parent = existing ?? NewPipeParent(request);
        int maxRings = newParent ? MaxValeRings : MaxPipeRings;
        int tx = Bound(request.TxRings, 1, maxRings), rx = Bound(request.RxRings, 1, maxRings);
        int txSlots = Bound(request.TxSlots, parent.TxSlots, FakeMemoryLayout.KernelMaxSlots);
        int rxSlots = Bound(request.RxSlots, parent.RxSlots, FakeMemoryLayout.KernelMaxSlots);
        FakeMemory memory = parent.Memory;
        var syncRoot = new Lock();
        var master = new FakePipeEnd(request.PipeBase + "{" + request.PipeId, syncRoot, true, tx, rx, txSlots, rxSlots);
        var slave = new FakePipeEnd(request.PipeBase + "}" + request.PipeId, syncRoot, false, rx, tx, rxSlots, txSlots);
        master.Peer = slave;
        slave.Peer = master;
        pipe = new FakePipe(key, master, slave) { ParentPort = parent.Port };
        if (parent.Port is not null) parent.Port.PipeUsers++;   // a VALE parent lives as long as its pipes
        memory.Users++;
        pipe.Activate(memory);
        _pipes.Add(key, pipe);
        return request.PipeMaster ? pipe.Master : pipe.Slave;
    }

    /// <summary>
    /// The allocator and default slots of a pipe's parent if it exists: a fake NIC's, a VALE port's
    /// (<c>valeX:y{N</c>: the pipe shares the port's memory), or the private allocator of a parent
    /// name that is neither. Null when the parent does not exist yet.
    /// </summary>
    private FakePipeParent? ExistingPipeParent(FakePortRequest request)
    {
        string name = request.PipeBase!;
        if (_nics.TryGetValue(name, out FakeNic? nic)) return new FakePipeParent(GlobalMemory(), nic.TxSlots, nic.RxSlots);
        if (request.SwitchName is not null)
        {
            FakeValePort? port = _switches.GetValueOrDefault(request.SwitchName)?.Find(name);
            return port is null ? null : new FakePipeParent(port.Memory, port.TxSlots, port.RxSlots, port);
        }
        return _pipeParents.GetValueOrDefault(name);
    }

    /// <summary>
    /// Creates a pipe's parent for the first pipe's request, bounded as a VALE port's (so that first
    /// pipe gets at most 16 rings): under a VALE switch name the VALE port itself, attached to its
    /// switch; otherwise the kernel's hidden VALE port of that name, of which the fake keeps only the
    /// allocator. Either lives as long as pipes of that parent do.
    /// </summary>
    private FakePipeParent NewPipeParent(FakePortRequest request)
    {
        string name = request.PipeBase!;
        if (request.SwitchName is not null)
        {
            FakeValePort port = GetValePort(name, request);
            return new FakePipeParent(port.Memory, port.TxSlots, port.RxSlots, port);
        }
        (int tx, int rx, int txSlots, int rxSlots) = ValeGeometry(request);
        var parent = new FakePipeParent(PrivateOrExternalMemory(request, tx, txSlots, rx, rxSlots), txSlots, rxSlots);
        _pipeParents[name] = parent;
        return parent;
    }

    /// <summary>How the kernel bounds a VALE port's request: 1 to 16 rings (default 1), 1 to 4096 slots.</summary>
    private (int Tx, int Rx, int TxSlots, int RxSlots) ValeGeometry(FakePortRequest request) =>
        (Bound(request.TxRings, 1, MaxValeRings), Bound(request.RxRings, 1, MaxValeRings),
         Bound(request.TxSlots, _options.DefaultSlots, FakeMemoryLayout.KernelMaxSlots), Bound(request.RxSlots, _options.DefaultSlots, FakeMemoryLayout.KernelMaxSlots));

    /// <summary>The kernel's <c>nm_bound_var</c> with a lower bound of 1: absent or below 1 is the default, above the limit the limit.</summary>
    private static int Bound(int? requested, int defaultValue, int limit) =>
        requested is null or < 1 ? Math.Min(defaultValue, limit) : Math.Min(requested.Value, limit);

    private unsafe NetmapPort Bind(FakeAdapter adapter, FakePortRequest request)
    {
        NetmapRegisterFlags flags = request.Flags;
        if (!BoundRings.TryCompute(request.Mode, request.RingId, flags, adapter.TxRings, adapter.RxRings,
                adapter.HostTxRings, adapter.HostRxRings, out BoundRings bound))
            throw NetmapException.FromErrno(Errno.EINVAL, "register", request.Name, "the ring selection names rings the port does not have");
        FakeKring[] tx = adapter.Tx[bound.FirstTx..bound.LastTx];
        FakeKring[] rx = adapter.Rx[bound.FirstRx..bound.LastRx];
        bool exclusive = (flags & NetmapRegisterFlags.NR_EXCLUSIVE) != 0;
        FakeMemory memory = adapter.Memory;
        FakePortDriver driver;
        ulong maxOffset = 0;
        lock (adapter.SyncRoot)
        {
            foreach (FakeKring kring in tx.Concat(rx))
            {
                if (kring.Exclusive || (exclusive && kring.Users > 0))
                    throw NetmapException.FromErrno(Errno.EBUSY, "register", request.Name,
                        kring.Exclusive ? $"{kring.Name} is held with NR_EXCLUSIVE" : $"{kring.Name} is already in use, NR_EXCLUSIVE refused");
            }
            foreach (FakeKring kring in tx.Concat(rx)) kring.Users++;
            // netmap_do_regif: ring objects for the bound rings, then the netmap_if.
            int error = adapter.CreateBoundRings();
            long ifOffset = error != 0 ? -1 : memory.AllocateInterface(adapter.TxRings + adapter.RxRings
                + Math.Max(1, adapter.HostTxRings) + Math.Max(1, adapter.HostRxRings));
            int offsetError = ifOffset < 0 ? 0 : FakeOffsets.Apply(adapter, tx, rx, request.Offsets, out maxOffset);
            if (ifOffset < 0 || offsetError != 0)
            {
                foreach (FakeKring kring in tx.Concat(rx)) kring.Users--;
                adapter.DeleteUnneededRings();
                if (ifOffset >= 0) memory.FreeInterface(ifOffset);
                throw NetmapException.FromErrno(offsetError != 0 ? offsetError : Errno.ENOMEM, "register", request.Name,
                    offsetError != 0 ? $"the offsets option ({request.Offsets}) was refused"
                    : error != 0 ? $"the memory allocator (mem_id {memory.MemId}) has no room for the rings"
                    : $"the memory allocator (mem_id {memory.MemId}) has no room for the netmap_if");
            }
            WriteInterface(adapter, memory, ifOffset, bound);
            driver = new FakePortDriver(this, adapter, tx, rx, flags, ifOffset) { Extra = request.Extra };
            if (adapter is FakeMonitor monitor) monitor.Attach(rx);
            foreach (FakeKring kring in tx.Concat(rx)) kring.Exclusive |= exclusive;
            adapter.Ports.Add(driver);
        }
        var mapping = new PortMapping
        {
            RegionBase = memory.Base,
            RegionSize = memory.Size,
            InterfaceOffset = driver.InterfaceOffset,
            MemId = memory.MemId,
            MemoryIdentity = memory.Identity,
            HostTxRings = adapter.HostTxRings,
            HostRxRings = adapter.HostRxRings,
            Mode = request.Mode,
            RingId = request.RingId,
            Flags = flags,
            MaxOffset = maxOffset,
        };
        var port = new NetmapPort(request.Spec, driver, mapping);
        driver.Port = port;
        _open.Add(port);
        return port;
    }

    /// <summary>Writes a netmap_if as the kernel does: every ring listed, only bound rings with a non-zero offset.</summary>
    private static unsafe void WriteInterface(FakeAdapter adapter, FakeMemory memory, long ifOffset, BoundRings bound)
    {
        netmap_if* nifp = (netmap_if*)(memory.Base + ifOffset);
        Span<byte> name = nifp->ni_name;
        name.Clear();
        Encoding.ASCII.GetBytes(adapter.Name.AsSpan(0, Math.Min(adapter.Name.Length, NetmapConstants.IFNAMSIZ - 1)), name);
        nifp->ni_version = 0;
        nifp->ni_flags = adapter.PrivateMemory ? (uint)NetmapInterfaceFlags.NI_PRIV_MEM : 0;
        nifp->ni_tx_rings = (uint)adapter.TxRings;
        nifp->ni_rx_rings = (uint)adapter.RxRings;
        // Observed: the kernel always lists at least one host ring per direction (offset 0 when absent).
        uint hostTx = (uint)Math.Max(1, adapter.HostTxRings), hostRx = (uint)Math.Max(1, adapter.HostRxRings);
        nifp->ni_host_tx_rings = hostTx;
        nifp->ni_host_rx_rings = hostRx;
        nifp->ni_bufs_head = 0;
        uint txListed = (uint)adapter.TxRings + hostTx;
        for (int i = 0; i < txListed; i++)
        {
            bool isBound = i >= bound.FirstTx && i < bound.LastTx && i < adapter.Tx.Length;
            netmap_if.ring_ofs(ref *nifp, (uint)i) = isBound ? adapter.Tx[i].RingOffset - ifOffset : 0;
        }
        uint rxListed = (uint)adapter.RxRings + hostRx;
        for (int i = 0; i < rxListed; i++)
        {
            bool isBound = i >= bound.FirstRx && i < bound.LastRx && i < adapter.Rx.Length;
            netmap_if.ring_ofs(ref *nifp, txListed + (uint)i) = isBound ? adapter.Rx[i].RingOffset - ifOffset : 0;
        }
    }

    private void ReleaseIfUnused(FakeAdapter adapter)
    {
        switch (adapter)
        {
            case FakeMonitor monitor when monitor.Ports.Count == 0:
                lock (monitor.SyncRoot)
                {
                    monitor.Detach();
                    if (monitor.HasRings) monitor.DestroyRings();
                }
                _monitors.Remove(monitor);
                ReleaseMemory(monitor.Memory);
                break;
            case FakeValePort port when port.Ports.Count == 0 && port.PipeUsers == 0:
                lock (port.SyncRoot)
                {
                    if (port.Switch.Find(port.Name) is not null) port.Switch.Detach(port);
                    if (port.HasRings) port.DestroyRings();
                }
                if (port.Switch.ActiveCount == 0) _switches.Remove(port.Switch.Name);
                ReleaseMemory(port.Memory);
                break;
            case FakePipeEnd end when end.Ports.Count == 0 && end.Peer.Ports.Count == 0:
                FakePipe pipe = _pipes.Values.First(p => ReferenceEquals(p.Master, end) || ReferenceEquals(p.Slave, end));
                lock (end.SyncRoot) pipe.DestroyRings();
                _pipes.Remove(pipe.Key);
                ReleaseMemory(end.Memory);
                if (pipe.ParentPort is { } parentPort)
                {
                    parentPort.PipeUsers--;
                    ReleaseIfUnused(parentPort);
                }
                break;
            case FakeNic nic when nic.Ports.Count == 0 && nic.HasRings:
                lock (nic.SyncRoot) nic.DestroyRings();
                ReleaseMemory(nic.Memory);
                break;
        }
    }

    private static bool IsMonitor(NetmapRegisterFlags flags) =>
        (flags & (NetmapRegisterFlags.NR_MONITOR_TX | NetmapRegisterFlags.NR_MONITOR_RX | NetmapRegisterFlags.NR_ZCOPY_MON)) != 0;

    /// <summary>
    /// <c>netmap_get_monitor_na</c>: a new monitor of the port the request names, which must be in netmap
    /// mode (EINVAL otherwise). A copy monitor gets a private allocator sized for its rings; a zero-copy
    /// monitor shares its parent's.
    /// </summary>
    private FakeMonitor NewMonitor(FakePortRequest request)
    {
        FakeAdapter? parent = request.Kind switch
        {
            NetmapPortKind.Nic => _nics.GetValueOrDefault(request.Name)
                ?? throw NetmapException.FromErrno(Errno.ENXIO, "register", request.Name, "no such interface to monitor"),
            NetmapPortKind.ValePort => _switches.Values.Select(s => s.Find(request.Name)).FirstOrDefault(p => p is not null),
            _ => _pipes.Values.SelectMany(p => new FakeAdapter[] { p.Master, p.Slave }).FirstOrDefault(e => e.Name == request.Name),
        };
        if (parent is null || parent.Ports.Count == 0)
            throw NetmapException.FromErrno(Errno.EINVAL, "register", request.Name, "a monitor needs its port in netmap mode (open the port first)");
        var monitor = new FakeMonitor((_monitorIds++).ToString(System.Globalization.CultureInfo.InvariantCulture), parent,
            request.Flags, request.TxSlots, request.RxSlots);
        FakeMemory memory = monitor.ZeroCopy ? parent.Memory
            : NewMemory(NextMemId(), _options.PrivateLayout ?? FakeMemoryLayout.ForPrivateAllocatorWithPipes(
                monitor.TxRings, monitor.TxSlots, monitor.RxRings, monitor.RxSlots, pipes: 0));
        Activate(monitor, memory);
        _monitors.Add(monitor);
        return monitor;
    }

    /// <summary>Unties every monitor of <paramref name="adapter"/>: they see nothing more, even if the port is opened again.</summary>
    private void StopMonitors(FakeAdapter adapter)
    {
        foreach (FakeMonitor monitor in _monitors)
        {
            if (ReferenceEquals(monitor.Parent, adapter))
                lock (monitor.SyncRoot) monitor.Detach();
        }
    }

    private static void Activate(FakeAdapter adapter, FakeMemory memory)
    {
        memory.Users++;
        adapter.Activate(memory);
    }

    private FakeMemory GlobalMemory() => _global ??= NewMemory(1, _options.GlobalLayout);

    /// <summary>The allocator a new VALE port (or pipe parent) gets: the request's external memory, else a private one.</summary>
    private unsafe FakeMemory PrivateOrExternalMemory(FakePortRequest request, int txRings, int txSlots, int rxRings, int rxSlots) =>
        request.ExternalMemory is { } external
            ? _external.Get(external, request.Name, layout => NewExternalMemory(layout, (byte*)external.Address))
            : NewPrivateMemory(txRings, txSlots, rxRings, rxSlots);

    private unsafe FakeMemory NewExternalMemory(FakeMemoryLayout layout, byte* address)
    {
        ushort id = NextMemId();
        _memIds.Add(id);
        return new FakeMemory(this, id, layout, address);
    }

    /// <summary>A private allocator sized by the kernel's rules for these rings (or the fixed layout of the options).</summary>
    private FakeMemory NewPrivateMemory(int txRings, int txSlots, int rxRings, int rxSlots) =>
        NewMemory(NextMemId(), _options.PrivateLayout ?? FakeMemoryLayout.ForPrivateAllocator(txRings, txSlots, rxRings, rxSlots));

    /// <summary>
    /// The kernel's choice of a new allocator id (<c>nm_mem_assign_id</c>): the first id after the
    /// last one assigned that no live allocator uses (so ids are not reused at once after a close).
    /// </summary>
    private ushort NextMemId() => _lastMemId = PeekMemId();

    /// <summary>The id <see cref="NextMemId"/> would assign now.</summary>
    private ushort PeekMemId()
    {
        ushort id = _lastMemId;
        do id = (ushort)(id == ushort.MaxValue ? 2 : id + 1);
        while (_memIds.Contains(id));
        return id;
    }

    private FakeMemory NewMemory(ushort id, FakeMemoryLayout layout)
    {
        _memIds.Add(id);
        return new FakeMemory(this, id, layout);
    }

    private void ReleaseMemory(FakeMemory memory)
    {
        if (--memory.Users > 0) return;
        memory.Dispose();
        _memIds.Remove(memory.MemId);
        if (memory.MemId == _lastMemId)
        {
            // nm_mem_release_id: the last id falls back to the previous allocator in the kernel's list.
            _lastMemId = 1;
            foreach (ushort id in _memIds)
                if (id < memory.MemId) _lastMemId = id;
        }
        if (ReferenceEquals(memory, _global)) _global = null;
        if (memory.IsExternal) _external.Forget(memory);
        foreach (KeyValuePair<string, FakePipeParent> entry in _pipeParents.Where(e => ReferenceEquals(e.Value.Memory, memory)).ToList())
            _pipeParents.Remove(entry.Key);
    }

    /// <summary><c>NM_BRIDGES</c>: VALE switches that can exist at once.</summary>
    private const int MaxSwitches = 8;

    /// <summary><c>NM_BDG_MAXRINGS</c>: rings per direction of a VALE port.</summary>
    private const int MaxValeRings = 16;

    /// <summary><c>NM_PIPE_MAXRINGS</c>: rings per direction of a pipe (its allocator runs out long before).</summary>
    private const int MaxPipeRings = 256;

    /// <summary>A pipe parent's allocator, the slots its pipes get by default, and the VALE port it is, if it is one.</summary>
    private sealed record FakePipeParent(FakeMemory Memory, int TxSlots, int RxSlots, FakeValePort? Port = null);
}
