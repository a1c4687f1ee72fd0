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

    /// <summary>The VALE port this pipe hangs from (<c>valeX:y{N</c>), kept alive by the pipe; null otherwise.</summary>
    public FakeValePort? ParentPort { get; init; }

    /// <summary>
    /// Puts both ends in use (<c>netmap_pipe_krings_create_both</c>): krings for both, TX ring i of
    /// each end paired with RX ring i of the other. Ring objects come with the first registration
    /// that binds them (<see cref="FakePipeEnd.CreateBoundRings"/>).
    /// </summary>
    public void Activate(FakeMemory memory)
    {
        Master.Activate(memory);
        Slave.Activate(memory);
        for (int i = 0; i < Master.TxRings; i++) Pair(Master.Tx[i], Slave.Rx[i]);
        for (int i = 0; i < Master.RxRings; i++) Pair(Slave.Tx[i], Master.Rx[i]);
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
    : FakeVirtualAdapter(name, syncRoot, txRings, rxRings, txSlots, rxSlots)
{
    public bool IsMaster { get; } = isMaster;
    public FakePipeEnd Peer { get; set; } = null!;

    /// <summary>
    /// The rings a registration binds, with their pipe peers (<c>netmap_pipe_reg_both</c>): a bound
    /// ring that has no ring object gets one with fresh buffers, then its peer ring gets one whose
    /// slots are a copy of it (same buffers, pre-paired), and both stay while the pipe lives. On
    /// failure the peer rings made for this registration are undone; the caller undoes the rest.
    /// </summary>
    public override int CreateBoundRings()
    {
        int error = CreateNeededRings();
        if (error == 0)
        {
            foreach (FakeKring kring in Rx.Concat(Tx))
            {
                if (!kring.HasRing || kring.Pipe!.HasRing) continue;
                kring.Pipe.NeedRing = true;
                kring.Pipe.IsCopy = true;
            }
            error = Peer.CreateNeededRings();
        }
        foreach (FakeKring kring in Rx.Concat(Tx))
        {
            FakeKring peer = kring.Pipe!;
            if (kring.NeedRing || !peer.NeedRing) continue;   // an established pair, or not one of ours
            if (error == 0)
            {
                for (uint s = 0; s < kring.SlotCount; s++) peer.Slot(s) = kring.Slot(s);
                kring.NeedRing = true;
            }
            else
            {
                peer.NeedRing = peer.IsCopy = false;
            }
        }
        if (error != 0) Peer.DeleteUnneededRings();
        return error;
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
            ref netmap_slot rs = ref rx.Slot(k);
            ulong offset = (ulong)rx.OffsetOf(ref rs);
            rs = ts;
            if ((ulong)rx.OffsetOf(ref rs) < offset) rx.WriteOffset(ref rs, offset);   // the receiver keeps the larger offset
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
