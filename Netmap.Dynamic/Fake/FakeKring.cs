using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Fake;

/// <summary>
/// The kernel's private state of one ring (<c>struct netmap_kring</c>): <c>nr_hwcur</c>,
/// <c>nr_hwtail</c> and the last validated user values <c>rhead</c>/<c>rcur</c>/<c>rtail</c>, with the
/// sync prologues, <c>netmap_ring_reinit</c> and the finalize step reproduced from the kernel.
/// The user-visible <c>netmap_ring</c> is written only during syscalls of the port that owns it,
/// as on the real kernel. All members run under the adapter's lock.
/// </summary>
internal sealed unsafe class FakeKring
{
    public FakeKring(FakeAdapter adapter, bool isTx, int number, bool isHost, uint slots, long ringOffset)
    {
        Adapter = adapter;
        IsTx = isTx;
        Number = number;
        IsHost = isHost;
        SlotCount = slots;
        RingOffset = ringOffset;
        // The region never moves while the ring exists: compute the address once, not per slot access.
        Ring = (netmap_ring*)(adapter.Memory.Base + ringOffset);
    }

    public FakeAdapter Adapter { get; }
    public bool IsTx { get; }
    public int Number { get; }
    public bool IsHost { get; }
    public uint SlotCount { get; }
    public long RingOffset { get; }
    public netmap_ring* Ring { get; }

    public uint HwCur;
    public uint HwTail;
    public uint RHead;
    public uint RCur;
    public uint RTail;

    /// <summary>Pipes: the peer's ring (my TX ↔ its RX) and the tail the peer last published for me.</summary>
    public FakeKring? Pipe;
    public uint PipeTail;

    /// <summary>Ports binding this ring, and whether one of them holds it with <c>NR_EXCLUSIVE</c>.</summary>
    public int Users;
    public bool Exclusive;

    public string Name => $"{Adapter.Name} {(IsTx ? "TX" : "RX")}{Number}";

    public ref netmap_slot Slot(uint index) =>
        ref *(netmap_slot*)((byte*)Ring + netmap_ring.slot_offset + ((nint)index * sizeof(netmap_slot)));

    public uint Next(uint i) => i + 1 == SlotCount ? 0 : i + 1;

    public uint Prev(uint i) => i == 0 ? SlotCount - 1 : i - 1;

    /// <summary>Writes the ring header as the kernel does at creation: TX owns N-1 free slots, RX none.</summary>
    public void InitializeHeader(long bufferPoolOffset, uint bufferSize)
    {
        netmap_ring* ring = Ring;
        ring->buf_ofs = bufferPoolOffset - RingOffset;
        ring->num_slots = SlotCount;
        ring->nr_buf_size = bufferSize;
        ring->ringid = (ushort)Number;
        ring->dir = (ushort)(IsTx ? 1 : 0);   // observed: 1 on TX rings, 0 on RX rings
        uint tail = IsTx ? SlotCount - 1 : 0;
        ring->head = ring->cur = 0;
        ring->tail = tail;
        HwCur = RHead = RCur = 0;
        HwTail = RTail = tail;
        PipeTail = tail;
    }

    /// <summary><c>nm_txsync_prologue</c>: validates head/cur against rhead/rtail; false when they are invalid.</summary>
    public bool TxPrologue()
    {
        netmap_ring* ring = Ring;
        uint head = ring->head, cur = ring->cur, n = SlotCount;
        if (RTail >= n) return false;
        if (RTail >= RHead)
        {
            if (head < RHead || head > RTail) return false;
            if (cur < head || cur > RTail) return false;
        }
        else
        {
            if (head > RTail && head < RHead) return false;
            if (head <= RTail)
            {
                if (cur < head || cur > RTail) return false;
            }
            else if (cur > RTail && cur < head)
            {
                return false;
            }
        }
        if (ring->tail != RTail) ring->tail = RTail;   // the user overwrote tail: put it back
        RHead = head;
        RCur = cur;
        return true;
    }

