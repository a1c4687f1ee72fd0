using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Interop;

/// <summary>
/// <c>struct nmreq_pools_info</c>: body of <c>NETMAP_REQ_POOLS_INFO_GET</c>, and the layout of a
/// memory region (interface, ring and buffer pools) in <see cref="nmreq_opt_extmem"/>.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
public struct nmreq_pools_info
{
    /// <summary>Size of the whole region.</summary>
    [FieldOffset(0)] public ulong nr_memsize;
    /// <summary>Memory allocator id.</summary>
    [FieldOffset(8)] public ushort nr_mem_id;
    /// <summary>Padding.</summary>
    [FieldOffset(10)] public FixedUInt16x3 pad1;
    /// <summary>Offset of the interface pool.</summary>
    [FieldOffset(16)] public ulong nr_if_pool_offset;
    /// <summary>Objects in the interface pool.</summary>
    [FieldOffset(24)] public uint nr_if_pool_objtotal;
    /// <summary>Size of one interface object.</summary>
    [FieldOffset(28)] public uint nr_if_pool_objsize;
    /// <summary>Offset of the ring pool.</summary>
    [FieldOffset(32)] public ulong nr_ring_pool_offset;
    /// <summary>Objects in the ring pool.</summary>
    [FieldOffset(40)] public uint nr_ring_pool_objtotal;
    /// <summary>Size of one ring object.</summary>
    [FieldOffset(44)] public uint nr_ring_pool_objsize;
    /// <summary>Offset of the buffer pool.</summary>
    [FieldOffset(48)] public ulong nr_buf_pool_offset;
    /// <summary>Buffers in the pool.</summary>
    [FieldOffset(56)] public uint nr_buf_pool_objtotal;
    /// <summary>Size of one buffer.</summary>
    [FieldOffset(60)] public uint nr_buf_pool_objsize;
}
