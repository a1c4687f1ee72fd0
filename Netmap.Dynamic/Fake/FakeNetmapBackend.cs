using System.Diagnostics.CodeAnalysis;

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
/// See docs/fake-backend.md. This class is the façade of a small kernel: <see cref="FakeRegistry"/>
/// (what exists by name), <see cref="FakeAllocatorTable"/> (memory ids and regions),
/// <see cref="FakeBinder"/> (register and unregister) and <see cref="FakeFaultInjector"/> (test hooks).
/// </remarks>
public sealed class FakeNetmapBackend : INetmapBackend
{
    // The kernel's global lock (NMG_LOCK): the registry, the allocators and binding change under it.
    private readonly Lock _lock = new();
    private readonly FakeNetmapOptions _options;
    private readonly FakeFaultInjector _faults = new();
    private readonly FakeAllocatorTable _allocators;
    private readonly FakeRegistry _registry;
    private readonly FakeBinder _binder;
    private readonly List<NetmapPort> _open = [];
    private bool _disposed;

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
        _allocators = new FakeAllocatorTable(_options);
        _registry = new FakeRegistry(_options, _allocators, _faults);
        _binder = new FakeBinder(this, _faults);
    }

    /// <inheritdoc/>
    public string Name => "fake";

    /// <summary>Native bytes currently allocated for emulated regions (0 once every port is closed).</summary>
    public long AllocatedRegionBytes => _allocators.AllocatedRegionBytes;

    /// <summary>Emulated memory regions currently allocated.</summary>
    public int AllocatedRegions => _allocators.AllocatedRegions;

    /// <summary>Frames the switch dropped because VALE port <paramref name="name"/>'s RX ring was full (for tests).</summary>
    internal long ValeReceiveDrops(string name)
    {
        lock (_lock)
        {
            FakeValePort port = _registry.FindValePort(name) ?? throw new InvalidOperationException($"No VALE port '{name}'.");
            lock (port.SyncRoot) return port.ReceiveDrops;
        }
    }

    /// <summary>Entries in the registry besides the NICs (open ports, switches, pipes, allocators): 0 when idle.</summary>
    internal int RegistryEntries
    {
        get
        {
            lock (_lock)
                return _open.Count + _registry.Entries + _allocators.Count;
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
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return new FakeNetmapInterface(_registry.AddNic(name, txRings, rxRings, slots, hostRings));
        }
    }

    /// <summary>The settings this backend was made with.</summary>
    internal FakeNetmapOptions Options => _options;

    /// <summary>The hooks of a NIC added earlier, or false when there is none of that name.</summary>
    internal bool TryGetInterface(string name, [NotNullWhen(true)] out FakeNetmapInterface? hooks)
    {
        lock (_lock)
        {
            hooks = _registry.FindNic(name) is { } nic ? new FakeNetmapInterface(nic) : null;
            return hooks is not null;
        }
    }

    /// <summary>The hooks of a NIC added earlier.</summary>
    public FakeNetmapInterface GetInterface(string name)
    {
        lock (_lock)
        {
            return _registry.FindNic(name) is { } nic
                ? new FakeNetmapInterface(nic)
                : throw new ArgumentException($"No fake interface '{name}'.", nameof(name));
        }
    }

    /// <summary>
    /// Makes the next <paramref name="operation"/> on any port of <paramref name="portName"/>
    /// (kernel name: "eth0", "vale0:a", "pipe{1") fail with <paramref name="errno"/>
    /// (thrown as <see cref="NetmapException"/>). Calls queue up in order.
    /// </summary>
    public void FailNext(string portName, FakeNetmapOperation operation, int errno) => _faults.FailNext(portName, operation, errno);

    /// <summary>
    /// Loses the next <paramref name="count"/> frames that VALE port or NIC <paramref name="portName"/>
    /// transmits, as a lossy link would: the sender sees them completed, nobody receives them.
    /// Pipes are lossless by construction (the slots are shared), so they cannot drop.
    /// </summary>
    public void DropFrames(string portName, int count) => _faults.DropFrames(portName, count);

    /// <inheritdoc/>
    public NetmapPortInfo GetPortInfo(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _registry.PortInfo(name)
                ?? throw NetmapException.FromErrno(Errno.ENXIO, "port info", name, "no such port");
        }
    }

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
        lock (_lock)
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
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            FakeAdapter adapter = _registry.Resolve(request);
            try
            {
                NetmapPort port = _binder.Bind(adapter, request);
                _open.Add(port);
                return port;
            }
            catch
            {
                _registry.ReleaseIfUnused(adapter);
                throw;
            }
        }
    }

    /// <summary>Unregisters a port (from <see cref="NetmapPort.Dispose"/>): wakes its waiters, frees what nobody uses any more.</summary>
    internal void Close(FakePortDriver driver)
    {
        lock (_lock)
        {
            if (!FakeBinder.Unbind(driver)) return;
            if (driver.Port is not null) _open.Remove(driver.Port);
            FakeAdapter adapter = driver.Adapter;
            if (adapter.Ports.Count == 0) _registry.StopMonitors(adapter);   // netmap_monitor_stop: the port left netmap mode
            _registry.ReleaseIfUnused(adapter);
        }
        driver.Extra?.Release();   // after the "fd" is closed, as the native backend does
    }
}
