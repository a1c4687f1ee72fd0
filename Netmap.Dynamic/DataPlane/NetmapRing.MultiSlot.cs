using System.Diagnostics.CodeAnalysis;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic;

// Multi-slot packets (NS_MOREFRAG): a packet longer than one buffer spans consecutive slots, each
// but the last flagged NS_MOREFRAG. Netmap publishes only whole packets (a pipe moves the
// receiver's tail past complete packets only; VALE reserves room for every fragment before it
// copies), so a reader finds either a whole packet before Tail or nothing. These methods honour
// per-slot offsets: each fragment starts at its slot's offset.
public readonly unsafe partial struct NetmapRing
{
    /// <summary>
    /// The packet at <see cref="Head"/> with all its slots, without copying or advancing; false when
    /// the ring holds no whole packet. Give its slots back with <c>Advance(packet.SlotCount)</c>.
    /// A slot whose offset and length leave its buffer throws <see cref="InvalidOperationException"/>.
    /// </summary>
    public bool TryPeekPacket(out NetmapPacket packet)
    {
        netmap_ring* r = Ring;
        uint head = r->head, tail = r->tail;
        packet = default;
        if (head >= _slotCount) ThrowSlotIndex(head);
        if (tail >= _slotCount) ThrowSlotIndex(tail);   // else a corrupt tail would never be reached
        int slots = 0;
        int length = 0;
        for (uint i = head; i != tail; i = i + 1 == _slotCount ? 0 : i + 1)
        {
            ref NetmapSlot slot = ref SlotAt(r, i);
            uint offset = OffsetOf(ref slot, i);
            if (slot.Length > _bufferSize - offset) ThrowOffsetLength(i, offset, slot.Length);
            CheckBufferIndex(slot.BufferIndex, i);
            length += slot.Length;
            slots++;
            if ((slot.Flags & NetmapSlotFlags.NS_MOREFRAG) == 0)
            {
                packet = new NetmapPacket(this, head, slots, length);
                return true;
            }
        }
        return false;   // empty, or the last slot before Tail still says "more": not a whole packet
    }

    /// <summary>
    /// RX: copies the whole packet at <see cref="Head"/> (all its slots) into <paramref name="destination"/>
    /// and advances past it; false when the ring holds no whole packet. Throws
    /// <see cref="ArgumentException"/> (consuming nothing) when <paramref name="destination"/> is shorter
    /// than the packet: use <see cref="TryPeekPacket"/> to learn its length first.
    /// </summary>
    public bool TryReadPacket(Span<byte> destination, out int length)
    {
        if (!TryPeekPacket(out NetmapPacket packet))
        {
            length = 0;
            return false;
        }
        if (packet.Length > destination.Length)
            throw new ArgumentException($"The packet has {packet.Length} bytes; the destination holds {destination.Length}.", nameof(destination));
        length = packet.CopyTo(destination);
        Advance(packet.SlotCount);
        return true;
    }

    /// <summary>
    /// TX: writes <paramref name="packet"/> from <see cref="Head"/> on, into as many slots as it needs
    /// (each slot holds <see cref="BufferSize"/> minus its offset), flags all but the last
    /// <c>NS_MOREFRAG</c>, and advances past them. False, writing nothing, when the ring has too few
    /// free slots. A packet that fits one slot takes one slot, at that slot's offset.
    /// </summary>
    public bool TryWritePacket(ReadOnlySpan<byte> packet)
    {
        netmap_ring* r = Ring;
        uint head = r->head, tail = r->tail;
        if (head >= _slotCount) ThrowSlotIndex(head);
        if (tail >= _slotCount) ThrowSlotIndex(tail);
        uint space = tail >= head ? tail - head : tail + _slotCount - head;

        // First pass: count the slots the packet needs with the offsets the slots carry now.
        int remaining = packet.Length;
        uint needed = 0;
        uint i = head;
        do
        {
            if (needed == space) return false;
            uint room = _bufferSize - OffsetOf(ref SlotAt(r, i), i);
            if (room == 0 && remaining > 0) ThrowNoRoom(i);
            remaining -= (int)Math.Min(room, (uint)remaining);
            needed++;
            i = i + 1 == _slotCount ? 0 : i + 1;
        }
        while (remaining > 0);

        // Second pass: copy, set lengths and flags.
        int at = 0;
        i = head;
        for (uint k = 0; k < needed; k++)
        {
            ref NetmapSlot slot = ref SlotAt(r, i);
            uint offset = OffsetOf(ref slot, i);
            int part = (int)Math.Min(_bufferSize - offset, (uint)(packet.Length - at));
            packet.Slice(at, part).CopyTo(new Span<byte>(BufferAddress(slot.BufferIndex, i) + offset, part));
            slot.Length = (ushort)part;
            slot.Flags = k + 1 < needed ? slot.Flags | NetmapSlotFlags.NS_MOREFRAG : slot.Flags & ~NetmapSlotFlags.NS_MOREFRAG;
            at += part;
            i = i + 1 == _slotCount ? 0 : i + 1;
        }
        r->head = i;
        r->cur = i;
        return true;
    }

    /// <summary>One fragment of a packet peeked with <see cref="TryPeekPacket"/> (checked when peeked; rechecked here).</summary>
    internal ReadOnlySpan<byte> Fragment(uint slotIndex)
    {
        netmap_ring* r = Ring;
        if (slotIndex >= _slotCount) ThrowSlotIndex(slotIndex);
        ref NetmapSlot slot = ref SlotAt(r, slotIndex);
        uint offset = OffsetOf(ref slot, slotIndex);
        uint length = slot.Length;
        if (length > _bufferSize - offset) ThrowOffsetLength(slotIndex, offset, length);
        return new ReadOnlySpan<byte>(BufferAddress(slot.BufferIndex, slotIndex) + offset, (int)length);
    }

    [DoesNotReturn]
    private void ThrowNoRoom(uint index) =>
        throw new InvalidOperationException(
            $"Slot {index} of {(_isTx ? "TX" : "RX")} ring {_number} of '{_owner?.PortName}' has its offset at the end of the buffer: no room for data.");
}
