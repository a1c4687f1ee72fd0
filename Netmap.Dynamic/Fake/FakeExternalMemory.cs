namespace Netmap.Dynamic.Fake;

/// <summary>
/// The fake's <c>NETMAP_REQ_OPT_EXTMEM</c> (<c>netmap_mem_ext_create</c>): an allocator laid out in the
/// memory the application gave, pools in the kernel's order, each pool starting on a page. The same
/// memory given again (same address and length) is the same allocator, as the kernel finds the same
/// pinned pages, so ports on it share one region and one <c>nr_mem_id</c>. The fake never frees
/// that memory; its owner does (see <see cref="NetmapExternalMemory"/>).
/// </summary>
internal sealed class FakeExternalMemory
{
    private const int PageSize = 4096;
    private readonly Dictionary<(nint Address, long Length), FakeMemory> _allocators = [];

    /// <summary>The allocator over <paramref name="memory"/>, made with <paramref name="create"/> the first time; EINVAL when the fake cannot lay it out.</summary>
    public FakeMemory Get(NetmapExternalMemory memory, string portName, Func<FakeMemoryLayout, FakeMemory> create)
    {
        if (_allocators.TryGetValue((memory.Address, memory.Length), out FakeMemory? allocator))
            return allocator;
        FakeMemoryLayout layout = LayoutOf(memory.Layout)
            ?? throw NetmapException.FromErrno(Errno.EINVAL, "register", portName,
                $"the fake backend lays out external memory only with netmap_if and ring objects that fill whole {PageSize}-byte pages ({memory.Layout})");
        allocator = create(layout);
        _allocators.Add((memory.Address, memory.Length), allocator);
        return allocator;
    }

    /// <summary>Forgets an allocator that has been released.</summary>
    public void Forget(FakeMemory allocator)
    {
        foreach (KeyValuePair<(nint, long), FakeMemory> entry in _allocators)
        {
            if (!ReferenceEquals(entry.Value, allocator)) continue;
            _allocators.Remove(entry.Key);
            return;
        }
    }

    /// <summary>
    /// The fake's layout for the kernel's: pools at the same offsets. The kernel rounds each pool up to
    /// a page; the fake's layout has no padding, so a pool is padded with whole objects instead, which
    /// needs the pool's bytes rounded to a page to be a multiple of the object size. Null otherwise.
    /// </summary>
    private static FakeMemoryLayout? LayoutOf(NetmapExternalMemoryLayout l)
    {
        int? interfaces = Padded(l.InterfaceCount, l.InterfaceSize);
        int? rings = Padded(l.RingCount, l.RingSize);
        if (interfaces is null || rings is null)
            return null;
        FakeMemoryLayout layout = new(interfaces.Value, l.InterfaceSize, rings.Value, l.RingSize, l.BufferCount, l.BufferSize);
        return layout.Problem() is null ? layout : null;
    }

    private static int? Padded(int count, int size)
    {
        long bytes = ((long)count * size + PageSize - 1) / PageSize * PageSize;
        return bytes % size == 0 && bytes / size <= int.MaxValue ? (int)(bytes / size) : null;
    }
}
