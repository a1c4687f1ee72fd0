using Netmap.Dynamic.Interop;
using static Netmap.Dynamic.Tests.BothBackends.KernelFrames;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// How a netmap pipe moves frames: which syscall moves which index, how many frames fit, and
/// that the receiver reads the sender's own buffers.
/// </summary>
public sealed unsafe class PipeRingRulesTests(BackendKind kind) : TwoBackendTest(kind)
{
    [Test]
    public void A_new_pipe_end_owns_n_minus_1_tx_slots_and_no_rx_slot()
    {
        using PipePair pipe = OpenPipe("pr");
        (NetmapPort master, NetmapPort slave) = pipe;
        NetmapRing tx = master.GetTxRing(0), rx = slave.GetRxRing(0);
        int n = tx.SlotCount;
        Assert.Multiple(() =>
        {
            Assert.That((master.TxRingCount, master.RxRingCount, master.HostTxRingCount), Is.EqualTo((1, 1, 0)));
            Assert.That((n, master.BufferSize), Is.EqualTo((1024u, 2048)), "1024 slots, 2048-byte buffers by default");
            Assert.That(State(tx), Is.EqualTo((0, 0, n - 1)));
            Assert.That(State(rx), Is.EqualTo((0, 0, 0)));
            Assert.That(tx[0].Length, Is.EqualTo(2048), "every slot starts with len = buffer size");
            Assert.That(tx.RawRing->dir, Is.EqualTo(1), "dir reads 1 on TX rings");
            Assert.That(rx.RawRing->dir, Is.EqualTo(0));
        });
    }

    [Test]
    public void A_tx_sync_hands_frames_over_but_tail_moves_only_after_the_receiver_releases()
    {
        using PipePair pipe = OpenPipe("pr");
        (NetmapPort master, NetmapPort slave) = pipe;
        NetmapRing tx = master.GetTxRing(0), rx = slave.GetRxRing(0);
        int n = tx.SlotCount;
        for (int i = 0; i < 3; i++) Assert.That(tx.TryWrite(Numbered(i)), Is.True);

        master.TxSync();
        Assert.That(State(tx), Is.EqualTo((3, 3, n - 1)), "a TX sync on a pipe does not move tail");
        Assert.That(State(rx), Is.EqualTo((0, 0, 0)), "nothing moves on RX without the receiver's syscall");

        slave.RxSync();
        Assert.That(State(rx), Is.EqualTo((0, 0, 3)));
        rx.Advance(3);
        slave.RxSync();
        Assert.That(State(rx), Is.EqualTo((3, 3, 3)));
        Assert.That(State(tx), Is.EqualTo((3, 3, n - 1)), "released slots reach the sender only at its next sync");

        master.TxSync();
        Assert.That(State(tx), Is.EqualTo((3, 3, 2)), "now tail moves by the three released slots");
    }

    [Test]
    public void The_receiver_reads_the_very_buffers_the_sender_wrote()
    {
        using PipePair pipe = OpenPipe("pr");
        (NetmapPort master, NetmapPort slave) = pipe;
        NetmapRing tx = master.GetTxRing(0), rx = slave.GetRxRing(0);
        for (int i = 0; i < 3; i++) tx.TryWrite(Numbered(i, 60 + i));
        master.TxSync();
        slave.RxSync();

        for (int i = 0; i < 3; i++)
        {
            Assert.That(rx[i].BufferIndex, Is.EqualTo(tx[i].BufferIndex), "zero copy: the slot arrays are paired");
            Assert.That(rx[i].Flags, Is.EqualTo(NetmapSlotFlags.None), "and no NS_BUF_CHANGED is needed for it");
            Assert.That(rx[i].Length, Is.EqualTo(60 + i));
            Assert.That(rx.GetPacket(i).ToArray(), Is.EqualTo(Numbered(i, 60 + i)));
        }
    }

    [Test]
    public void A_released_slot_returns_to_the_sender_as_the_receiver_left_it()
    {
        // netmap_pipe_rxsync copies every released RX slot over the paired TX slot, whatever the
        // receiver changed in it: here only the len, with no buffer swap and no NS_BUF_CHANGED.
        using PipePair pipe = OpenPipe("pr");
        (NetmapPort master, NetmapPort slave) = pipe;
        NetmapRing tx = master.GetTxRing(0), rx = slave.GetRxRing(0);
        Assert.That(tx.TryWrite(Numbered(1)), Is.True);
        master.TxSync();
        slave.RxSync();
        rx[rx.Head].Length = 7;
        rx.Advance(1);
        slave.RxSync();
        master.TxSync();
        Assert.That((tx.Space, tx[0].Length), Is.EqualTo((tx.SlotCount - 1, (ushort)7)));
    }