    /// <summary><c>nm_rxsync_prologue</c>: head must lie in [hwcur, hwtail], cur in [head, hwtail].</summary>
    public bool RxPrologue()
    {
        netmap_ring* ring = Ring;
        uint cur = RCur = ring->cur;
        uint head = RHead = ring->head;
        bool ok;
        if (HwCur <= HwTail)
        {
            ok = head >= HwCur && head <= HwTail && cur >= head && cur <= HwTail;
        }
        else
        {
            ok = !(head < HwCur && head > HwTail)
                && (head <= HwTail ? cur >= head && cur <= HwTail : !(cur < head && cur > HwTail));
        }
        if (ok && ring->tail != RTail) ring->tail = RTail;
        return ok;
    }

    /// <summary>
    /// <c>netmap_ring_reinit</c>: adopts the user's head/cur/tail; if any is out of range resets the ring
    /// to the kernel's hwcur/hwtail. Slots naming a bad buffer or length are cleared, as the kernel does.
    /// Returns true when the ring was reset.
    /// </summary>
    public bool Reinit()
    {
        netmap_ring* ring = Ring;
        uint lim = SlotCount - 1;
        RHead = ring->head;
        RCur = ring->cur;
        RTail = ring->tail;
        int errors = (ring->cur > lim ? 1 : 0) + (ring->head > lim ? 1 : 0) + (ring->tail > lim ? 1 : 0);
        FakeMemory memory = Adapter.Memory;
        for (uint i = 0; i <= lim; i++)
        {
            ref netmap_slot slot = ref Slot(i);
            if (!memory.IsValidBuffer(slot.buf_idx))
            {
                slot.buf_idx = 0;
                slot.len = 0;
            }
            else if (slot.len > memory.Layout.BufferSize)
            {
                slot.len = 0;
            }
        }
        if (errors == 0) return false;
        ring->head = RHead = HwCur;
        ring->cur = RCur = HwCur;
        ring->tail = RTail = HwTail;
        return true;
    }

    /// <summary><c>nm_sync_finalize</c>: publishes the kernel's tail to the user.</summary>
    public void FinalizeSync() => Ring->tail = RTail = HwTail;

    /// <summary>Slots the kernel holds free on an RX ring, where a new packet may be written (at hwtail).</summary>
    public uint RxFreeSlots()
    {
        uint limit = Prev(HwCur);
        return limit >= HwTail ? limit - HwTail : limit + SlotCount - HwTail;
    }

    /// <summary>
    /// Copies <paramref name="frame"/> into the buffer of the slot at hwtail of this RX ring and publishes
    /// it to the kernel side (the user sees it at its next sync). False when the ring is full or the slot's
    /// buffer is invalid: the packet is dropped, as a switch or NIC drops it.
    /// </summary>
    public bool Deliver(ReadOnlySpan<byte> frame)
    {
        if (RxFreeSlots() == 0) return false;
        ref netmap_slot slot = ref Slot(HwTail);
        FakeMemory memory = Adapter.Memory;
        if (!memory.IsValidBuffer(slot.buf_idx) || frame.Length > memory.Layout.BufferSize) return false;
        frame.CopyTo(memory.Buffer(slot.buf_idx));
        slot.len = (ushort)frame.Length;
        slot.flags = 1 << NetmapConstants.NS_PORT_SHIFT;   // NS_RFRAGS: one fragment (observed 0x100)
        HwTail = Next(HwTail);
        return true;
    }

    /// <summary>
    /// The packet of a TX slot the user handed over, or false when its buffer index or length is
    /// invalid (the kernel never reads outside its pool; the fake drops such a packet).
    /// </summary>
    public bool TryGetTxFrame(uint index, out ReadOnlySpan<byte> frame)
    {
        ref netmap_slot slot = ref Slot(index);
        FakeMemory memory = Adapter.Memory;
        slot.flags &= unchecked((ushort)~(ushort)NetmapSlotFlags.NS_BUF_CHANGED);
        if (!memory.IsValidBuffer(slot.buf_idx) || slot.len > memory.Layout.BufferSize)
        {
            frame = default;
            return false;
        }
        frame = memory.Buffer(slot.buf_idx)[..slot.len];
        return true;
    }

    /// <summary>Rx side of a copying adapter: the slots in [hwcur, rhead) come back to the kernel.</summary>
    public void ReleaseRx()
    {
        for (uint k = HwCur; k != RHead; k = Next(k))
            Slot(k).flags &= unchecked((ushort)~(ushort)NetmapSlotFlags.NS_BUF_CHANGED);
        HwCur = RHead;
    }
}
