using System.Text.Json;
using Netmap.Dynamic.Fake;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.Fake;

/// <summary>The pipe experiments of netmap-kernel-facts.json (exp1..exp4), replayed on the fake.</summary>
public unsafe class FakePipeKernelTests
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(10);

    private static (uint, uint, uint) State(NetmapRing ring) => (ring.Head, ring.Cur, ring.Tail);

    private static byte[] Frame(int seed, int length = 60) =>
        Enumerable.Range(0, length).Select(i => (byte)(seed * 31 + i)).ToArray();

    [Test]
    public void Exp1_frames_cross_by_slot_copy_and_tx_tail_moves_only_on_release()
    {
        JsonElement facts = KernelFacts.Root.GetProperty("exp1_pipe_basic");
        using var backend = new FakeNetmapBackend();
        using NetmapPort master = backend.OpenPipe("1", master: true);
        using NetmapPort slave = backend.OpenPipe("1", master: false);
        NetmapRing tx = master.GetTxRing(0);
        NetmapRing rx = slave.GetRxRing(0);
        Assert.That(State(tx), Is.EqualTo(facts.GetProperty("tx_initial").State()));
        Assert.That(State(rx), Is.EqualTo(facts.GetProperty("rx_initial").State()));

        for (int i = 0; i < 3; i++) Assert.That(tx.TryWrite(Frame(i)), Is.True);
        master.TxSync();
        Assert.That(State(tx), Is.EqualTo(facts.GetProperty("tx_after_txsync").State()));
        Assert.That(State(rx), Is.EqualTo(facts.GetProperty("rx_before_rxsync_no_syscall").State()), "nothing moves on RX without a syscall");

        slave.RxSync();
        Assert.That(State(rx), Is.EqualTo(facts.GetProperty("rx_after_rxsync").State()));
        foreach (JsonElement expected in facts.GetProperty("rx_slots_after_rxsync").EnumerateArray())
        {
            ref NetmapSlot slot = ref rx[expected.U("i")];
            Assert.That((slot.BufferIndex, (uint)slot.Length, (uint)slot.Flags), Is.EqualTo((expected.U("buf_idx"), expected.U("len"), expected.Hex("flags"))));
        }
        for (uint i = 0; i < 3; i++)
        {
            Assert.That(rx[i].BufferIndex, Is.EqualTo(tx[i].BufferIndex), "zero copy: the RX slot names the TX slot's buffer");
            Assert.That(rx.GetPacket(i).ToArray(), Is.EqualTo(Frame((int)i)));
        }

        rx.Advance(3);
        slave.RxSync();
        Assert.That(State(rx), Is.EqualTo(facts.GetProperty("rx_after_release_rxsync").State()));
        Assert.That(State(tx), Is.EqualTo(facts.GetProperty("tx_after_release_before_txsync").State()));
        master.TxSync();
        Assert.That(State(tx), Is.EqualTo(facts.GetProperty("tx_after_second_txsync").State()));
        foreach (JsonElement expected in facts.GetProperty("tx_slots_after_roundtrip").EnumerateArray())
            Assert.That((tx[expected.U("i")].BufferIndex, (uint)tx[expected.U("i")].Length), Is.EqualTo((expected.U("buf_idx"), expected.U("len"))));
    }

    [Test]
    public void Exp2_exactly_n_minus_1_frames_fit_and_the_sender_stalls_until_release()
    {
        JsonElement facts = KernelFacts.Root.GetProperty("exp2_pipe_fill");
        using var backend = new FakeNetmapBackend();
        using NetmapPort master = backend.OpenPipe("1", master: true);
        using NetmapPort slave = backend.OpenPipe("1", master: false);
        NetmapRing tx = master.GetTxRing(0);
        NetmapRing rx = slave.GetRxRing(0);
        // Bring both rings to the starting state of exp2 (after exp1's 3 frames went round).
        for (int i = 0; i < 3; i++) tx.TryWrite(Frame(i));
        master.TxSync();
        slave.RxSync();
        rx.Advance(rx.Space);
        slave.RxSync();
        master.TxSync();
        Assert.That(State(tx), Is.EqualTo(facts.GetProperty("tx_start").State()));
        Assert.That(tx.Space, Is.EqualTo(facts.U("tx_space_at_start")));

        int written = 0;
        while (tx.TryWrite(Frame(written))) written++;
        Assert.That(written, Is.EqualTo(facts.U("total_frames_queued_before_tail_stopped")));
        Assert.That(written, Is.EqualTo(facts.U("num_slots") - 1));
        master.TxSync();
        Assert.That(State(tx), Is.EqualTo(facts.GetProperty("rounds")[0].GetProperty("tx_after").State()));
        master.TxSync();
        Assert.That(tx.Space, Is.Zero, "further syncs change nothing");
        Assert.That(master.Poll(NetmapPollEvents.Transmit, TimeSpan.Zero), Is.EqualTo(NetmapPollEvents.None), "a full TX ring is not writable");

        slave.RxSync();
        Assert.That(State(rx), Is.EqualTo(facts.GetProperty("rx_after_rxsync").State()));
        Assert.That(rx.Space, Is.EqualTo(facts.U("rx_frames_available")));
        for (int i = 0; i < written; i++)
            Assert.That(rx.GetPacket((rx.Head + (uint)i) % rx.SlotCount).ToArray(), Is.EqualTo(Frame(i)), $"frame {i}");
        rx.Advance(10);
        slave.RxSync();
        Assert.That(State(rx), Is.EqualTo(facts.GetProperty("rx_after_releasing_10").State()));
        master.TxSync();
        Assert.That(State(tx), Is.EqualTo(facts.GetProperty("tx_after_txsync_after_partial_release").State()));
        Assert.That(tx.Space, Is.EqualTo(facts.U("tx_space_after_partial_release")));
        rx.Advance(rx.Space);
        slave.RxSync();
        master.TxSync();
        Assert.That(State(rx), Is.EqualTo(facts.GetProperty("rx_after_full_release").State()));
        Assert.That(State(tx), Is.EqualTo(facts.GetProperty("tx_after_full_release_txsync").State()));
        Assert.That(tx.Space, Is.EqualTo(facts.U("tx_space_after_full_release")));
    }

    [Test]
    public void Exp3_invalid_head_and_cur_reset_or_adopt_like_the_kernel()
    {
        JsonElement facts = KernelFacts.Root.GetProperty("exp3_invalid_head");
        using var backend = new FakeNetmapBackend();
        using NetmapPort master = backend.OpenPipe("1", master: true);
        using NetmapPort slave = backend.OpenPipe("1", master: false);
        NetmapRing tx = master.GetTxRing(0);
        NetmapRing rx = slave.GetRxRing(0);
        netmap_ring* rawTx = tx.RawRing;
        netmap_ring* rawRx = rx.RawRing;
        uint n = tx.SlotCount;
        // Reach exp3's start: TX 2/2/1 (as after exp2).
        SendAndDrain(master, slave, 3);
        SendAndDrain(master, slave, 1023);
        Assert.That(State(tx), Is.EqualTo(facts.GetProperty("tx_before").State()));

        // a: head = N+5 → no error, ring reset to hwcur/hwtail.
        rawTx->head = n + 5;
        Assert.DoesNotThrow(master.TxSync);
        Assert.That(State(tx), Is.EqualTo(facts.GetProperty("a_tx_head_num_slots_plus_5").GetProperty("tx_after").State()));

        // b: cur = N+7 with a valid, unchanged head: accepted silently, cur stays.
        rawTx->cur = n + 7;
        master.TxSync();
        Assert.That(State(tx), Is.EqualTo(facts.GetProperty("b_tx_cur_num_slots_plus_7").GetProperty("tx_after").State()));
        // c: the program writes head = cur = 2 (== hwcur): a valid no-op sync.
        rawTx->head = rawTx->cur = 2;
        master.TxSync();
        Assert.That(State(tx), Is.EqualTo(facts.GetProperty("c_tx_head_equal_tail_plus_1_which_here_equals_hwcur_so_valid_noop").GetProperty("tx_after").State()));

        // d: send 5, then move head back by 2: prologue fails, reinit finds nothing out of range, user values adopted.
        for (int i = 0; i < 5; i++) tx.TryWrite(Frame(i));
        master.TxSync();
        Assert.That(State(tx), Is.EqualTo(facts.GetProperty("d_tx_after_sending_5").State()));
        rawTx->head = rawTx->cur = 5;
        master.TxSync();
        Assert.That(State(tx), Is.EqualTo(facts.GetProperty("d_tx_head_moved_back_by_2").GetProperty("tx_after").State()));

        // e: RX head = N+5 → reset.
        slave.RxSync();
        Assert.That(State(rx), Is.EqualTo(facts.GetProperty("e_rx_before").State()));
        rawRx->head = n + 5;
        Assert.DoesNotThrow(slave.RxSync);
        Assert.That(State(rx), Is.EqualTo(facts.GetProperty("e_rx_head_num_slots_plus_5").GetProperty("rx_after").State()));
        // f: RX head one past tail → adopted.
        rawRx->head = rawRx->cur = rx.Tail + 1;
        slave.RxSync();
        Assert.That(State(rx), Is.EqualTo(facts.GetProperty("f_rx_head_one_past_tail").GetProperty("rx_after").State()));

        // g: poll(POLLOUT) with TX head = N+5 → POLLOUT|POLLERR and the ring reset.
        rawTx->head = n + 5;
        JsonElement g = facts.GetProperty("g_poll_pollout_with_tx_head_num_slots_plus_5");
        NetmapPollEvents revents = master.Poll(NetmapPollEvents.Transmit, s_guard);
        Assert.That((int)revents, Is.EqualTo((int)g.Hex("revents")));
        Assert.That(State(tx), Is.EqualTo(g.GetProperty("tx_after").State()));
    }

    [Test]
    public void Exp4_poll_waits_for_the_peer_syscall_and_itself_syncs()
    {
        JsonElement facts = KernelFacts.Root.GetProperty("exp4_poll");
        using var backend = new FakeNetmapBackend();
        using NetmapPort master = backend.OpenPipe("1", master: true);
        using NetmapPort slave = backend.OpenPipe("1", master: false);
        NetmapRing tx = master.GetTxRing(0);
        NetmapRing rx = slave.GetRxRing(0);
        SendAndDrain(master, slave, 7);
        Assert.That(State(rx), Is.EqualTo(facts.GetProperty("rx_before").State()));

        Assert.That(slave.Poll(NetmapPollEvents.Receive, TimeSpan.FromMilliseconds(20)), Is.EqualTo(NetmapPollEvents.None));
        Assert.That(State(rx), Is.EqualTo(facts.GetProperty("idle_pollin_100ms").GetProperty("rx_after").State()));

        tx.TryWrite(Frame(1));
        master.TxSync();
        Assert.That((int)slave.Poll(NetmapPollEvents.Receive, s_guard), Is.EqualTo((int)facts.GetProperty("after_peer_send_pollin_100ms").Hex("revents")));
        Assert.That(State(rx), Is.EqualTo(facts.GetProperty("after_peer_send_pollin_100ms").GetProperty("rx_after").State()), "poll did the rxsync");
        Assert.That((int)slave.Poll(NetmapPollEvents.Receive, s_guard), Is.EqualTo((int)facts.GetProperty("again_without_release_pollin_100ms").Hex("revents")));

        // The peer only moves head/cur without a syscall: nothing is delivered.
        rx.Advance(1);
        tx.TryWrite(Frame(2));
        Assert.That(slave.Poll(NetmapPollEvents.Receive, TimeSpan.FromMilliseconds(20)), Is.EqualTo(NetmapPollEvents.None));
        Assert.That(State(rx), Is.EqualTo(facts.GetProperty("peer_advanced_head_without_txsync_pollin_100ms").GetProperty("rx_after").State()));

        // poll(POLLOUT) with room answers at once and flushes the pending slot like a TX sync.
        Assert.That((int)master.Poll(NetmapPollEvents.Transmit, s_guard), Is.EqualTo((int)facts.GetProperty("tx_pollout_with_room_100ms").Hex("revents")));
        Assert.That(State(tx), Is.EqualTo(facts.GetProperty("tx_pollout_with_room_100ms").GetProperty("tx_after").State()));
        Assert.That((int)slave.Poll(NetmapPollEvents.Receive, s_guard), Is.EqualTo((int)facts.GetProperty("rx_pollin_after_peer_pollout").Hex("revents")));
        Assert.That(State(rx), Is.EqualTo(facts.GetProperty("rx_pollin_after_peer_pollout").GetProperty("rx_after").State()));
    }

    /// <summary>Sends <paramref name="count"/> frames through the pipe and returns every slot, as the experiments did between steps.</summary>
    private static void SendAndDrain(NetmapPort master, NetmapPort slave, int count)
    {
        NetmapRing tx = master.GetTxRing(0);
        NetmapRing rx = slave.GetRxRing(0);
        for (int i = 0; i < count; i++) Assert.That(tx.TryWrite(Frame(i)), Is.True);
        master.TxSync();
        slave.RxSync();
        rx.Advance(rx.Space);
        slave.RxSync();
        master.TxSync();
    }
}
