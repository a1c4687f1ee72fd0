using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Native;

/// <summary>
/// The native backend behind <see cref="NetmapLibrary"/>: registers ports through the shim, maps
/// their regions once per allocator, and builds the same <see cref="NetmapPort"/> as the fake
/// backend over the kernel's memory, with a <see cref="NativePortDriver"/> for sync and wait.
/// </summary>
internal sealed unsafe class NativeBackend : IDisposable
{
    private readonly LibcFunctions _libc;
    private readonly ulong _txSync;
    private readonly ulong _rxSync;
    private readonly NativeRegionTable _regions = new();
    private readonly object _lock = new();   // Monitor.Wait: Dispose waits for the last release
    private readonly HashSet<NetmapPort> _open = [];
    private readonly NativeReactor? _reactor;
    private bool _disposed;

    /// <param name="shim">The shim's function table.</param>
    /// <param name="libc">The libc function table.</param>
    /// <param name="devicePath">The control device.</param>
    /// <param name="txSyncRequest">NIOCTXSYNC as the shim was compiled (the host's encoding).</param>
    /// <param name="rxSyncRequest">NIOCRXSYNC as the shim was compiled.</param>
    /// <param name="inlineWaitCompletions">See <see cref="NetmapLoadOptions.InlineWaitCompletions"/>.</param>
    public NativeBackend(ShimFunctions shim, LibcFunctions libc, string devicePath, ulong txSyncRequest, ulong rxSyncRequest,
        bool inlineWaitCompletions = false)
    {
        Control = new NativeControlPlane(shim, devicePath);
        _libc = libc;
        _txSync = txSyncRequest;
        _rxSync = rxSyncRequest;
        _reactor = NativeReactor.IsSupported(libc) ? new NativeReactor(libc, inlineWaitCompletions) : null;
    }

    /// <summary>The one epoll thread that serves every port's WaitAsync (null where epoll is missing: FreeBSD).</summary>
    internal NativeReactor? Reactor => _reactor;

    /// <summary>The control requests.</summary>
    public NativeControlPlane Control { get; }

    /// <summary>Regions mapped now (for tests and diagnostics).</summary>
    public int MappedRegions => _regions.Count;

    /// <summary>Ports open now.</summary>
    public int OpenPorts
    {
        get
        {
            lock (_lock)
                return _open.Count;
        }
    }

    /// <summary>Registers the port, maps (or shares) its region and wraps it.</summary>
    public NetmapPort OpenPort(NetmapPortSpec spec, NetmapPortOptions? options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (_lock)
            ObjectDisposedException.ThrowIf(_disposed, this);
        if (spec.SharePort is not null)
            throw NetmapException.FromErrno(Errno.EOPNOTSUPP, "register", spec.Name, "@share is not supported by the native backend yet");

        PortRegisterOptions extra = PortRegisterOptions.Resolve(spec, options);
        ShimPortReply reply;
        ShimPortOptions granted;
        try
        {
            reply = Control.Register(spec, options, extra.Offsets, extra.Memory, out granted);
        }
        catch
        {
            extra.Release();
            throw;
        }
        int fd = reply.Fd;
        NativeRegion region;
        try
        {
            region = extra.Memory is { } memory
                ? _regions.Acquire(reply.MemId, ExternalRegionSize(reply, memory), () => memory.Address, external: true)
                : _regions.Acquire(reply.MemId, reply.MemSize, () => (nint)Control.Map(fd, reply.MemSize, spec.Name), external: false);
        }
        catch
        {
            Control.Close(fd, null, 0);
            extra.Release();
            throw;
        }

        NetmapPort? port = null;
        NativePortDriver driver;
        try
        {
            driver = new NativePortDriver(_libc, fd, spec.Name, _txSync, _rxSync, () => Release(port, fd, region, extra),
                _reactor);
        }
        catch
        {
            Release(null, fd, region, extra);
            throw;
        }
        PortMapping mapping = CreateMapping(reply, region, spec, options) with
        {
            MaxOffset = extra.Offsets is null ? 0 : granted.MaxOffset,
        };
        try
        {
            port = new NetmapPort(spec, driver, mapping);
        }
        catch
        {
            driver.Close();   // releases fd, region and external memory
            throw;
        }
        lock (_lock)
        {
            if (!_disposed)
            {
                _open.Add(port);
                return port;
            }
        }
        port.Dispose();
        throw new ObjectDisposedException(NativeReactor.LibraryName);
    }

    /// <summary>
    /// The bytes of external memory a port may read: what the kernel laid out, never more than the
    /// application gave (the kernel pins no page beyond it).
    /// </summary>
    private static ulong ExternalRegionSize(in ShimPortReply reply, NetmapExternalMemory memory) =>
        Math.Min(reply.MemSize, (ulong)memory.Length);

    /// <summary>What <see cref="NetmapPort"/> needs from a register reply and the region it lies in.</summary>
    internal static PortMapping CreateMapping(in ShimPortReply reply, NativeRegion region, NetmapPortSpec spec, NetmapPortOptions? options) => new()
    {
        RegionBase = region.Address,
        RegionSize = (long)region.Size,
        InterfaceOffset = (long)reply.Offset,
        MemId = reply.MemId,
        MemoryIdentity = region,
        HostTxRings = reply.HostTxRings,
        HostRxRings = reply.HostRxRings,
        Mode = spec.Mode,
        RingId = spec.RingId,
        Flags = spec.Flags | (options?.ExtraFlags ?? NetmapRegisterFlags.None),
    };

    /// <summary>
    /// Closes every open port (waking their waiters) and returns once each is released, including
    /// one another thread is disposing at the same time (its Dispose returns at once here): the
    /// caller may unload the shim afterwards.
    /// </summary>
    public void Dispose()
    {
        NetmapPort[] open;
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            open = [.. _open];
        }
        foreach (NetmapPort port in open)
            port.Dispose();
        lock (_lock)
        {
            while (_open.Count > 0)
                Monitor.Wait(_lock);
        }
        _reactor?.Dispose();   // every port is closed: no registration is left in its epoll set
    }

    private void Release(NetmapPort? port, int fd, NativeRegion region, PortRegisterOptions extra)
    {
        bool last = _regions.Release(region);
        // Unmapping is best effort: there is nobody to report a failure to at Dispose time. External
        // memory is never unmapped here: it belongs to the application or to its NetmapExternalMemory.
        Control.Close(fd, last && !region.IsExternal ? region.Address : null, region.Size);
        // Only now has the kernel unpinned the pages (the fd is closed): the memory may go.
        extra.Release();
        if (port is not null)
        {
            // Only now, after the shim's last call for this port, does Dispose stop waiting for it.
            lock (_lock)
            {
                _open.Remove(port);
                Monitor.PulseAll(_lock);
            }
        }
    }
}
