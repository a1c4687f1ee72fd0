using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Fake;

/// <summary>
/// A netmap pipe: two ends (<c>x{N</c> master, <c>x}N</c> slave) in one memory region. TX ring i of
/// one end is paired with RX ring i of the other, and the kernel pre-pairs their slot arrays at
/// creation (same buffer index in the same slot), so a packet crosses by copying the 16-byte slot —
/// no data copy and no <c>NS_BUF_CHANGED</c>. The sender's TX tail moves only when the receiver
/// releases slots, so nothing is ever lost: a full pipe stalls the sender.
/// </summary>
internal sealed class FakePipe
{
    public FakePipe(string key, FakePipeEnd master, FakePipeEnd slave)
    {
        Key = key;
        Master = master;
        Slave = slave;
    }

    public string Key { get; }
    public FakePipeEnd Master { get; }
    public FakePipeEnd Slave { get; }

    /// <summary>Creates both ends' rings: the opening end first (fresh buffers), the peer copying its slots.</summary>
    public int CreateRings(FakeMemory memory, FakePipeEnd opener)
    {
        int error = opener.CreateOwnRings(memory);
        if (error != 0) return error;
        FakePipeEnd peer = opener.Peer;
        error = peer.CreatePairedRings(memory);
        if (error != 0)
        {
            opener.DestroyRings();
            return error;
        }
        for (int i = 0; i < opener.TxRings; i++) Pair(opener.Tx[i], peer.Rx[i]);
        for (int i = 0; i < opener.RxRings; i++) Pair(peer.Tx[i], opener.Rx[i]);
        return 0;
    }

    /// <summary>Frees both ends' rings; buffers are shared by paired slots, and a freed index is ignored the second time.</summary>
    public void DestroyRings()
    {
        Master.DestroyRings();
        Slave.DestroyRings();
    }

    private static void Pair(FakeKring tx, FakeKring rx)
    {
        tx.Pipe = rx;
        rx.Pipe = tx;
    }
}

/// <summary>One end of a <see cref="FakePipe"/>; its TX and RX counts are the peer's RX and TX counts.</summary>
internal sealed class FakePipeEnd(string name, Lock syncRoot, bool isMaster, int txRings, int rxRings, int txSlots, int rxSlots)
    : FakeAdapter(name, syncRoot)
{
    public bool IsMaster { get; } = isMaster;
    public FakePipeEnd Peer { get; set; } = null!;
    public override int TxRings => txRings;
    public override int RxRings => rxRings;
    public override int HostTxRings => 0;
    public override int HostRxRings => 0;
    public override int TxSlots => txSlots;
    public override int RxSlots => rxSlots;
    public override bool PrivateMemory => true;

    /// <summary>Ports bound to this end (kept by the backend to decide when the pipe goes away).</summary>
    public int OpenCount { get; set; }

    public int CreateOwnRings(FakeMemory memory) => CreateRings(memory);

    /// <summary>Ring objects for the second end, whose slot arrays are copies of the first end's (RX first, then TX).</summary>
    public int CreatePairedRings(FakeMemory memory)
    {
        Memory = memory;
        Rx = new FakeKring[RxRings];
        Tx = new FakeKring[TxRings];
        // My RX ring i mirrors the peer's TX ring i, my TX ring i the peer's RX ring i.
        if (CopyRings(memory, Rx, Peer.Tx, isTx: false) && CopyRings(memory, Tx, Peer.Rx, isTx: true)) return 0;
        foreach (FakeKring? kring in Rx.Concat(Tx))
            if (kring is not null) memory.FreeRing(kring.RingOffset);   // the buffers belong to the peer's rings
        Rx = [];
        Tx = [];
        return Errno.ENOMEM;
    }

    private bool CopyRings(FakeMemory memory, FakeKring[] rings, FakeKring[] source, bool isTx)
    {
        for (int i = 0; i < rings.Length; i++)
        {
            long offset = memory.AllocateRing(source[i].SlotCount);
            if (offset < 0) return false;
            var kring = new FakeKring(this, isTx, i, isHost: false, source[i].SlotCount, offset);
            rings[i] = kring;
            for (uint s = 0; s < kring.SlotCount; s++) kring.Slot(s) = source[i].Slot(s);
            kring.InitializeHeader(memory.Layout.BufferPoolOffset, (uint)memory.Layout.BufferSize);
        }
        return true;
    }

    /// <summary><c>netmap_pipe_txsync</c>: copies the new slots to the peer's RX ring, publishes complete packets.</summary>
    public override void TxSync(FakeKring tx)
    {
        FakeKring rx = tx.Pipe!;
        tx.HwTail = tx.PipeTail;
        uint k = tx.HwCur, published = uint.MaxValue;
        if (k == tx.RHead) return;
        while (k != tx.RHead)
        {
            ref netmap_slot ts = ref tx.Slot(k);
            rx.Slot(k) = ts;
            ts.flags &= unchecked((ushort)~(ushort)NetmapSlotFlags.NS_BUF_CHANGED);
            bool complete = (ts.flags & (ushort)NetmapSlotFlags.NS_MOREFRAG) == 0;
            k = tx.Next(k);
            if (complete) published = k;
        }
        tx.HwCur = k;
        if (published != uint.MaxValue)
        {
            rx.PipeTail = published;
            Peer.NotifyPorts();
        }
    }

    /// <summary><c>netmap_pipe_rxsync</c>: takes the published tail, copies the released slots back to the sender.</summary>
    public override void RxSync(FakeKring rx)
    {
        FakeKring tx = rx.Pipe!;
        rx.HwTail = rx.PipeTail;
        uint k = rx.HwCur;
        if (k == rx.RHead) return;
        while (k != rx.RHead)
        {
            // Every released slot goes back to the sender as the receiver left it (its buffer, len
            // and flags: a buffer swapped away, NS_BUF_CHANGED included, becomes the sender's).
            ref netmap_slot rs = ref rx.Slot(k);
            tx.Slot(k) = rs;
            rs.flags &= unchecked((ushort)~(ushort)NetmapSlotFlags.NS_BUF_CHANGED);
            k = rx.Next(k);
        }
        tx.PipeTail = rx.Prev(k);
        rx.HwCur = k;
        Peer.NotifyPorts();
    }
}
