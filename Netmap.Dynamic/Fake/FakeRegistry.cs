using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Fake;

/// <summary>
/// What the emulated kernel knows by name: fake NICs, VALE switches and their ports, pipes and
/// their parents, monitors. Finds or creates the adapter a register request names (with the
/// kernel's bounds on rings and slots), answers port info, and frees an adapter once nobody uses
/// it. Every method runs under the backend's registry lock.
/// </summary>
internal sealed class FakeRegistry(FakeNetmapOptions options, FakeAllocatorTable allocators, FakeFaultInjector faults)
{
    /// <summary><c>NM_BRIDGES</c>: VALE switches that can exist at once.</summary>
    private const int MaxSwitches = 8;

    /// <summary><c>NM_BDG_MAXRINGS</c>: rings per direction of a VALE port.</summary>
    private const int MaxValeRings = 16;

    /// <summary><c>NM_PIPE_MAXRINGS</c>: rings per direction of a pipe (its allocator runs out long before).</summary>
    private const int MaxPipeRings = 256;

    private readonly Dictionary<string, FakeNic> _nics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeValeSwitch> _switches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakePipe> _pipes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakePipeParent> _pipeParents = new(StringComparer.Ordinal);
    private readonly List<FakeMonitor> _monitors = [];
    private int _monitorIds;   // the kernel's monitor_id: the "#N" of a monitor's name

    /// <summary>Switches, pipes, pipe parents and the NICs' ports and krings: 0 when idle.</summary>
    public int Entries => _switches.Count + _pipes.Count + _pipeParents.Count
        + _nics.Values.Sum(n => n.Ports.Count + n.Tx.Length + n.Rx.Length);

    /// <summary>Adds a fake NIC (the caller has checked the name and counts).</summary>
    public FakeNic AddNic(string name, int txRings, int rxRings, int slots, int hostRings)
    {
        if (_nics.ContainsKey(name)) throw new ArgumentException($"Interface '{name}' already exists.", nameof(name));
        var nic = new FakeNic(name, txRings, rxRings, slots, slots, hostRings) { Faults = faults };
        _nics.Add(name, nic);
        return nic;
    }

    public FakeNic? FindNic(string name) => _nics.GetValueOrDefault(name);

    /// <summary>The VALE port <paramref name="name"/> wherever it is attached (null when none).</summary>
    public FakeValePort? FindValePort(string name) => _switches.Values.Select(s => s.Find(name)).FirstOrDefault(p => p is not null);

    /// <summary>Port info of an adapter that exists (NIC, VALE port, pipe end), else of one an open would create.</summary>
    public NetmapPortInfo? PortInfo(string name)
    {
        FakeAdapter? adapter = _nics.GetValueOrDefault(name)
            ?? (FakeAdapter?)FindValePort(name)
            ?? _pipes.Values.SelectMany(p => new[] { p.Master, p.Slave }).FirstOrDefault(e => e.Name == name);
        if (adapter is null)
            return DescribeUnopened(name);
        long size = adapter.HasRings ? adapter.Memory.Size : options.GlobalLayout.TotalSize;
        return new NetmapPortInfo(name, adapter.HasRings ? adapter.Memory.MemId : (ushort)1, size,
            adapter.TxRings, adapter.RxRings, adapter.HostTxRings, adapter.HostRxRings, adapter.TxSlots, adapter.RxSlots);
    }

    /// <summary>The adapter a register request names: a new monitor, a NIC, a VALE port or a pipe end (created as the kernel would).</summary>
    public FakeAdapter Resolve(FakePortRequest request) => IsMonitor(request.Flags) ? NewMonitor(request) : request.Kind switch
    {
        NetmapPortKind.Nic => GetNic(request),
        NetmapPortKind.ValePort => GetValePort(request.Name, request),
        _ => GetPipeEnd(request),
    };

    /// <summary>Frees what <paramref name="adapter"/> holds once nobody uses it (its memory, its pipe, its switch entry).</summary>
    public void ReleaseIfUnused(FakeAdapter adapter)
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

    /// <summary>Unties every monitor of <paramref name="adapter"/>: they see nothing more, even if the port is opened again.</summary>
    public void StopMonitors(FakeAdapter adapter)
    {
        foreach (FakeMonitor monitor in _monitors)
        {
            if (ReferenceEquals(monitor.Parent, adapter))
                lock (monitor.SyncRoot) monitor.Detach();
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
            long size = (options.PrivateLayout ?? FakeMemoryLayout.ForPrivateAllocator(tx, txSlots, rx, rxSlots)).TotalSize;
            return new NetmapPortInfo(name, allocators.PeekMemId(), size, tx, rx, 0, 0, txSlots, rxSlots);
        }
        if (spec.Kind != NetmapPortKind.Pipe || string.IsNullOrEmpty(spec.PipeBase)) return null;
        if (_nics.TryGetValue(spec.PipeBase, out FakeNic? nic))   // without creating the NIC allocator
            return PipeInfo(name, request.PipeMaster, 1, options.GlobalLayout.TotalSize, nic.TxSlots, nic.RxSlots);
        if (ExistingPipeParent(request) is { } parent)
            return PipeInfo(name, request.PipeMaster, parent.Memory.MemId, parent.Memory.Size, parent.TxSlots, parent.RxSlots);
        (int _, int _, int newTxSlots, int newRxSlots) = ValeGeometry(request);
        long newSize = (options.PrivateLayout ?? FakeMemoryLayout.ForPrivateAllocator(1, newTxSlots, 1, newRxSlots)).TotalSize;
        return PipeInfo(name, request.PipeMaster, allocators.PeekMemId(), newSize, newTxSlots, newRxSlots);
    }

