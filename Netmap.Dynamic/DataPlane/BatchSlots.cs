using System.Runtime.CompilerServices;

namespace Netmap.Dynamic;

/// <summary>
/// What <see cref="NetmapTxBatch"/> and <see cref="NetmapRxBatch"/> are made of: the ring slots
/// <c>[head, head + count)</c>, never past the ring's end, with the per-position check. The two
/// public types only name the operations for their direction.
/// </summary>
internal struct BatchSlots(NetmapRing ring, uint head, int count)
{
    private readonly NetmapRing _ring = ring;
    private uint _head = head;
    private int _count = count;

    public readonly int Count => _count;

    /// <summary>The ring the batch belongs to (default for an empty default batch).</summary>
    public readonly NetmapRing Ring => _ring;

    public readonly int FirstSlot => (int)_head;

    // An empty batch may be default (the helpers return one when nothing arrived): it touches no ring.
    public readonly Span<NetmapSlot> Slots => _count == 0 ? default : _ring.BatchSlots(_head, _count);

    public readonly ref NetmapSlot this[int position] => ref _ring.BatchSlot(RingIndex(position));

    public readonly Span<byte> Buffer(int position) => _ring.BatchBuffer(RingIndex(position));

    public readonly Span<byte> Packet(int position) => _ring.BatchPacket(RingIndex(position));

    public readonly void Write(int position, ReadOnlySpan<byte> frame) => _ring.BatchWrite(RingIndex(position), frame);

    /// <summary>The ring index of <paramref name="position"/>, checked against the count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly uint RingIndex(int position)
    {
        if ((uint)position >= (uint)_count) NetmapRing.ThrowBatchPosition(position, _count);
        return _head + (uint)position;   // a batch never wraps
    }

    /// <summary>Moves head and cur past the first <paramref name="done"/> slots; the batch is empty afterwards.</summary>
    public void End(int done)
    {
        if (done == 0 && _count == 0) return;   // nothing to give back (and a default batch has no ring)
        _head = _ring.EndBatch(_head, _count, done);
        _count = 0;
    }
}
