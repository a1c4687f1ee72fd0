namespace Netmap.Dynamic.Tests.Kernel;

/// <summary>
/// What the sender of a pipe gets back when the receiver releases slots (<c>netmap_pipe_rxsync</c>
/// copies every released RX slot over the paired TX slot, whatever the receiver changed in it).
/// </summary>
public sealed class PipeSlotReturnTests(BackendKind kind) : TwoBackendTest(kind)
{
    [Test]
    public void A_released_slot_returns_to_the_sender_as_the_receiver_left_it()
    {
        string pipe = Unique("ret");
        using NetmapPort master = Backend.OpenPort($"netmap:{pipe}{{1");
        using NetmapPort slave = Backend.OpenPort($"netmap:{pipe}}}1");
        NetmapRing tx = master.GetTxRing(0), rx = slave.GetRxRing(0);
        Assert.That(tx.TryWrite(new byte[60]), Is.True);
        master.TxSync();
        slave.RxSync();
        rx[rx.Head].Length = 7;   // no buffer swap, no NS_BUF_CHANGED: only the len changes
        rx.Advance(1);
        slave.RxSync();
        master.TxSync();
        Assert.That((tx.Space, tx[0].Length), Is.EqualTo((tx.SlotCount - 1, (ushort)7)));
    }
}