    /// <summary>A new pipe of one ring pair with its parent's slots, seen from the master or (swapped) the slave.</summary>
    private static NetmapPortInfo PipeInfo(string name, bool master, ushort memId, long size, int txSlots, int rxSlots) =>
        new(name, memId, size, 1, 1, 0, 0, master ? txSlots : rxSlots, master ? rxSlots : txSlots);

    private FakeNic GetNic(FakePortRequest request)
    {
        if (request.ExternalMemory is not null)
            throw NetmapException.FromErrno(Errno.EOPNOTSUPP, "register", request.Name, "the fake backend emulates @extmem for VALE ports and pipes, not for NICs");
        if (!_nics.TryGetValue(request.Name, out FakeNic? nic))
            throw NetmapException.FromErrno(Errno.ENXIO, "register", request.Name, "no such interface (fake NICs are added with AddInterface)");
        if (!nic.HasRings) Activate(nic, allocators.Global());
        return nic;
    }

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
            port = new FakeValePort(name, valeSwitch, tx, rx, txSlots, rxSlots) { Faults = faults };
            Activate(port, allocators.PrivateOrExternal(request, tx, txSlots, rx, rxSlots));
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
        if (_nics.TryGetValue(name, out FakeNic? nic)) return new FakePipeParent(allocators.Global(), nic.TxSlots, nic.RxSlots);
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
        var parent = new FakePipeParent(allocators.PrivateOrExternal(request, tx, txSlots, rx, rxSlots), txSlots, rxSlots);
        _pipeParents[name] = parent;
        return parent;
    }

    /// <summary>How the kernel bounds a VALE port's request: 1 to 16 rings (default 1), 1 to 4096 slots.</summary>
    private (int Tx, int Rx, int TxSlots, int RxSlots) ValeGeometry(FakePortRequest request) =>
        (Bound(request.TxRings, 1, MaxValeRings), Bound(request.RxRings, 1, MaxValeRings),
         Bound(request.TxSlots, options.DefaultSlots, FakeMemoryLayout.KernelMaxSlots), Bound(request.RxSlots, options.DefaultSlots, FakeMemoryLayout.KernelMaxSlots));

    /// <summary>The kernel's <c>nm_bound_var</c> with a lower bound of 1: absent or below 1 is the default, above the limit the limit.</summary>
    private static int Bound(int? requested, int defaultValue, int limit) =>
        requested is null or < 1 ? Math.Min(defaultValue, limit) : Math.Min(requested.Value, limit);

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
            NetmapPortKind.ValePort => FindValePort(request.Name),
            _ => _pipes.Values.SelectMany(p => new FakeAdapter[] { p.Master, p.Slave }).FirstOrDefault(e => e.Name == request.Name),
        };
        if (parent is null || parent.Ports.Count == 0)
            throw NetmapException.FromErrno(Errno.EINVAL, "register", request.Name, "a monitor needs its port in netmap mode (open the port first)");
        var monitor = new FakeMonitor((_monitorIds++).ToString(System.Globalization.CultureInfo.InvariantCulture), parent,
            request.Flags, request.TxSlots, request.RxSlots);
        FakeMemory memory = monitor.ZeroCopy ? parent.Memory
            : allocators.NewPrivate(options.PrivateLayout ?? FakeMemoryLayout.ForPrivateAllocatorWithPipes(
                monitor.TxRings, monitor.TxSlots, monitor.RxRings, monitor.RxSlots, pipes: 0));
        Activate(monitor, memory);
        _monitors.Add(monitor);
        return monitor;
    }

    private static void Activate(FakeAdapter adapter, FakeMemory memory)
    {
        memory.Users++;
        adapter.Activate(memory);
    }

    /// <summary>Drops a user of an allocator; once it is gone, so are the pipe parents that lived in it.</summary>
    private void ReleaseMemory(FakeMemory memory)
    {
        if (!allocators.Release(memory)) return;
        foreach (KeyValuePair<string, FakePipeParent> entry in _pipeParents.Where(e => ReferenceEquals(e.Value.Memory, memory)).ToList())
            _pipeParents.Remove(entry.Key);
    }

    /// <summary>A pipe parent's allocator, the slots its pipes get by default, and the VALE port it is, if it is one.</summary>
    private sealed record FakePipeParent(FakeMemory Memory, int TxSlots, int RxSlots, FakeValePort? Port = null);
}
