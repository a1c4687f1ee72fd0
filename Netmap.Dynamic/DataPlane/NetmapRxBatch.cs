namespace Netmap.Dynamic;

/// <summary>
/// Received packets taken by <see cref="NetmapRing.Peek"/>: positions <c>0 .. Count-1</c> are the
/// slots <c>head, head+1, ...</c>, never past the ring's last slot. Read them (<see cref="GetPacket"/>, <c>batch[i]</c>),
/// then <see cref="Release(int)"/> how many are done: one store of <c>head</c>/<c>cur</c> for the
/// whole batch.
/// </summary>
/// <remarks>
/// <para>
/// Checked once per batch (in <see cref="NetmapRing.Peek"/>): direction, <c>head</c>/<c>tail</c>
/// inside the ring, the <c>[head, tail)</c> range. Checked on every access: the position against
/// <see cref="Count"/>, the slot's buffer index against the region, the length against
/// <c>nr_buf_size</c>, and the port's lifetime (so a batch used after the port's Dispose throws
/// <see cref="ObjectDisposedException"/>).
/// </para>
/// <para>
/// Rules: a batch is a <c>ref struct</c>, so it lives on one thread's stack within one method and
/// cannot be stored, captured or awaited across. While it is open the ring's <c>head</c> belongs to
/// it: no <c>Advance</c>/<c>TryRead</c> on the ring and no second batch on it until
/// <see cref="Release(int)"/> (a moved head makes Release throw). An RX sync while the batch is open
/// is harmless: it returns to the kernel only what was released before, and may make
/// <see cref="NetmapRing.Tail"/> move on (a later batch sees the new packets). Packet spans are
/// valid until the slot is released and synced, and never after the port's Dispose. After
/// <see cref="Release(int)"/> the batch is empty.
/// </para>
/// </remarks>
public ref struct NetmapRxBatch
{
    private BatchSlots _slots;

    internal NetmapRxBatch(NetmapRing ring, uint head, int count) => _slots = new BatchSlots(ring, head, count);

    /// <summary>Packets in the batch (0 when the ring was empty).</summary>
    public readonly int Count => _slots.Count;

    /// <summary>True when the batch has no packet.</summary>
    public readonly bool IsEmpty => _slots.Count == 0;

    /// <summary>The ring index of position 0 (the ring's <c>head</c> when the batch was made).</summary>
    public readonly int FirstSlot => _slots.FirstSlot;

    /// <summary>
    /// Every slot of the batch as one span (a batch never wraps): the fastest way through it, a plain
    /// loop with no check per slot. The port's lifetime is checked here, once; like every span over
    /// ring memory it must not be used after the port's Dispose.
    /// </summary>
    public readonly Span<NetmapSlot> Slots => _slots.Slots;

    /// <summary>The slots behind the batch, for <see cref="NetmapZeroCopy.Forward"/>.</summary>
    internal readonly BatchSlots Batch => _slots;

    /// <summary>The ring index of <paramref name="position"/> (for the ring's own indexer or logs).</summary>
    public readonly int SlotIndex(int position) => (int)_slots.RingIndex(position);

    /// <summary>The slot at <paramref name="position"/> (length, flags, buffer index); writes go to shared memory.</summary>
    public readonly ref NetmapSlot this[int position] => ref _slots[position];

    /// <summary>The packet at <paramref name="position"/>: the first <c>len</c> bytes of its slot's buffer.</summary>
    /// <exception cref="InvalidOperationException">The slot names a buffer outside the region or a length above <c>nr_buf_size</c> (corrupt slot).</exception>
    public readonly Span<byte> GetPacket(int position) => _slots.Packet(position);

    /// <summary>
    /// Gives the first <paramref name="count"/> slots back (<c>head = cur = head + count</c>); the next
    /// RX sync or poll returns them to the kernel. The batch is empty afterwards.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or above <see cref="Count"/>.</exception>
    /// <exception cref="InvalidOperationException">The ring's head moved while the batch was open.</exception>
    public void Release(int count) => _slots.End(count);

    /// <summary>Releases every packet of the batch.</summary>
    public void Release() => _slots.End(_slots.Count);
}
