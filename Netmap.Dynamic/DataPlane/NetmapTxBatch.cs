namespace Netmap.Dynamic;

/// <summary>
/// Free TX slots reserved by <see cref="NetmapRing.Reserve"/>: positions <c>0 .. Count-1</c> are the
/// slots <c>head, head+1, ...</c>, never past the ring's last slot. Fill their buffers (<see cref="GetBuffer"/>,
/// <see cref="Write"/>) and lengths (<c>batch[i].Length</c>), then <see cref="Commit(int)"/> how many
/// are ready: one store of <c>head</c>/<c>cur</c> for the whole batch.
/// </summary>
/// <remarks>
/// <para>
/// Checked once per batch (in <see cref="NetmapRing.Reserve"/>): direction, <c>head</c>/<c>tail</c>
/// inside the ring, the <c>[head, tail)</c> range. Checked on every access: the position against
/// <see cref="Count"/>, the slot's buffer index against the region, and the port's lifetime (so a
/// batch used after the port's Dispose throws <see cref="ObjectDisposedException"/>).
/// </para>
/// <para>
/// Rules: a batch is a <c>ref struct</c>, so it lives on one thread's stack within one method and
/// cannot be stored, captured or awaited across. While it is open the ring's <c>head</c> belongs to
/// it: no <c>Advance</c>/<c>TryWrite</c> on the ring and no second batch on it until
/// <see cref="Commit(int)"/> (a moved head makes Commit throw). A sync while the batch is open is
/// harmless: it sends only what was committed before. Spans from <see cref="GetBuffer"/> are
/// valid until the slot is committed and synced, and never after the port's Dispose. After
/// <see cref="Commit(int)"/> the batch is empty.
/// </para>
/// </remarks>
public ref struct NetmapTxBatch
{
    private BatchSlots _slots;

    internal NetmapTxBatch(NetmapRing ring, uint head, int count) => _slots = new BatchSlots(ring, head, count);

    /// <summary>Slots in the batch (0 when the ring was full).</summary>
    public readonly int Count => _slots.Count;

    /// <summary>True when the batch has no slot.</summary>
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

    /// <summary>The slot at <paramref name="position"/>; writes go to shared memory (set <c>Length</c> here).</summary>
    public readonly ref NetmapSlot this[int position] => ref _slots[position];

    /// <summary>The whole buffer (<c>nr_buf_size</c> bytes) of the slot at <paramref name="position"/>.</summary>
    public readonly Span<byte> GetBuffer(int position) => _slots.Buffer(position);

    /// <summary>Copies <paramref name="frame"/> into the buffer of the slot at <paramref name="position"/> and sets its length.</summary>
    /// <exception cref="ArgumentException">The frame is longer than a buffer.</exception>
    public readonly void Write(int position, ReadOnlySpan<byte> frame) => _slots.Write(position, frame);

    /// <summary>
    /// Hands the first <paramref name="count"/> slots to the kernel's side (<c>head = cur = head + count</c>);
    /// the next TX sync or poll sends them. The batch is empty afterwards.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or above <see cref="Count"/>.</exception>
    /// <exception cref="InvalidOperationException">The ring's head moved while the batch was open.</exception>
    public void Commit(int count) => _slots.End(count);

    /// <summary>Commits every slot of the batch.</summary>
    public void Commit() => _slots.End(_slots.Count);
}
