using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic;

/// <summary>
/// A view over one <c>netmap_ring</c> in a port's shared memory: cheap to copy, no allocation.
/// The user owns the slots <c>[Head, Tail)</c>; on a TX ring they are free slots to fill, on an RX
/// ring received packets to read. <see cref="Advance"/> gives slots back; the next sync (or poll) of
/// the port hands them to the kernel and moves <see cref="Tail"/>.
/// </summary>
/// <remarks>
/// Every access is checked: the slot index against <c>num_slots</c>, the slot's buffer index
/// against the buffers that lie inside the mapped region, the packet length against
/// <c>nr_buf_size</c> (one compare each), so a corrupt slot throws
/// <see cref="InvalidOperationException"/> instead of reaching outside the region. The geometry is
/// read once, when the port is opened, and never again from the (user-writable) ring header.
/// After the port is disposed every member throws <see cref="ObjectDisposedException"/>.
/// </remarks>
public readonly unsafe partial struct NetmapRing
{
    private readonly PortLifetime? _owner;
    private readonly netmap_ring* _ring;
    private readonly byte* _buffers;      // ring + buf_ofs: the address of buffer index 0
    private readonly uint _slotCount;
    private readonly uint _bufferSize;
    private readonly uint _bufferLimit;   // every buffer index below this lies wholly inside the region
    private readonly int _number;         // ring number within its direction, for messages
    private readonly bool _isTx;
    private readonly ulong _offsetMask;   // offset_mask as read at open (0: no per-slot offsets)
    private readonly uint _maxOffset;     // the largest offset the kernel accepts from this port

    internal NetmapRing(PortLifetime owner, netmap_ring* ring, uint slotCount, uint bufferSize,
        byte* buffers, uint bufferLimit, int number, bool isTx, ulong offsetMask = 0, uint maxOffset = 0)
    {
        _owner = owner;
        _ring = ring;
        _slotCount = slotCount;
        _bufferSize = bufferSize;
        _buffers = buffers;
        _bufferLimit = bufferLimit;
        _number = number;
        _isTx = isTx;
        _offsetMask = offsetMask;
        _maxOffset = maxOffset;
    }

    /// <summary>First slot the user owns.</summary>
    public int Head => (int)Ring->head;

    /// <summary>The wake-up point: a poll waits until <see cref="Tail"/> moves past it. <see cref="Advance"/> sets it to <see cref="Head"/>.</summary>
    public int Cur => (int)Ring->cur;

    /// <summary>First slot the kernel owns; moved by syncs only.</summary>
    public int Tail => (int)Ring->tail;

    /// <summary><c>num_slots</c>.</summary>
    public int SlotCount { get { _ = Ring; return (int)_slotCount; } }

    /// <summary><c>nr_buf_size</c>: bytes in every buffer.</summary>
    public int BufferSize { get { _ = Ring; return (int)_bufferSize; } }

    /// <summary>True for a TX ring, false for an RX ring.</summary>
    public bool IsTransmit { get { _ = Ring; return _isTx; } }

    /// <summary>Slots the user owns: <c>(Tail - Head) mod SlotCount</c>. A ring of N slots holds at most N-1.</summary>
    public int Space
    {
        get
        {
            netmap_ring* r = Ring;
            return (int)SpaceOf(r->head, r->tail);
        }
    }

    /// <summary>True when the user owns no slot (<c>Head == Tail</c>).</summary>
    public bool IsEmpty
    {
        get
        {
            netmap_ring* r = Ring;
            return r->head == r->tail;
        }
    }

    /// <summary>The slot after <paramref name="index"/>, wrapping at <see cref="SlotCount"/>.</summary>
    public int Next(int index)
    {
        _ = Ring;
        return index + 1 == (int)_slotCount ? 0 : index + 1;
    }

    /// <summary>The slot <paramref name="index"/> (checked against <see cref="SlotCount"/>); writes go to shared memory.</summary>
    public ref NetmapSlot this[int index]
    {
        get
        {
            netmap_ring* r = Ring;
            // One unsigned compare rejects negative indexes too.
            if ((uint)index >= _slotCount) ThrowSlotIndex(index);
            return ref SlotAt(r, (uint)index);
        }
    }

    /// <summary>The whole buffer (<see cref="BufferSize"/> bytes) of slot <paramref name="index"/>.</summary>
    public Span<byte> GetBuffer(int index)
    {
        ref NetmapSlot slot = ref this[index];
        return new Span<byte>(BufferAddress(slot.BufferIndex, (uint)index), (int)_bufferSize);
    }

    /// <summary>The packet of slot <paramref name="index"/>: the first <c>len</c> bytes of its buffer.</summary>
    public Span<byte> GetPacket(int index)
    {
        ref NetmapSlot slot = ref this[index];
        uint length = slot.Length;
        if (length > _bufferSize) ThrowLength((uint)index, length);
        return new Span<byte>(BufferAddress(slot.BufferIndex, (uint)index), (int)length);
    }

    /// <summary>
    /// Gives <paramref name="count"/> slots from <see cref="Head"/> back: <c>head = cur = head + count</c>.
    /// Throws <see cref="ArgumentOutOfRangeException"/> when <paramref name="count"/> exceeds <see cref="Space"/>.
    /// </summary>
    public void Advance(int count)
    {
        netmap_ring* r = Ring;
        uint space = SpaceOf(r->head, r->tail);
        // One unsigned compare rejects a negative count too.
        if ((uint)count > space) ThrowAdvance(count, space);
        uint head = r->head + (uint)count;
        if (head >= _slotCount) head -= _slotCount;
        r->head = head;
        r->cur = head;
    }

    /// <summary>
    /// Moves only the wake-up point: <see cref="Cur"/> must lie in <c>[Head, Tail]</c>. A poll then
    /// waits until the ring has slots beyond it (for example, a whole batch) rather than just one.
    /// </summary>
    public void SetCur(int cur)
    {
        netmap_ring* r = Ring;
        uint head = r->head, tail = r->tail;
        uint space = SpaceOf(head, tail);
        uint at = (uint)cur;   // a negative cur becomes a huge one and fails the first test
        uint distance = at >= head ? at - head : at + _slotCount - head;
        if (at >= _slotCount || distance > space)
            throw new ArgumentOutOfRangeException(nameof(cur), cur, $"cur must lie between head ({head}) and tail ({tail}).");
        r->cur = at;
    }

    /// <summary>
    /// TX convenience: copies <paramref name="frame"/> into the buffer of the slot at <see cref="Head"/>,
    /// sets its length and advances by one. False when the ring has no free slot (sync or poll, then retry).
    /// </summary>
    public bool TryWrite(ReadOnlySpan<byte> frame)
    {
        // One lifetime check for the whole operation; head is user-writable, so it is checked too.
        netmap_ring* r = Ring;
        if ((uint)frame.Length > _bufferSize)
            throw new ArgumentException($"A frame of {frame.Length} bytes does not fit a {_bufferSize}-byte buffer.", nameof(frame));
        uint head = r->head;
        if (head == r->tail) return false;
        if (head >= _slotCount) ThrowSlotIndex(head);
        ref NetmapSlot slot = ref SlotAt(r, head);
        CopyFrame(frame, BufferAddress(slot.BufferIndex, head));
        slot.Length = (ushort)frame.Length;
        uint next = head + 1 == _slotCount ? 0 : head + 1;
        r->head = next;
        r->cur = next;
        return true;
    }

    /// <summary>
    /// RX convenience: the packet at <see cref="Head"/>, then advances by one. The span stays valid
    /// until the next RX sync or poll of this port (the slot then belongs to the kernel again).
    /// </summary>
    public bool TryRead(out ReadOnlySpan<byte> frame)
    {
        netmap_ring* r = Ring;
        uint head = r->head;
        if (head == r->tail)
        {
            frame = default;
            return false;
        }
        if (head >= _slotCount) ThrowSlotIndex(head);
        ref NetmapSlot slot = ref SlotAt(r, head);
        uint length = slot.Length;
        if (length > _bufferSize) ThrowLength(head, length);
        frame = new ReadOnlySpan<byte>(BufferAddress(slot.BufferIndex, head), (int)length);
        uint next = head + 1 == _slotCount ? 0 : head + 1;
        r->head = next;
        r->cur = next;
        return true;
    }

    /// <summary>
    /// The forwarding step of <see cref="NetmapZeroCopy.TryForward"/>: swaps the buffers of the
    /// slots at the two heads and advances both rings by one, with one lifetime check per ring.
    /// </summary>
    internal static bool TryForward(in NetmapRing rx, in NetmapRing tx)
    {
        netmap_ring* r = rx.Ring;
        netmap_ring* t = tx.Ring;
        uint rh = r->head, th = t->head;
        if (rh == r->tail || th == t->tail) return false;
        if (!rx.SharesMemoryWithUnchecked(in tx)) NetmapZeroCopy.ThrowDifferentRegions(rx, tx);
        if (rh >= rx._slotCount) rx.ThrowSlotIndex(rh);
        if (th >= tx._slotCount) tx.ThrowSlotIndex(th);
        ref NetmapSlot rs = ref SlotAt(r, rh);
        ref NetmapSlot ts = ref SlotAt(t, th);
        uint rxBuffer = rs.BufferIndex, txBuffer = ts.BufferIndex;
        rx.CheckBufferIndex(rxBuffer, rh);
        tx.CheckBufferIndex(txBuffer, th);
        ushort length = rs.Length;
        if (length > rx._bufferSize) rx.ThrowLength(rh, length);
        ts.BufferIndex = rxBuffer;
        ts.Length = length;
        ts.Flags |= NetmapSlotFlags.NS_BUF_CHANGED;
        rs.BufferIndex = txBuffer;
        rs.Flags |= NetmapSlotFlags.NS_BUF_CHANGED;
        uint rn = rh + 1 == rx._slotCount ? 0 : rh + 1;
        uint tn = th + 1 == tx._slotCount ? 0 : th + 1;
        r->head = r->cur = rn;
        t->head = t->cur = tn;
        return true;
    }

    /// <summary>True when both views map the same memory allocator (buffer indexes mean the same buffers).</summary>
    public bool SharesMemoryWith(NetmapRing other)
    {
        _ = Ring;
        _ = other.Ring;
        return SharesMemoryWithUnchecked(in other);
    }

    /// <summary><see cref="SharesMemoryWith"/> for callers that have already checked both lifetimes.</summary>
    internal bool SharesMemoryWithUnchecked(in NetmapRing other) =>
        ReferenceEquals(_owner, other._owner) || ReferenceEquals(_owner!.MemoryIdentity, other._owner!.MemoryIdentity);

    /// <summary>Slots the user owns between <paramref name="head"/> and <paramref name="tail"/> (no lifetime check).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint SpaceOf(uint head, uint tail) => tail >= head ? tail - head : tail + _slotCount - head;

    /// <summary><see cref="BufferSize"/> without the lifetime check, for callers that have made it.</summary>
    internal uint BufferSizeUnchecked => _bufferSize;

    /// <summary>The allocator id (<c>nr_mem_id</c>) of the port this ring belongs to.</summary>
    public ushort MemId { get { _ = Ring; return _owner!.MemId; } }

    /// <summary>Describes the ring (direction, number, head/cur/tail) for logs and debugging.</summary>
    public override string ToString() =>
        _owner is null ? "NetmapRing (unbound)"
        : _owner.IsDisposed ? $"NetmapRing {(_isTx ? "TX" : "RX")}{_number} of disposed port {_owner.PortName}"
        : $"NetmapRing {(_isTx ? "TX" : "RX")}{_number} of {_owner.PortName}: head {_ring->head} cur {_ring->cur} tail {_ring->tail} / {_slotCount}";

    /// <summary>Throws unless <paramref name="bufferIndex"/> names a buffer inside the region.</summary>
    internal void CheckBufferIndex(uint bufferIndex, uint slotIndex)
    {
        if (bufferIndex >= _bufferLimit) ThrowBufferIndex(slotIndex, bufferIndex);
    }

    /// <summary>The raw ring header, for the backends and tests (no check).</summary>
    internal netmap_ring* RawRing => _ring;

    private netmap_ring* Ring
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            PortLifetime? owner = _owner;
            if (owner is null || owner.IsDisposed) ThrowUnusable(owner);
            return _ring;
        }
    }

    /// <summary>
    /// Copies a frame into a buffer. Minimum-size frames (up to 64 bytes, the common case of a
    /// packet generator) are copied with four overlapping 16-byte moves inline: the general
    /// Memmove call costs a third of a small frame's whole budget (measured with perf on the pipe
    /// benchmark). Every move stays within [0, length) of both source and destination.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyFrame(ReadOnlySpan<byte> frame, byte* destination)
    {
        int length = frame.Length;
        if (length >= 16 && length <= 64)
        {
            ref byte source = ref MemoryMarshal.GetReference(frame);
            nuint last = (nuint)(length - 16);
            nuint half = (nuint)(length / 2) & ~(nuint)15;   // 0 or 16: with [0,16), [last, len) covers up to 32
            Vector128<byte> a = Unsafe.ReadUnaligned<Vector128<byte>>(ref source);
            Vector128<byte> b = Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.Add(ref source, half));
            Vector128<byte> c = Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.Add(ref source, last - half));
            Vector128<byte> d = Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.Add(ref source, last));
            Unsafe.WriteUnaligned(destination, a);
            Unsafe.WriteUnaligned(destination + half, b);
            Unsafe.WriteUnaligned(destination + (last - half), c);
            Unsafe.WriteUnaligned(destination + last, d);
            return;
        }
        frame.CopyTo(new Span<byte>(destination, length));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref NetmapSlot SlotAt(netmap_ring* ring, uint index) =>
        ref Unsafe.AsRef<NetmapSlot>((byte*)ring + netmap_ring.slot_offset + ((nint)index * sizeof(NetmapSlot)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte* BufferAddress(uint bufferIndex, uint slotIndex)
    {
        if (bufferIndex >= _bufferLimit) ThrowBufferIndex(slotIndex, bufferIndex);
        return _buffers + ((nint)bufferIndex * _bufferSize);
    }

    [DoesNotReturn]
    private static void ThrowUnusable(PortLifetime? owner)
    {
        if (owner is null)
            throw new InvalidOperationException("This NetmapRing is not bound to a port (default value).");
        throw new ObjectDisposedException(nameof(NetmapPort), $"Port '{owner.PortName}' is disposed; its rings can no longer be used.");
    }

    [DoesNotReturn]
    private void ThrowSlotIndex(long index) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, $"Slot index must be below num_slots ({_slotCount}).");

    [DoesNotReturn]
    private void ThrowBufferIndex(uint slotIndex, uint bufferIndex) =>
        throw new InvalidOperationException(
            $"Slot {slotIndex} of {(_isTx ? "TX" : "RX")} ring {_number} of '{_owner?.PortName}' names buffer {bufferIndex}, outside the region's {_bufferLimit} buffers (corrupt slot).");

    [DoesNotReturn]
    private void ThrowLength(uint slotIndex, uint length) =>
        throw new InvalidOperationException(
            $"Slot {slotIndex} of {(_isTx ? "TX" : "RX")} ring {_number} of '{_owner?.PortName}' has len {length}, more than nr_buf_size {_bufferSize} (corrupt slot).");

    [DoesNotReturn]
    private static void ThrowAdvance(int count, uint space) =>
        throw new ArgumentOutOfRangeException(nameof(count), count, $"Cannot advance past tail: the user owns {space} slots.");
}
