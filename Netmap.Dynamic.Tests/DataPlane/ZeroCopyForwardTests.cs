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
}
