namespace Netmap.Dynamic;

/// <summary>
/// How external memory (<c>@extmem</c>, <see cref="NetmapExternalMemory"/>) is divided into netmap's
/// three pools: <c>netmap_if</c> objects, ring objects and packet buffers (the kernel's
/// <c>nmreq_pools_info</c>). The kernel lays the pools out in this order from the start of the
/// memory, each pool starting on a page, so the memory must hold <see cref="RequiredBytes"/>.
/// </summary>
/// <param name="InterfaceCount">netmap_if objects: one per port registered on this memory.</param>
/// <param name="InterfaceSize">Bytes per netmap_if object.</param>
/// <param name="RingCount">Ring objects: one per ring of every port (TX, RX and host rings).</param>
/// <param name="RingSize">Bytes per ring object: 256 plus 16 per slot, at least.</param>
/// <param name="BufferCount">Packet buffers (indexes 0 and 1 are reserved by the kernel).</param>
/// <param name="BufferSize">Bytes per buffer (<c>nr_buf_size</c>).</param>
public sealed record NetmapExternalMemoryLayout(int InterfaceCount, int InterfaceSize, int RingCount, int RingSize, int BufferCount, int BufferSize)
{
    /// <summary>
    /// The kernel's own defaults for a private allocator (<c>priv_if_num</c> 2 × 1024 B,
    /// <c>priv_ring_num</c> 4 × 20480 B, <c>priv_buf_num</c> 4098 × 2048 B): enough for one VALE port
    /// or pipe with one ring pair of 1024 slots. 8478720 bytes with 4 KiB pages.
    /// </summary>
    public static NetmapExternalMemoryLayout Default { get; } = new(2, 1024, 4, 20480, 4098, 2048);

    /// <summary>Bytes the pools take: each pool rounded up to whole pages, as the kernel places them.</summary>
    public long RequiredBytes
    {
        get
        {
            long page = Environment.SystemPageSize;
            return RoundUp((long)InterfaceCount * InterfaceSize, page) + RoundUp((long)RingCount * RingSize, page)
                + ((long)BufferCount * BufferSize);
        }
    }

    /// <summary>The layout a spec's <c>@extmem</c> pool numbers ask for; numbers not given take <see cref="Default"/>'s.</summary>
    public static NetmapExternalMemoryLayout From(NetmapExtMemOption option)
    {
        ArgumentNullException.ThrowIfNull(option);
        NetmapExternalMemoryLayout d = Default;
        return new(Positive(option.IfNum) ?? d.InterfaceCount, Positive(option.IfSize) ?? d.InterfaceSize,
            Positive(option.RingNum) ?? d.RingCount, Positive(option.RingSize) ?? d.RingSize,
            Positive(option.BufNum) ?? d.BufferCount, Positive(option.BufSize) ?? d.BufferSize);
    }

    /// <summary>Why the kernel could not use this layout, or null: every count and size must be positive.</summary>
    internal string? Problem()
    {
        if (InterfaceCount < 1 || InterfaceSize < 1 || RingCount < 1 || RingSize < 1 || BufferCount < 3 || BufferSize < 1)
            return "every pool needs a positive count and size, and at least 3 buffers (0 and 1 are reserved)";
        if (RingSize < 256 + (2 * 16))
            return "a ring object needs at least 288 bytes (the 256-byte header and two slots)";
        return null;
    }

    /// <summary>0 in a spec means "the kernel's default", like a missing key.</summary>
    private static int? Positive(int? value) => value is > 0 ? value : null;

    private static long RoundUp(long bytes, long page) => (bytes + page - 1) / page * page;
}
