namespace Netmap.Dynamic.Native;

/// <summary>
/// The regions a <see cref="NetmapLibrary"/> has mapped, one per netmap memory allocator
/// (<c>nr_mem_id</c>): ports of one allocator (the two ends of a pipe, NICs in the global
/// allocator) share one mapping, counted here, as libnetmap does. The count lives in managed code
/// so that the shim keeps no global state.
/// </summary>
/// <remarks>
/// A consequence of sharing, inherited from the kernel: a mapping holds a reference on the file it
/// was made through, so the port whose fd mapped a shared region stays registered in the kernel
/// until the last port of that region is closed, even after its own fd is closed.
/// </remarks>
internal sealed unsafe class NativeRegionTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(ushort MemId, ulong Size), NativeRegion> _regions = [];

    /// <summary>Regions currently mapped.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
                return _regions.Count;
        }
    }

    /// <summary>
    /// The mapping of allocator <paramref name="memId"/>, made now with <paramref name="map"/> when
    /// there is none. Every successful call must be paired with one <see cref="Release"/>.
    /// </summary>
    /// <param name="memId">The allocator.</param>
    /// <param name="size">Bytes of the region.</param>
    /// <param name="map">Maps it (or, for external memory, returns where the application's memory is).</param>
    /// <param name="external">True for external memory (<c>@extmem</c>): never unmapped by the backend.</param>
    public NativeRegion Acquire(ushort memId, ulong size, Func<nint> map, bool external = false)
    {
        lock (_lock)
        {
            if (_regions.TryGetValue((memId, size), out NativeRegion? region))
            {
                region.Users++;
                return region;
            }
            // Mapping under the lock: a second port of the same allocator must find this one.
            region = new NativeRegion(memId, (byte*)map(), size) { Users = 1, IsExternal = external };
            _regions.Add((memId, size), region);
            return region;
        }
    }

    /// <summary>Drops one user; true when it was the last, and the caller must unmap the region.</summary>
    public bool Release(NativeRegion region)
    {
        lock (_lock)
        {
            if (--region.Users > 0)
                return false;
            _regions.Remove((region.MemId, region.Size));
            return true;
        }
    }
}

/// <summary>One mapped region; the object itself is the ports' <see cref="PortLifetime.MemoryIdentity"/>.</summary>
internal sealed unsafe class NativeRegion(ushort memId, byte* address, ulong size)
{
    public ushort MemId { get; } = memId;
    public byte* Address { get; } = address;
    public ulong Size { get; } = size;
    public int Users { get; set; }

    /// <summary>True for memory the application provided (<c>@extmem</c>): the backend does not unmap it.</summary>
    public bool IsExternal { get; init; }
}
