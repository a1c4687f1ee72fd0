namespace Netmap.Dynamic;

/// <summary>
/// A whole packet on an RX ring, as <see cref="NetmapRing.TryPeekPacket"/> found it: one slot, or
/// several joined by <c>NS_MOREFRAG</c>. A view, not a copy: valid until the ring's slots are given
/// back (<c>ring.Advance(packet.SlotCount)</c>) and the next sync, like any packet span.
/// </summary>
public readonly ref struct NetmapPacket
{
    private readonly NetmapRing _ring;
    private readonly uint _first;

    internal NetmapPacket(NetmapRing ring, uint first, int slotCount, int length)
    {
        _ring = ring;
        _first = first;
        SlotCount = slotCount;
        Length = length;
    }

    /// <summary>Slots the packet spans (1 for an ordinary packet).</summary>
    public int SlotCount { get; }

    /// <summary>Bytes in all its fragments together.</summary>
    public int Length { get; }

    /// <summary>The slot index of the first fragment.</summary>
    public int FirstSlot => (int)_first;

    /// <summary>Fragment <paramref name="index"/> (0 to <see cref="SlotCount"/> - 1): the bytes of one slot, from its offset.</summary>
    public ReadOnlySpan<byte> GetFragment(int index)
    {
        if ((uint)index >= (uint)SlotCount)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The packet has {SlotCount} fragments.");
        uint slot = _first + (uint)index;
        uint slots = (uint)_ring.SlotCount;
        return _ring.Fragment(slot >= slots ? slot - slots : slot);
    }

    /// <summary>Copies every fragment, in order, to <paramref name="destination"/>; returns <see cref="Length"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Length"/>.</exception>
    public int CopyTo(Span<byte> destination)
    {
        if (destination.Length < Length)
            throw new ArgumentException($"The packet has {Length} bytes; the destination holds {destination.Length}.", nameof(destination));
        int at = 0;
        for (int i = 0; i < SlotCount; i++)
        {
            ReadOnlySpan<byte> fragment = GetFragment(i);
            fragment.CopyTo(destination[at..]);
            at += fragment.Length;
        }
        return at;
    }
}
