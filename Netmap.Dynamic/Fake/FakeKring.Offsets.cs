using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Fake;

// Per-slot buffer offsets (NETMAP_REQ_OPT_OFFSETS) as the kernel keeps them in its kring:
// `offset_mask` and `offset_max`, set by the first registration that asks for offsets and kept
// while the kring exists. The kernel reads an offset with nm_get_offset (crop to the max) and
// writes one with nm_write_offset (the mask's bits only).
internal sealed unsafe partial class FakeKring
{
    /// <summary><c>kring->offset_mask</c>: 0 while no registration asked for offsets.</summary>
    public ulong OffsetMask;

    /// <summary><c>kring->offset_max</c>: the largest offset the kernel reads from a slot.</summary>
    public ulong OffsetMax;

    /// <summary><c>nm_get_offset</c>: the slot's offset, cropped to <see cref="OffsetMax"/>.</summary>
    public int OffsetOf(ref netmap_slot slot)
    {
        ulong offset = slot.ptr & OffsetMask;
        return (int)Math.Min(offset, OffsetMax);
    }

    /// <summary><c>nm_write_offset</c>: stores <paramref name="offset"/> in the mask's bits of <c>ptr</c>.</summary>
    public void WriteOffset(ref netmap_slot slot, ulong offset) =>
        slot.ptr = (slot.ptr & ~OffsetMask) | (offset & OffsetMask);

    /// <summary>
    /// The packet bytes of <paramref name="slot"/> where the kernel reads them (<c>NMB_O</c>): from the
    /// slot's offset, <c>len</c> bytes; false when the buffer index is not in the pool or offset + len
    /// runs past the buffer (the kernel treats such a slot as empty).
    /// </summary>
    public bool TryGetPacket(ref netmap_slot slot, out Span<byte> packet)
    {
        FakeMemory memory = Adapter.Memory;
        int offset = OffsetOf(ref slot);
        if (!memory.IsValidBuffer(slot.buf_idx) || slot.len > memory.Layout.BufferSize - offset)
        {
            packet = default;
            return false;
        }
        packet = memory.Buffer(slot.buf_idx).Slice(offset, slot.len);
        return true;
    }
}
