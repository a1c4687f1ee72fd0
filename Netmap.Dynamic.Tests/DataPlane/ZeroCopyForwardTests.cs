using Netmap.Dynamic.Fake;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.DataPlane;

/// <summary>NetmapZeroCopy.TryForward: the swap-and-advance step of a forwarding loop.</summary>
public class ZeroCopyForwardTests
{
    private static byte[] Frame(byte tag) => [.. Enumerable.Range(0, 60).Select(i => (byte)(tag ^ i))];

    [Test]
    public void Forwards_every_received_frame_by_swapping_buffers_and_advancing_both_rings()
    {
        using var backend = new FakeNetmapBackend();
        FakeNetmapInterface eth0 = backend.AddInterface("eth0", slots: 64);
        FakeNetmapInterface eth1 = backend.AddInterface("eth1", slots: 64);
        using NetmapPort a = backend.OpenPort("netmap:eth0");
        using NetmapPort b = backend.OpenPort("netmap:eth1");
        for (byte i = 0; i < 7; i++) eth0.InjectReceive(Frame(i));
        a.RxSync();
        NetmapRing rx = a.GetRxRing(0), tx = b.GetTxRing(0);
        uint rxHead = rx.Head, txHead = tx.Head;
        uint rxBuffer = rx[rxHead].BufferIndex, txBuffer = tx[txHead].BufferIndex;

        Assert.That(NetmapZeroCopy.TryForward(rx, tx), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That((tx[txHead].BufferIndex, rx[rxHead].BufferIndex), Is.EqualTo((rxBuffer, txBuffer)), "buffers swapped");
            Assert.That(tx[txHead].Length, Is.EqualTo(60));
            Assert.That(tx[txHead].Flags & NetmapSlotFlags.NS_BUF_CHANGED, Is.EqualTo(NetmapSlotFlags.NS_BUF_CHANGED));
            Assert.That(rx[rxHead].Flags & NetmapSlotFlags.NS_BUF_CHANGED, Is.EqualTo(NetmapSlotFlags.NS_BUF_CHANGED));
            Assert.That((rx.Head, rx.Cur, tx.Head, tx.Cur), Is.EqualTo((rx.Next(rxHead), rx.Next(rxHead), tx.Next(txHead), tx.Next(txHead))));
        });

        int forwarded = 1;
        while (NetmapZeroCopy.TryForward(rx, tx)) forwarded++;
        Assert.That(forwarded, Is.EqualTo(7), "stops when the RX ring is empty");
        b.TxSync();
        Assert.That(eth1.TakeTransmitted().Select(f => f.Data), Is.EqualTo(Enumerable.Range(0, 7).Select(i => Frame((byte)i))));
    }

    [Test]
    public void Returns_false_and_changes_nothing_when_the_tx_ring_is_full()
    {
        using var backend = new FakeNetmapBackend();
        using NetmapPort m = backend.OpenPort("netmap:fw{1");
        using NetmapPort s = backend.OpenPort("netmap:fw}1");
        NetmapRing tx = m.GetTxRing(0);
        while (tx.TryWrite(Frame(1))) { }
        m.TxSync();
        s.RxSync();
        NetmapRing rx = s.GetRxRing(0);
        NetmapRing fullTx = m.GetTxRing(0);   // its free slots are all in flight to s
        Assert.That(fullTx.IsEmpty, Is.True);
        uint rxHead = rx.Head;
        uint rxBuffer = rx[rxHead].BufferIndex;
        Assert.That(NetmapZeroCopy.TryForward(rx, fullTx), Is.False);
        Assert.That((rx.Head, rx[rxHead].BufferIndex, rx[rxHead].Flags), Is.EqualTo((rxHead, rxBuffer, NetmapSlotFlags.None)));
    }

    [Test]
    public void Refuses_rings_of_different_regions_and_corrupt_slots()
    {
        using var backend = new FakeNetmapBackend();
        using NetmapPort a = backend.OpenPort("vale0:a");
        using NetmapPort b = backend.OpenPort("vale0:b");
        using NetmapPort c = backend.OpenPort("vale0:c");
        NetmapRing btx = b.GetTxRing(0);
        Assert.That(btx.TryWrite(Frame(3)), Is.True);   // to a, by flooding
        b.TxSync();
        a.RxSync();
        Assert.That(a.GetRxRing(0).IsEmpty, Is.False);
        var e = Assert.Throws<ArgumentException>(() => NetmapZeroCopy.TryForward(a.GetRxRing(0), c.GetTxRing(0)));
        Assert.That(e!.Message, Does.Contain("different memory regions"));

        NetmapRing rx = a.GetRxRing(0), tx = a.GetTxRing(0);
        rx[rx.Head].BufferIndex = uint.MaxValue;
        uint txBuffer = tx[tx.Head].BufferIndex;
        Assert.Throws<InvalidOperationException>(() => NetmapZeroCopy.TryForward(rx, tx));
        Assert.That(tx[tx.Head].BufferIndex, Is.EqualTo(txBuffer), "nothing swapped");
    }

    [Test]
    public void Throws_after_the_port_is_disposed()
    {
        using var backend = new FakeNetmapBackend();
        NetmapPort m = backend.OpenPort("netmap:gone{1");
        NetmapRing rx = m.GetRxRing(0), tx = m.GetTxRing(0);
        m.Dispose();
        Assert.Throws<ObjectDisposedException>(() => NetmapZeroCopy.TryForward(rx, tx));
    }
}
