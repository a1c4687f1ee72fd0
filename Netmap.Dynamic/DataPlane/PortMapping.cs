using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic;

/// <summary>
/// What a backend hands <see cref="NetmapPort"/> after a successful register: where the shared
/// region is, where this port's <c>netmap_if</c> lies in it, and the register reply.
/// Everything else (ring addresses, slot counts, buffer size) the port reads from the region itself,
/// the way a C program does, so the same code runs over the kernel's mapping and the fake's.
/// </summary>
internal readonly unsafe struct PortMapping
{
    /// <summary>Start of the mapped region.</summary>
    public required byte* RegionBase { get; init; }

    /// <summary><c>nr_memsize</c>: bytes mapped from <see cref="RegionBase"/>.</summary>
    public required long RegionSize { get; init; }

    /// <summary><c>nr_offset</c>: where this port's <c>netmap_if</c> starts.</summary>
    public required long InterfaceOffset { get; init; }

    /// <summary><c>nr_mem_id</c>.</summary>
    public required ushort MemId { get; init; }

    /// <summary>Same object for every port of the same allocator (see <see cref="PortLifetime.MemoryIdentity"/>).</summary>
    public required object MemoryIdentity { get; init; }

    /// <summary><c>nr_host_tx_rings</c> of the reply (the <c>netmap_if</c> always lists at least one).</summary>
    public required int HostTxRings { get; init; }

    /// <summary><c>nr_host_rx_rings</c> of the reply.</summary>
    public required int HostRxRings { get; init; }

    /// <summary>The mode, ring id and flags the port was registered with.</summary>
    public required NetmapRegisterMode Mode { get; init; }

    /// <summary><c>nr_ringid</c>.</summary>
    public required ushort RingId { get; init; }

    /// <summary><c>nr_flags</c>.</summary>
    public required NetmapRegisterFlags Flags { get; init; }

    /// <summary>
    /// The largest buffer offset the kernel accepts from this port (<c>nro_max_offset</c> of its
    /// answer); 0 when the port did not ask for offsets, so that only offset 0 may be written.
    /// </summary>
    public ulong MaxOffset { get; init; }

    /// <summary>
    /// Extra buffers the kernel granted (<c>nr_extra_bufs</c> of its answer); their free list starts
    /// at the <c>netmap_if</c>'s <c>ni_bufs_head</c>.
    /// </summary>
    public uint ExtraBuffers { get; init; }
}
