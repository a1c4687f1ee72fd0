namespace Netmap.Dynamic.Fake;

/// <summary>
/// The fake's memory allocators, as the kernel keeps them: the global one (mem_id 1, the NICs'), a
/// private one per VALE port, pipe parent or copy monitor, and those laid out in application memory
/// (<c>@extmem</c>); the ids the kernel would give them; and the native bytes they hold. Runs under
/// the backend's registry lock, except the byte counts, which a <see cref="FakeMemory"/> updates.
/// </summary>
internal sealed class FakeAllocatorTable(FakeNetmapOptions options)
{
    private readonly SortedSet<ushort> _memIds = [];
    private readonly FakeExternalMemory _external = new();
    private ushort _lastMemId = 1;   // the kernel's netmap_last_mem_d: its global allocator has id 1
    private FakeMemory? _global;
    private long _liveRegionBytes;
    private int _liveRegions;

    /// <summary>Native bytes currently allocated for emulated regions.</summary>
    public long AllocatedRegionBytes => Interlocked.Read(ref _liveRegionBytes);

    /// <summary>Emulated memory regions currently allocated.</summary>
    public int AllocatedRegions => Volatile.Read(ref _liveRegions);

    /// <summary>Allocators that exist now (0 when nothing is open).</summary>
    public int Count => _memIds.Count;

    /// <summary>The global allocator the fake NICs share (mem_id 1), created on first use.</summary>
    public FakeMemory Global() => _global ??= NewMemory(1, options.GlobalLayout);

    /// <summary>The allocator a new VALE port (or pipe parent) gets: the request's external memory, else a private one.</summary>
    public unsafe FakeMemory PrivateOrExternal(FakePortRequest request, int txRings, int txSlots, int rxRings, int rxSlots) =>
        request.ExternalMemory is { } external
            ? _external.Get(external, request.Name, layout => NewExternalMemory(layout, (byte*)external.Address))
            : NewPrivate(options.PrivateLayout ?? FakeMemoryLayout.ForPrivateAllocator(txRings, txSlots, rxRings, rxSlots));

    /// <summary>A private allocator with <paramref name="layout"/> and the next free id.</summary>
    public FakeMemory NewPrivate(FakeMemoryLayout layout) => NewMemory(NextMemId(), layout);

    /// <summary>The id a new allocator would get now (<c>nm_mem_assign_id</c>), without taking it.</summary>
    public ushort PeekMemId()
    {
        ushort id = _lastMemId;
        do id = (ushort)(id == ushort.MaxValue ? 2 : id + 1);
        while (_memIds.Contains(id));
        return id;
    }

    /// <summary>Drops one user of <paramref name="memory"/>; true when that was the last and the allocator is gone.</summary>
    public bool Release(FakeMemory memory)
    {
        if (--memory.Users > 0) return false;
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
        return true;
    }

    /// <summary>Counts a region a <see cref="FakeMemory"/> allocated.</summary>
    public void OnRegionAllocated(long bytes)
    {
        Interlocked.Add(ref _liveRegionBytes, bytes);
        Interlocked.Increment(ref _liveRegions);
    }

    /// <summary>Counts a region a <see cref="FakeMemory"/> freed.</summary>
    public void OnRegionFreed(long bytes)
    {
        Interlocked.Add(ref _liveRegionBytes, -bytes);
        Interlocked.Decrement(ref _liveRegions);
    }

    /// <summary>
    /// The kernel's choice of a new allocator id (<c>nm_mem_assign_id</c>): the first id after the
    /// last one assigned that no live allocator uses (so ids are not reused at once after a close).
    /// </summary>
    private ushort NextMemId() => _lastMemId = PeekMemId();

    private unsafe FakeMemory NewExternalMemory(FakeMemoryLayout layout, byte* address)
    {
        ushort id = NextMemId();
        _memIds.Add(id);
        return new FakeMemory(this, id, layout, address);
    }

    private FakeMemory NewMemory(ushort id, FakeMemoryLayout layout)
    {
        _memIds.Add(id);
        return new FakeMemory(this, id, layout);
    }
}
