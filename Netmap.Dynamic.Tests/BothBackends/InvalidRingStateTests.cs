using System.Text.Json;
using Netmap.Dynamic.Interop;
using Netmap.Dynamic.Tests.Fake;
using static Netmap.Dynamic.Tests.BothBackends.KernelFrames;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// A program that writes an impossible head or cur does not get an error from the sync: the kernel
/// logs it and puts the ring back in its last good state (netmap_ring_reinit), and poll reports
/// POLLERR. Expected states come from the kernel's own answers (exp3 of netmap-kernel-facts.json),
/// replayed from the same starting point: TX head = cur = 2, tail = 1.
/// </summary>
public sealed unsafe class InvalidRingStateTests(BackendKind kind) : TwoBackendTest(kind)
{
    private static readonly JsonElement s_facts = KernelFacts.Root.GetProperty("exp3_invalid_head");
    private PipePair _pipe = null!;

    private NetmapPort Master => _pipe.Master;
    private NetmapPort Slave => _pipe.Slave;
    private NetmapRing Tx => Master.GetTxRing(0);
    private NetmapRing Rx => Slave.GetRxRing(0);

    [SetUp]
    public void OpenPipeAtTheRecordedStart()
    {
        // As the recorded experiment did: frames sent and every slot given back, twice.
        _pipe = OpenPipe("iv");
        _pipe.SendAndRelease(3);
        Master.TxSync();
        _pipe.SendAndRelease(1023);
        Master.TxSync();
        Assert.That(State(Tx), Is.EqualTo(s_facts.GetProperty("tx_before").State()));
    }

    [TearDown]
    public void ClosePipe() => _pipe?.Dispose();

    [Test]
    public void A_tx_sync_with_head_past_the_ring_does_not_fail_and_resets_the_ring()
    {
        Tx.RawRing->head = (uint)Tx.SlotCount + 5;
        Assert.DoesNotThrow(Master.TxSync);
        Assert.That(State(Tx), Is.EqualTo(After("a_tx_head_num_slots_plus_5", "tx_after")));
    }

    [Test]
    public void A_tx_sync_with_cur_past_the_ring_but_a_valid_head_is_accepted_as_it_is()
    {
        Tx.RawRing->cur = (uint)Tx.SlotCount + 7;
        Assert.DoesNotThrow(Master.TxSync);
        Assert.That(State(Tx), Is.EqualTo(After("b_tx_cur_num_slots_plus_7", "tx_after")), "cur is left as written");

        Tx.RawRing->head = Tx.RawRing->cur = 2;   // back to the kernel's hwcur: a valid no-op
        Master.TxSync();
        Assert.That(State(Tx), Is.EqualTo(After("c_tx_head_equal_tail_plus_1_which_here_equals_hwcur_so_valid_noop", "tx_after")));
    }

    [Test]
    public void A_tx_sync_with_head_moved_back_keeps_the_programs_values_when_they_lie_in_the_ring()
    {
        for (int i = 0; i < 5; i++) Tx.TryWrite(Numbered(i));
        Master.TxSync();
        Assert.That(State(Tx), Is.EqualTo(s_facts.GetProperty("d_tx_after_sending_5").State()));
        Tx.RawRing->head = Tx.RawRing->cur = 5;
        Assert.DoesNotThrow(Master.TxSync);
        Assert.That(State(Tx), Is.EqualTo(After("d_tx_head_moved_back_by_2", "tx_after")));
    }

    [Test]
    public void An_rx_sync_with_head_past_the_ring_does_not_fail_and_resets_the_ring()
    {
        for (int i = 0; i < 5; i++) Tx.TryWrite(Numbered(i));
        Master.TxSync();
        Slave.RxSync();
        Assert.That(State(Rx), Is.EqualTo(s_facts.GetProperty("e_rx_before").State()));

        Rx.RawRing->head = (uint)Rx.SlotCount + 5;
        Assert.DoesNotThrow(Slave.RxSync);
        Assert.That(State(Rx), Is.EqualTo(After("e_rx_head_num_slots_plus_5", "rx_after")));
    }

    [Test]
    public void Poll_for_room_with_an_invalid_head_reports_an_error_with_the_room_and_resets_the_ring()
    {
        for (int i = 0; i < 5; i++) Tx.TryWrite(Numbered(i));
        Master.TxSync();
        Tx.RawRing->head = (uint)Tx.SlotCount + 5;

        NetmapPollEvents revents = Master.Poll(NetmapPollEvents.Transmit, Guard);

        JsonElement g = s_facts.GetProperty("g_poll_pollout_with_tx_head_num_slots_plus_5");
        Assert.That((int)revents, Is.EqualTo((int)g.Hex("revents")), "POLLOUT | POLLERR");
        Assert.That(revents, Is.EqualTo(NetmapPollEvents.Transmit | NetmapPollEvents.Error));
        Assert.That(State(Tx), Is.EqualTo(g.GetProperty("tx_after").State()));
    }

    private static (uint, uint, uint) After(string step, string ring) => s_facts.GetProperty(step).GetProperty(ring).State();
}
