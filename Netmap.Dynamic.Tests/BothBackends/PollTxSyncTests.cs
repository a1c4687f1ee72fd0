using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// Which TX rings a <c>poll</c> syncs (<c>netmap_poll</c>): not all of them. A TX ring whose
/// <c>head</c> is where the kernel left it (nothing new to send) is synced only while
/// <c>POLLOUT</c> is asked and no ring with room has been found yet. Shown on pipes, where a TX
/// sync is what makes the slots the receiver released visible to the sender.
/// </summary>
public sealed class PollTxSyncTests(BackendKind kind) : TwoBackendTest(kind)
{
    private static readonly byte[] s_frame = [.. Enumerable.Range(0, 60).Select(i => (byte)i)];

    [Test]
    public void A_receive_only_poll_leaves_a_tx_ring_with_nothing_new_to_send_alone()
    {
        using PipePair pipe = OpenPipe("pr");
        NetmapPort master = pipe.Master;
        NetmapRing tx = master.GetTxRing(0);
        pipe.SendAndRelease(3);
        Assert.That(tx.Space, Is.EqualTo(tx.SlotCount - 4), "the sender has not synced since the receiver released");

        Assert.That(master.Poll(NetmapPollEvents.Receive, TimeSpan.Zero), Is.EqualTo(NetmapPollEvents.None));
        Assert.That(tx.Space, Is.EqualTo(tx.SlotCount - 4), "POLLIN alone did not sync the idle TX ring");

        Assert.That(master.Poll(NetmapPollEvents.Transmit, TimeSpan.Zero), Is.EqualTo(NetmapPollEvents.Transmit));
        Assert.That(tx.Space, Is.EqualTo(tx.SlotCount - 1), "POLLOUT did");
    }

    [Test]
    public void A_receive_only_poll_sends_what_was_written_since_the_last_sync()
    {
        using PipePair pipe = OpenPipe("pw");
        (NetmapPort master, NetmapPort slave) = pipe;
        Assert.That(master.GetTxRing(0).TryWrite(s_frame), Is.True);
        master.Poll(NetmapPollEvents.Receive, TimeSpan.Zero);
        slave.RxSync();
        Assert.That(slave.GetRxRing(0).Space, Is.EqualTo(1), "head moved past hwcur: the ring was synced");
    }

    [Test]
    public void With_NR_NO_TX_POLL_a_receive_only_poll_sends_nothing()
    {
        string pipe = Unique("pn");
        using NetmapPort master = Backend.OpenPort($"netmap:{pipe}{{1", new NetmapPortOptions { ExtraFlags = NetmapRegisterFlags.NR_NO_TX_POLL });
        using NetmapPort slave = Backend.OpenPort($"netmap:{pipe}}}1");
        Assert.That(master.GetTxRing(0).TryWrite(s_frame), Is.True);
        master.Poll(NetmapPollEvents.Receive, TimeSpan.Zero);
        slave.RxSync();
        Assert.That(slave.GetRxRing(0).Space, Is.Zero, "TX rings are not polled");
        Assert.That(master.Poll(NetmapPollEvents.Transmit, TimeSpan.Zero), Is.EqualTo(NetmapPollEvents.Transmit));
        slave.RxSync();
        Assert.That(slave.GetRxRing(0).Space, Is.EqualTo(1), "POLLOUT still syncs");
    }

    [Test]
    public void Once_a_transmit_poll_finds_room_it_skips_the_idle_tx_rings_after_it()
    {
        using PipePair pipe = OpenPipe("pk", "@conf:rings=2,slots=8");
        (NetmapPort master, NetmapPort slave) = pipe;
        WriteAll(master, ring: 0, frames: 7);
        WriteAll(master, ring: 1, frames: 7);
        master.TxSync();
        ReleaseAll(slave);
        Assert.That((master.GetTxRing(0).Space, master.GetTxRing(1).Space), Is.EqualTo((0, 0)), "both full until the sender syncs");

        Assert.That(master.Poll(NetmapPollEvents.Transmit, TimeSpan.Zero), Is.EqualTo(NetmapPollEvents.Transmit));
        Assert.That((master.GetTxRing(0).Space, master.GetTxRing(1).Space), Is.EqualTo((7, 0)), "ring 0 had room: ring 1 was not synced");
        master.TxSync();
        Assert.That(master.GetTxRing(1).Space, Is.EqualTo(7), "a TX sync syncs every ring");
    }

    [Test]
    public void A_transmit_poll_goes_on_to_the_next_tx_ring_while_none_has_room()
    {
        using PipePair pipe = OpenPipe("pm", "@conf:rings=2,slots=8");
        NetmapPort master = pipe.Master;
        WriteAll(master, ring: 0, frames: 7);   // ring 0 full and nothing released
        master.TxSync();
        pipe.SendAndRelease(7, ring: 1);

        Assert.That(master.Poll(NetmapPollEvents.Transmit, TimeSpan.Zero), Is.EqualTo(NetmapPollEvents.Transmit));
        Assert.That((master.GetTxRing(0).Space, master.GetTxRing(1).Space), Is.EqualTo((0, 7)));
    }

    [Test]
    public void A_transmit_poll_answers_at_once_and_sends_the_new_frames_of_every_tx_ring_even_after_finding_room()
    {
        // Ring 0 has a new frame and room: the poll finds room there, and still sends ring 1's frame.
        using PipePair pipe = OpenPipe("pf", "@conf:rings=2,slots=8");
        (NetmapPort master, NetmapPort slave) = pipe;
        Assert.That(master.GetTxRing(0).TryWrite(KernelFrames.Numbered(1)), Is.True);
        Assert.That(master.GetTxRing(1).TryWrite(KernelFrames.Numbered(2)), Is.True);

        Assert.That(master.Poll(NetmapPollEvents.Transmit, TimeSpan.Zero), Is.EqualTo(NetmapPollEvents.Transmit));

        slave.RxSync();
        Assert.That(slave.GetRxRing(0).TryRead(out ReadOnlySpan<byte> first), Is.True, "ring 0's frame left with the poll");
        int firstNumber = KernelFrames.NumberOf(first);
        Assert.That(slave.GetRxRing(1).TryRead(out ReadOnlySpan<byte> second), Is.True, "ring 1's frame left with the poll");
        Assert.That((firstNumber, KernelFrames.NumberOf(second)), Is.EqualTo((1, 2)));
    }

    private static void WriteAll(NetmapPort sender, int ring, int frames)
    {
        for (int i = 0; i < frames; i++) Assert.That(sender.GetTxRing(ring).TryWrite(s_frame), Is.True);
    }

    /// <summary>The receiver reads and releases everything on all its RX rings.</summary>
    private static void ReleaseAll(NetmapPort receiver)
    {
        receiver.RxSync();
        for (int r = 0; r < receiver.RxRingCount; r++)
        {
            NetmapRing rx = receiver.GetRxRing(r);
            rx.Advance(rx.Space);
        }
        receiver.RxSync();
    }
}
