using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic;

// Per-slot buffer offsets (NETMAP_REQ_OPT_OFFSETS, the @offset option): the low bits of a slot's
// `ptr` (offset_mask) say where the packet starts inside its buffer, so a program can keep headroom
// in front of a packet. The mask and the largest offset the kernel accepts are read once at open
// (the ring header is user-writable). On a port opened without offsets the mask is 0: every offset
// reads as 0 and only 0 may be written.
public readonly unsafe partial struct NetmapRing
{
    /// <summary>True when this ring carries per-slot offsets (the port was opened with <c>@offset</c> or <see cref="NetmapPortOptions.Offsets"/>).</summary>
    public bool HasOffsets { get { _ = Ring; return _offsetMask != 0; } }

    /// <summary>
    /// The largest offset <see cref="SetOffset"/> accepts: the kernel's <c>nro_max_offset</c> for this
    /// port, 0 without offsets. The kernel would silently crop a larger one.
    /// </summary>
    public int MaxOffset { get { _ = Ring; return (int)_maxOffset; } }

    /// <summary>
    /// The offset of slot <paramref name="index"/>: where its packet starts in the buffer
    /// (<c>NETMAP_ROFFSET</c>). Throws <see cref="InvalidOperationException"/> when it lies beyond the buffer.
    /// </summary>
    public int GetOffset(int index)
    {
        ref NetmapSlot slot = ref this[index];
        return (int)OffsetOf(ref slot, (uint)index);
    }

    /// <summary>
    /// Sets the offset of slot <paramref name="index"/> (<c>NETMAP_WOFFSET</c>), keeping the other bits
    /// of <c>ptr</c>. It must be at most <see cref="MaxOffset"/>; on a ring without offsets only 0 is allowed.
    /// </summary>
    public void SetOffset(int index, int offset)
    {
        ref NetmapSlot slot = ref this[index];
        if ((uint)offset > _maxOffset) ThrowOffsetArgument(offset);   // a negative offset fails too
        slot.Ptr = (slot.Ptr & ~_offsetMask) | ((ulong)(uint)offset & _offsetMask);
    }

    /// <summary>
    /// The packet of slot <paramref name="index"/> where it really starts: <c>len</c> bytes from the
    /// slot's offset (<c>NETMAP_BUF_OFFSET</c>). Checks offset + len against <see cref="BufferSize"/>.
    /// </summary>
    public Span<byte> GetPacketAtOffset(int index)
    {
        ref NetmapSlot slot = ref this[index];
        uint at = (uint)index;
        uint offset = OffsetOf(ref slot, at);
        uint length = slot.Length;
        if (length > _bufferSize - offset) ThrowOffsetLength(at, offset, length);
        return new Span<byte>(BufferAddress(slot.BufferIndex, at) + offset, (int)length);
    }

    /// <summary>
    /// The room of slot <paramref name="index"/> after its offset (<see cref="BufferSize"/> minus the
    /// offset bytes): where a program writes a packet to send; then set <c>Length</c> to what it wrote.
    /// </summary>
    public Span<byte> GetBufferAtOffset(int index)
    {
        ref NetmapSlot slot = ref this[index];
        uint at = (uint)index;
        uint offset = OffsetOf(ref slot, at);
        return new Span<byte>(BufferAddress(slot.BufferIndex, at) + offset, (int)(_bufferSize - offset));
    }

    /// <summary>The slot's offset, checked to lie inside the buffer (a corrupt or hostile <c>ptr</c> throws).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint OffsetOf(ref NetmapSlot slot, uint index)
    {
        ulong offset = slot.Ptr & _offsetMask;
        if (offset > _bufferSize) ThrowOffset(index, offset);
        return (uint)offset;
    }

    [DoesNotReturn]
    private void ThrowOffset(uint index, ulong offset) =>
        throw new InvalidOperationException(
            $"Slot {index} of {(_isTx ? "TX" : "RX")} ring {_number} of '{_owner?.PortName}' has offset {offset}, beyond the {_bufferSize}-byte buffer (corrupt slot).");

    [DoesNotReturn]
    private void ThrowOffsetLength(uint index, uint offset, uint length) =>
        throw new InvalidOperationException(
            $"Slot {index} of {(_isTx ? "TX" : "RX")} ring {_number} of '{_owner?.PortName}' has offset {offset} and len {length}, past the {_bufferSize}-byte buffer (corrupt slot).");

    [DoesNotReturn]
    private void ThrowOffsetArgument(int offset) =>
        throw new ArgumentOutOfRangeException(nameof(offset), offset, _offsetMask == 0
            ? $"'{_owner?.PortName}' was opened without buffer offsets: open it with @offset (or NetmapPortOptions.Offsets) to use them."
            : $"The offset must be at most {_maxOffset}, the largest offset declared to the kernel for '{_owner?.PortName}'.");
}