    [Test]
    public void Exactly_n_minus_1_frames_fit_and_the_sender_waits_for_releases()
    {
        using PipePair pipe = OpenPipe("pr");
        (NetmapPort master, NetmapPort slave) = pipe;
        NetmapRing tx = master.GetTxRing(0), rx = slave.GetRxRing(0);
        int written = 0;
        while (tx.TryWrite(Numbered(written))) written++;
        Assert.That(written, Is.EqualTo(tx.SlotCount - 1));
        master.TxSync();
        master.TxSync();
        Assert.That(tx.Space, Is.Zero, "further syncs free nothing");
        Assert.That(master.Poll(NetmapPollEvents.Transmit, TimeSpan.Zero), Is.EqualTo(NetmapPollEvents.None), "a full TX ring is not writable");

        slave.RxSync();
        Assert.That(rx.Space, Is.EqualTo(tx.SlotCount - 1));
        rx.Advance(10);
        slave.RxSync();
        master.TxSync();
        Assert.That(tx.Space, Is.EqualTo(10), "the sender gets back what the receiver released, no more");
        Assert.That(master.Poll(NetmapPollEvents.Transmit, TimeSpan.Zero), Is.EqualTo(NetmapPollEvents.Transmit));
    }

    [Test]
    public void Frames_the_receiver_has_not_read_stay_pending_in_the_senders_ring()
    {
        // netmap's utils/tests/008: send 10, receive 7, and 3 slots stay taken on the sender's side.
        using PipePair pipe = OpenPipe("pr");
        (NetmapPort master, NetmapPort slave) = pipe;
        NetmapRing tx = slave.GetTxRing(0), rx = master.GetRxRing(0);
        int free = tx.Space;
        for (int i = 0; i < 10; i++) tx.TryWrite(Numbered(i, 274));
        slave.TxSync();
        master.RxSync();
        for (int i = 0; i < 7; i++)
        {
            Assert.That(rx.TryRead(out ReadOnlySpan<byte> frame), Is.True);
            Assert.That(NumberOf(frame), Is.EqualTo(i));
        }
        master.RxSync();
        slave.TxSync();

        Assert.That(free - tx.Space, Is.EqualTo(3), "the three unread frames still hold their slots");
        Assert.That(rx.Space, Is.EqualTo(3), "and wait on the receiver's ring");
    }

    [Test]
    public void Frames_cross_a_pipe_in_both_directions()
    {
        using PipePair pipe = OpenPipe("pr");
        (NetmapPort master, NetmapPort slave) = pipe;
        Assert.That(master.GetTxRing(0).TryWrite(Numbered(1, 274)), Is.True);
        Assert.That(slave.GetTxRing(0).TryWrite(Numbered(2, 274)), Is.True);
        master.TxSync();
        slave.TxSync();
        master.RxSync();
        slave.RxSync();

        Assert.That(slave.GetRxRing(0).TryRead(out ReadOnlySpan<byte> toSlave), Is.True);
        Assert.That(toSlave.ToArray(), Is.EqualTo(Numbered(1, 274)));
        Assert.That(master.GetRxRing(0).TryRead(out ReadOnlySpan<byte> toMaster), Is.True);
        Assert.That(toMaster.ToArray(), Is.EqualTo(Numbered(2, 274)));
    }

    [Test]
    public void With_several_rings_tx_ring_i_of_one_end_feeds_rx_ring_i_of_the_other()
    {
        using PipePair pipe = OpenPipe("pr", "@conf:tx-rings=3,rx-rings=2");
        (NetmapPort master, NetmapPort slave) = pipe;
        Assert.That((master.TxRingCount, master.RxRingCount), Is.EqualTo((3, 2)));
        Assert.That((slave.TxRingCount, slave.RxRingCount), Is.EqualTo((2, 3)), "the other end sees the counts swapped");
        for (int i = 0; i < 3; i++) Assert.That(master.GetTxRing(i).TryWrite(Numbered(10 + i)), Is.True);
        master.TxSync();
        slave.RxSync();

        for (int i = 0; i < 3; i++)
        {
            NetmapRing rx = slave.GetRxRing(i);
            Assert.That(rx.Space, Is.EqualTo(1), $"RX ring {i}");
            Assert.That(rx.TryRead(out ReadOnlySpan<byte> frame), Is.True);
            Assert.That(NumberOf(frame), Is.EqualTo(10 + i), $"RX ring {i} got TX ring {i}'s frame");
        }
    }
}
