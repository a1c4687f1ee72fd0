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
}
