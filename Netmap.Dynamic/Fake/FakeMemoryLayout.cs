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
    /// <summary>
    /// The private allocator the real kernel gives a VALE port or a pipe (observed: 12 × 1024 B
    /// interfaces, 20 × 20480 B rings at 12288, 20482 × 2048 B buffers at 421888, 42369024 bytes).
    /// </summary>
    public static FakeMemoryLayout Private { get; } = new(12, 1024, 20, 20480, 20482, 2048);

    /// <summary>The allocator shared by fake NICs (<c>nr_mem_id</c> 1), sized like a small global allocator.</summary>
    public static FakeMemoryLayout Global { get; } = new(100, 1024, 200, 36864, 40962, 2048);

    /// <summary>Offset of the first ring object.</summary>
    public long RingPoolOffset => (long)InterfaceCount * InterfaceSize;

    /// <summary>Offset of buffer index 0.</summary>
    public long BufferPoolOffset => RingPoolOffset + ((long)RingCount * RingSize);

    /// <summary><c>nr_memsize</c>.</summary>
    public long TotalSize => BufferPoolOffset + ((long)BufferCount * BufferSize);

    /// <summary>The most slots a ring object of <see cref="RingSize"/> bytes holds.</summary>
    public int MaxSlots => (RingSize - 256) / 16;

    /// <summary>
    /// Rings a <c>netmap_if</c> of the fake may list: a NIC has at most 64 rings
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
        if (RingSize < 256 + (2 * 16) || RingSize % 16 != 0)
            return "RingSize must be a multiple of 16 of at least 288 bytes (the ring header and two slots)";
        if (BufferSize is < 64 or > ushort.MaxValue)
            return "BufferSize must be 64 to 65535 bytes (a slot's len is 16 bits)";
        return null;
    }
}
