namespace Netmap.Dynamic;

/// <summary>One pool of a memory allocator: where it starts in the region, how many objects, how large each is.</summary>
/// <param name="Offset">Bytes from the start of the region.</param>
/// <param name="Count">Objects in the pool (<c>objtotal</c>; for buffers, indexes 0 and 1 included).</param>
/// <param name="ObjectSize">Bytes per object.</param>
public readonly record struct NetmapPool(long Offset, int Count, int ObjectSize);

/// <summary>
/// The pools of the memory allocator behind a port (<c>NETMAP_REQ_POOLS_INFO_GET</c>): the region a
/// port maps holds <c>netmap_if</c> objects, then ring objects, then packet buffers.
/// </summary>
/// <param name="MemId">The allocator (<c>nr_mem_id</c>).</param>
/// <param name="MemorySize">Bytes of the region (<c>nr_memsize</c>).</param>
/// <param name="Interfaces">The <c>netmap_if</c> pool (one object per registration).</param>
/// <param name="Rings">The ring pool (one object per ring in use).</param>
/// <param name="Buffers">The packet buffer pool.</param>
public sealed record NetmapPoolsInfo(ushort MemId, long MemorySize, NetmapPool Interfaces, NetmapPool Rings, NetmapPool Buffers);
