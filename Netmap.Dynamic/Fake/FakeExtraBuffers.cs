using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Fake;

/// <summary>
/// Extra buffers (<c>nr_extra_bufs</c>) as the kernel hands them out and takes them back: a list
/// threaded through the buffers' first four bytes, starting at the registration's
/// <c>netmap_if.ni_bufs_head</c> (0 ends it).
/// </summary>
internal static unsafe class FakeExtraBuffers
{
    /// <summary>
    /// <c>netmap_extra_alloc</c>: takes up to <paramref name="count"/> of the lowest free buffers, each
    /// linked to the one taken before it (so the head is the last one taken), and writes the head into
    /// the <c>netmap_if</c> at <paramref name="interfaceOffset"/>. Returns how many it got: fewer than
    /// asked when the allocator runs out, which is not an error.
    /// </summary>
    public static uint Allocate(FakeMemory memory, long interfaceOffset, int count)
    {
        netmap_if* nifp = (netmap_if*)(memory.Base + interfaceOffset);
        uint head = 0, granted = 0;
        while (granted < (uint)Math.Max(count, 0) && memory.TryAllocateBuffer(out uint index))
        {
            Next(memory, index) = head;
            head = index;
            granted++;
        }
        nifp->ni_bufs_head = head;
        return granted;
    }

    /// <summary>
    /// <c>netmap_extra_free</c>, when a registration goes: follows the list from <c>ni_bufs_head</c>,
    /// clearing each link, and frees every buffer on it; stops at an index outside the pool or at a
    /// buffer that is free already (the kernel logs "breaking with head" there).
    /// </summary>
    public static void Free(FakeMemory memory, long interfaceOffset)
    {
        netmap_if* nifp = (netmap_if*)(memory.Base + interfaceOffset);
        uint head = nifp->ni_bufs_head;
        while (head >= 2 && head < (uint)memory.Layout.BufferCount)
        {
            uint current = head;
            head = Next(memory, current);
            Next(memory, current) = 0;
            if (!memory.TryFreeBuffer(current)) break;
        }
    }

    private static ref uint Next(FakeMemory memory, uint index) => ref *(uint*)(memory.Base + memory.Layout.BufferPoolOffset + ((long)index * memory.Layout.BufferSize));
}
