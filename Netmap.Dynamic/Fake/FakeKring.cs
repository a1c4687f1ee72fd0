using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Fake;

/// <summary>
/// The kernel's private state of one ring (<c>struct netmap_kring</c>): <c>nr_hwcur</c>,
/// <c>nr_hwtail</c> and the last validated user values <c>rhead</c>/<c>rcur</c>/<c>rtail</c>, with the
/// sync prologues, <c>netmap_ring_reinit</c> and the finalize step reproduced from the kernel.
/// A kring lives as long as its adapter is in use; the user-visible <c>netmap_ring</c> (and its
/// buffers) exists only while some port binds the ring (<see cref="HasRing"/>), as on the kernel,
/// which creates a ring object when a registration first binds it and frees it when the last one
/// goes. The ring is written only during syscalls of the ports that bind it. All members run under
/// the adapter's lock.
/// </summary>
internal sealed unsafe partial class FakeKring
{
    public FakeKring(FakeAdapter adapter, bool isTx, int number, bool isHost, uint slots)
    {
        Adapter = adapter;
        IsTx = isTx;
        Number = number;
        IsHost = isHost;
        SlotCount = slots;
        // netmap_krings_create: TX owns N-1 free slots, RX none.
        RTail = HwTail = PipeTail = isTx ? slots - 1 : 0;
    }

    public FakeAdapter Adapter { get; }
    public bool IsTx { get; }
    public int Number { get; }
    public bool IsHost { get; }
    public uint SlotCount { get; }

    /// <summary>Offset of the ring object in the region (valid while <see cref="HasRing"/>).</summary>
    public long RingOffset { get; private set; }

    /// <summary>The ring object, or null while no port binds the ring.</summary>
    public netmap_ring* Ring { get; private set; }

    public bool HasRing => Ring != null;

    public uint HwCur;
    public uint HwTail;
    public uint RHead;
    public uint RCur;
    public uint RTail;

    /// <summary>Pipes: the peer's ring (my TX ↔ its RX) and the tail the peer last published for me.</summary>
    public FakeKring? Pipe;
    public uint PipeTail;

    /// <summary>
    /// Pipes (<c>NKR_NEEDRING</c>): the ring object stays while the pipe lives, bound or not, because its
    /// peer ring shares its slots. <see cref="IsCopy"/>: the ring gets no buffers of its own, it is
    /// created as a copy of its peer's slot array (<c>NKR_FAKERING</c>).
    /// </summary>
    public bool NeedRing;
    public bool IsCopy;

    /// <summary>Ports binding this ring, and whether one of them holds it with <c>NR_EXCLUSIVE</c>.</summary>
    public int Users;
    public bool Exclusive;

    public string Name => $"{Adapter.Name} {(IsTx ? "TX" : "RX")}{Number}";

    public ref netmap_slot Slot(uint index) =>
        ref *(netmap_slot*)((byte*)Ring + netmap_ring.slot_offset + ((nint)index * sizeof(netmap_slot)));

    public uint Next(uint i) => i + 1 == SlotCount ? 0 : i + 1;

    public uint Prev(uint i) => i == 0 ? SlotCount - 1 : i - 1;

    /// <summary>
    /// Gives the kring its ring object at <paramref name="offset"/> and writes the header as
    /// <c>netmap_mem2_rings_create</c> does: head, cur and tail from the kring's current state
    /// (a ring created again for a kring in use continues where the kring is).
    /// </summary>
    public void AttachRing(long offset)
    {
        FakeMemory memory = Adapter.Memory;
        RingOffset = offset;
        // The region never moves while the ring exists: compute the address once, not per slot access.
        netmap_ring* ring = Ring = (netmap_ring*)(memory.Base + offset);
        ring->buf_ofs = memory.Layout.BufferPoolOffset - offset;
        ring->num_slots = SlotCount;
        ring->nr_buf_size = (uint)memory.Layout.BufferSize;
        ring->ringid = (ushort)Number;
        ring->dir = (ushort)(IsTx ? 1 : 0);   // observed: 1 on TX rings, 0 on RX rings
        ring->head = RHead;
        ring->cur = RCur;
        ring->tail = RTail;
    }

    /// <summary>Forgets the ring object (the caller has freed it).</summary>
    public void DetachRing()
    {
        Ring = null;
        RingOffset = 0;
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
        int offset = OffsetOf(ref slot);   // the driver writes at the slot's offset (NMB_O)
        if (!memory.IsValidBuffer(slot.buf_idx) || frame.Length > memory.Layout.BufferSize - offset) return false;
        frame.CopyTo(memory.Buffer(slot.buf_idx)[offset..]);
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
        slot.flags &= unchecked((ushort)~(ushort)NetmapSlotFlags.NS_BUF_CHANGED);
        bool valid = TryGetPacket(ref slot, out Span<byte> packet);
        frame = packet;
        return valid;
    }

    /// <summary>Rx side of a copying adapter: the slots in [hwcur, rhead) come back to the kernel.</summary>
    public void ReleaseRx()
    {
        for (uint k = HwCur; k != RHead; k = Next(k))
            Slot(k).flags &= unchecked((ushort)~(ushort)NetmapSlotFlags.NS_BUF_CHANGED);
        HwCur = RHead;
    }
}
