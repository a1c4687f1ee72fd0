using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic;

/// <summary>
/// The batch entry points of the ring view (<see cref="Reserve"/>, <see cref="Peek"/>) and the
/// few unchecked steps <see cref="NetmapTxBatch"/> and <see cref="NetmapRxBatch"/> are built of.
/// </summary>
/// <remarks>
/// What a batch checks once, when it is made: the port's lifetime, the ring's direction, that
/// <c>head</c> and <c>tail</c> (user-writable memory) are below <c>num_slots</c>, and so that
/// every slot of <c>[head, head + count)</c> is one the user owns. A batch never wraps around the
/// end of the ring, so its slots are contiguous. What it checks on every access,
/// because a peer or a corrupt slot could make it wrong at any time: the position against the
/// batch's count, the slot's buffer index against the region, the packet length against
/// <c>nr_buf_size</c> — and the port's lifetime (one load and compare), so a batch used after
/// <see cref="NetmapPort.Dispose"/> throws <see cref="ObjectDisposedException"/> like the ring does.
/// </remarks>
public readonly unsafe partial struct NetmapRing
{
    /// <summary>
    /// TX: reserves up to <paramref name="maxSlots"/> free slots from <see cref="Head"/> (as many as
    /// <see cref="Space"/> allows and the ring has before its end, maybe none: a batch never wraps, the
    /// next one starts at slot 0). Fill their buffers and lengths through the batch, then
    /// <see cref="NetmapTxBatch.Commit(int)"/> the first <c>k</c> of them; the next
    /// <see cref="NetmapPort.TxSync"/> or poll sends them. Nothing is sent for slots not committed.
    /// </summary>
    /// <exception cref="InvalidOperationException">This is an RX ring, or its head/tail lie outside the ring (corrupt header).</exception>
    /// <exception cref="ObjectDisposedException">The port is disposed.</exception>
    public NetmapTxBatch Reserve(int maxSlots)
    {
        uint head = BeginBatch(maxSlots, transmit: true, out int count);
        return new NetmapTxBatch(this, head, count);
    }

    /// <summary>
    /// RX: takes up to <paramref name="maxPackets"/> received packets from <see cref="Head"/> (as many
    /// as <see cref="Space"/> holds and the ring has before its end, maybe none: a batch never wraps,
    /// the next one starts at slot 0). Read them through the batch, then
    /// <see cref="NetmapRxBatch.Release(int)"/> the first <c>k</c>; the next
    /// <see cref="NetmapPort.RxSync"/> or poll hands their slots back to the kernel.
    /// </summary>
    /// <exception cref="InvalidOperationException">This is a TX ring, or its head/tail lie outside the ring (corrupt header).</exception>
    /// <exception cref="ObjectDisposedException">The port is disposed.</exception>
    public NetmapRxBatch Peek(int maxPackets)
    {
        uint head = BeginBatch(maxPackets, transmit: false, out int count);
        return new NetmapRxBatch(this, head, count);
    }

    /// <summary>The checks made once per batch; returns <c>head</c> and how many slots from it the batch covers.</summary>
    private uint BeginBatch(int max, bool transmit, out int count)
    {
        netmap_ring* r = Ring;
        if (max < 0) ThrowNegativeBatch(max);
        if (_isTx != transmit) ThrowDirection(transmit);
        uint head = r->head, tail = r->tail;
        // head is user-writable and tail lives in user-writable memory: both are checked, so that
        // [head, head + count) is a run of slots the user owns inside the slot array.
        if (head >= _slotCount || tail >= _slotCount) ThrowCorruptHeader(head, tail);
        uint space = tail >= head ? tail - head : tail + _slotCount - head;
        // A batch never wraps: it ends at the last slot of the ring (the next one starts at slot 0),
        // so its slots are one contiguous run: position i is slot head + i, and Slots is a Span.
        count = (int)Math.Min(Math.Min(space, _slotCount - head), (uint)max);
        return head;
    }

    /// <summary>The slots <c>[head, head + count)</c> of a batch as a span, after one lifetime check.</summary>
    internal Span<NetmapSlot> BatchSlots(uint head, int count) =>
        MemoryMarshal.CreateSpan(ref SlotAt(BatchRing, head), count);

    /// <summary>The slot at ring index <paramref name="index"/> of a batch, after the per-access lifetime check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref NetmapSlot BatchSlot(uint index) => ref SlotAt(BatchRing, index);

    /// <summary>The whole buffer of the slot at ring index <paramref name="index"/> of a batch (buffer index checked).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Span<byte> BatchBuffer(uint index)
    {
        ref NetmapSlot slot = ref SlotAt(BatchRing, index);
        return new Span<byte>(BufferAddress(slot.BufferIndex, index), (int)_bufferSize);
    }

    /// <summary>The packet (first <c>len</c> bytes) of the slot at ring index <paramref name="index"/> of a batch (buffer index and length checked).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Span<byte> BatchPacket(uint index)
    {
        ref NetmapSlot slot = ref SlotAt(BatchRing, index);
        uint length = slot.Length;
        if (length > _bufferSize) ThrowLength(index, length);
        return new Span<byte>(BufferAddress(slot.BufferIndex, index), (int)length);
    }

    /// <summary>Copies <paramref name="frame"/> into the buffer of the slot at ring index <paramref name="index"/> and sets its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void BatchWrite(uint index, ReadOnlySpan<byte> frame)
    {
        ref NetmapSlot slot = ref SlotAt(BatchRing, index);
        if ((uint)frame.Length > _bufferSize) ThrowFrameTooLong(frame.Length);
        CopyFrame(frame, BufferAddress(slot.BufferIndex, index));
        slot.Length = (ushort)frame.Length;
    }

    /// <summary>
    /// The per-access lifetime check of a batch: one load and compare. A batch is only made from a
    /// bound ring, so the owner is never null here (no null test; a load through null would fault).
    /// </summary>
    private netmap_ring* BatchRing
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            PortLifetime owner = _owner!;
            if (owner.IsDisposed) ThrowUnusable(owner);
            return _ring;
        }
    }

    /// <summary>
    /// Ends a batch that began at <paramref name="head"/>: <c>head = cur = head + done</c>. Refuses
    /// when <c>head</c> moved since the batch began (the ring was advanced behind the batch's back).
    /// Returns the new head.
    /// </summary>
    internal uint EndBatch(uint head, int count, int done)
    {
        netmap_ring* r = Ring;
        if ((uint)done > (uint)count) ThrowBatchCount(done, count);
        if (r->head != head) ThrowBatchMoved(head, r->head);
        uint next = head + (uint)done;   // at most num_slots: a batch ends at the ring's end
        if (next == _slotCount) next = 0;
        r->head = next;
        r->cur = next;
        return next;
    }

    [DoesNotReturn]
    private static void ThrowNegativeBatch(int max) =>
        throw new ArgumentOutOfRangeException(nameof(max), max, "A batch size must not be negative.");

    [DoesNotReturn]
    private void ThrowDirection(bool transmit) =>
        throw new InvalidOperationException(transmit
            ? $"Reserve is for TX rings; RX ring {_number} of '{_owner?.PortName}' takes received packets with Peek."
            : $"Peek is for RX rings; TX ring {_number} of '{_owner?.PortName}' reserves free slots with Reserve.");

    [DoesNotReturn]
    private void ThrowCorruptHeader(uint head, uint tail) =>
        throw new InvalidOperationException(
            $"{(_isTx ? "TX" : "RX")} ring {_number} of '{_owner?.PortName}' has head {head} and tail {tail}, outside its {_slotCount} slots (corrupt ring header; a sync resets it).");

    [DoesNotReturn]
    private void ThrowFrameTooLong(int length) =>
        throw new ArgumentException($"A frame of {length} bytes does not fit a {_bufferSize}-byte buffer.", "frame");

    [DoesNotReturn]
    internal static void ThrowBatchPosition(int position, int count) =>
        throw new ArgumentOutOfRangeException(nameof(position), position, $"A batch position must be below the batch's count ({count}).");

    [DoesNotReturn]
    private static void ThrowBatchCount(int done, int count) =>
        throw new ArgumentOutOfRangeException(nameof(done), done, $"Can end at most the batch's {count} slots.");

    [DoesNotReturn]
    private static void ThrowBatchMoved(uint head, uint now) =>
        throw new InvalidOperationException(
            $"The ring's head moved from {head} to {now} while the batch was open: use one batch at a time and no Advance/TryWrite/TryRead on the ring until it is committed or released.");
}
