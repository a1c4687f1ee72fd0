using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Fake;

/// <summary>
/// Pool sizes of one emulated memory allocator. The region is laid out as the kernel lays it out:
/// <c>netmap_if</c> objects from offset 0, then the ring objects, then the packet buffers
/// (buffer indexes 0 and 1 reserved).
/// </summary>
/// <param name="InterfaceCount">netmap_if objects (one per open port).</param>
/// <param name="InterfaceSize">Bytes per netmap_if object.</param>
/// <param name="RingCount">Ring objects.</param>
/// <param name="RingSize">Bytes per ring object (header and slot array).</param>
/// <param name="BufferCount">Packet buffers, including the two reserved ones.</param>
/// <param name="BufferSize">Bytes per buffer (<c>nr_buf_size</c>).</param>
public sealed record FakeMemoryLayout(int InterfaceCount, int InterfaceSize, int RingCount, int RingSize, int BufferCount, int BufferSize)
{
    /// <summary>Most slots the kernel gives a VALE or pipe ring (<c>NM_BDG_MAXSLOTS</c>, <c>NM_PIPE_MAXSLOTS</c>).</summary>
    public const int KernelMaxSlots = 4096;

    /// <summary>
    /// The private allocator the real kernel gives a VALE port or a pipe parent with the default
    /// geometry, 1 ring pair of 1024 slots (observed: 12 × 1024 B interfaces, 20 × 20480 B rings
    /// at 12288, 20482 × 2048 B buffers at 421888, 42369024 bytes).
    /// </summary>
    public static FakeMemoryLayout Private { get; } = ForPrivateAllocator(1, 1024, 1, 1024);

    /// <summary>The allocator shared by fake NICs (<c>nr_mem_id</c> 1), sized like a small global allocator.</summary>
    public static FakeMemoryLayout Global { get; } = new(100, 1024, 200, 36864, 40962, 2048);

    /// <summary>
    /// The private allocator the kernel creates for a VALE port (or the VALE port behind a pipe's
    /// parent name) registered with these ring counts and slots (<c>netmap_mem_private_new</c>).
    /// Room for the port's rings plus one host ring per direction and two pipes of four rings
    /// each; pools never below the kernel's minimum (2 interfaces, 4 rings of 20480 bytes, 4098
    /// buffers); then every object rounded up to 64 bytes and every pool to whole clusters (see
    /// <see cref="Pool"/>). The counts must already be bounded as the kernel bounds them.
    /// </summary>
    public static FakeMemoryLayout ForPrivateAllocator(int txRings, int txSlots, int rxRings, int rxSlots) =>
        ForPrivateAllocatorWithPipes(txRings, txSlots, rxRings, rxSlots, pipes: 2);   // the VALE port's default pipe count

    /// <summary>Most extra buffers a new VALE port's allocator makes room for (<c>128 * NM_BDG_MAXSLOTS</c>).</summary>
    internal const int MaxExtraBuffers = 128 * KernelMaxSlots;

    /// <summary>
    /// The same for an adapter that reserves room for <paramref name="pipes"/> pipes (a monitor: none)
    /// and was created by a register asking for <paramref name="extraBuffers"/> extra buffers, which
    /// the kernel adds to the buffer pool.
    /// </summary>
    internal static FakeMemoryLayout ForPrivateAllocatorWithPipes(int txRings, int txSlots, int rxRings, int rxSlots, int pipes, int extraBuffers = 0)
    {
        int tx = txRings + 1, rx = rxRings + 1;    // with the (absent) host rings
        (int interfaceCount, int interfaceSize) = Pool(
            Math.Max(2, 2 + (4 * pipes)), Math.Max(1024, netmap_if.ring_ofs_offset + (8 * (tx + rx))));
        (int ringCount, int ringSize) = Pool(
            Math.Max(4, tx + rx + (8 * pipes)), Math.Max(5 * PageSize, netmap_ring.slot_offset + (16 * Math.Max(txSlots, rxSlots))));
        long buffers = ((long)((4 * pipes) + rx) * rxSlots) + ((long)((4 * pipes) + tx) * txSlots) + 2
            + Math.Clamp(extraBuffers, 0, MaxExtraBuffers);
        (int bufferCount, int bufferSize) = Pool((int)Math.Max(4098, buffers), 2048);
        return new FakeMemoryLayout(interfaceCount, interfaceSize, ringCount, ringSize, bufferCount, bufferSize);
    }

    private const int PageSize = 4096;

    /// <summary>
    /// How the kernel's allocator sizes a pool (<c>netmap_config_obj_allocator</c>): the object
    /// size is rounded up to 64 bytes; objects come in clusters of the fewest objects that fill
    /// whole pages; the pool holds whole clusters (so possibly more objects than asked).
    /// </summary>
    private static (int Count, int Size) Pool(int count, int size)
    {
        size = (size + 63) & ~63;
        int perCluster = 1;
        while ((long)perCluster * size % PageSize != 0) perCluster++;
        int clusters = (count + perCluster - 1) / perCluster;
        return (clusters * perCluster, size);
    }

    /// <summary>Offset of the first ring object.</summary>
    public long RingPoolOffset => (long)InterfaceCount * InterfaceSize;

    /// <summary>Offset of buffer index 0.</summary>
    public long BufferPoolOffset => RingPoolOffset + ((long)RingCount * RingSize);

    /// <summary><c>nr_memsize</c>.</summary>
    public long TotalSize => BufferPoolOffset + ((long)BufferCount * BufferSize);

    /// <summary>The most slots a ring object of <see cref="RingSize"/> bytes holds.</summary>
    public int MaxSlots => (RingSize - netmap_ring.slot_offset) / 16;

    /// <summary>The most rings a netmap_if object of <see cref="InterfaceSize"/> bytes lists.</summary>
    public int MaxListedRingsPerInterface => (InterfaceSize - netmap_if.ring_ofs_offset) / 8;

    /// <summary>
    /// Rings a <c>netmap_if</c> of a fake NIC may list: at most 64 rings
    /// (<see cref="FakeNetmapBackend.AddInterface"/>) plus the host ring the kernel always lists per direction.
    /// </summary>
    internal const int MaxListedRings = 64 + 2;

    /// <summary>
    /// Why the fake cannot lay out a region with these sizes, or null when it can. Checked once when a
    /// backend is created: every object the fake writes (netmap_if with its ring table, ring header and
    /// at least two slots, a packet whose length fits the 16-bit slot <c>len</c>) must fit its pool object.
    /// </summary>
    internal string? Problem()
    {
        if (InterfaceCount < 1 || RingCount < 2 || BufferCount < 3)
            return "each pool needs objects: at least 1 netmap_if, 2 rings and 3 buffers (0 and 1 are reserved)";
        if (InterfaceSize < netmap_if.ring_ofs_offset + (8 * MaxListedRings) || InterfaceSize % 8 != 0)
            return $"InterfaceSize must be a multiple of 8 of at least {netmap_if.ring_ofs_offset + (8 * MaxListedRings)} bytes (a netmap_if and its ring table)";
        if (RingSize < netmap_ring.slot_offset + (2 * 16) || RingSize % 16 != 0)
            return "RingSize must be a multiple of 16 of at least 288 bytes (the ring header and two slots)";
        if (BufferSize is < 64 or > ushort.MaxValue)
            return "BufferSize must be 64 to 65535 bytes (a slot's len is 16 bits)";
        return null;
    }
}
