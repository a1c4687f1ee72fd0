using Netmap.Dynamic.Fake;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.Fake;

/// <summary>Buffer swaps between the fake's NICs, which share the global allocator (between pipes on both backends: BothBackends/ZeroCopyRulesTests).</summary>
public class FakeZeroCopyTests
{
    private static byte[] Frame(byte tag) => [.. Enumerable.Range(0, 60).Select(i => (byte)(tag + i))];

    [Test]
    public void A_bridge_forwards_between_two_nics_by_swapping_buffers()
    {
        using var backend = new FakeNetmapBackend();
        FakeNetmapInterface eth0 = backend.AddInterface("eth0", slots: 64);
        FakeNetmapInterface eth1 = backend.AddInterface("eth1", slots: 64);
        using NetmapPort a = backend.OpenPort("netmap:eth0");
        using NetmapPort b = backend.OpenPort("netmap:eth1");
        Assert.That(a.MemId, Is.EqualTo(b.MemId));
        for (byte i = 0; i < 5; i++) eth0.InjectReceive(Frame(i));
        a.RxSync();
        NetmapRing rx = a.GetRxRing(0), tx = b.GetTxRing(0);
        var buffersBefore = AllBuffers(a, b);

        uint moved = 0;
        while (!rx.IsEmpty && !tx.IsEmpty)
        {
            int r = rx.Head, t = tx.Head;
            uint rxBuffer = rx[r].BufferIndex, txBuffer = tx[t].BufferIndex;
            NetmapZeroCopy.SwapBuffers(rx, r, tx, t);
            Assert.That((tx[t].BufferIndex, rx[r].BufferIndex), Is.EqualTo((rxBuffer, txBuffer)));
            Assert.That(tx[t].Flags & NetmapSlotFlags.NS_BUF_CHANGED, Is.EqualTo(NetmapSlotFlags.NS_BUF_CHANGED));
            Assert.That(rx[r].Flags & NetmapSlotFlags.NS_BUF_CHANGED, Is.EqualTo(NetmapSlotFlags.NS_BUF_CHANGED));
            Assert.That(tx[t].Length, Is.EqualTo(60));
            rx.Advance(1);
            tx.Advance(1);
            moved++;
        }
        b.TxSync();
        a.RxSync();
        Assert.That(moved, Is.EqualTo(5));
        Assert.That(eth1.TakeTransmitted().Select(f => f.Data), Is.EqualTo(Enumerable.Range(0, 5).Select(i => Frame((byte)i))));
        Assert.That(tx[0].Flags & NetmapSlotFlags.NS_BUF_CHANGED, Is.EqualTo(NetmapSlotFlags.None), "the kernel clears the flag");
        Assert.That(AllBuffers(a, b), Is.EquivalentTo(buffersBefore), "buffers only changed places: none lost, none doubled");
    }

    /// <summary>Buffer indexes named by every bound ring of the ports.</summary>
    private static List<uint> AllBuffers(params NetmapPort[] ports)
    {
        var buffers = new List<uint>();
        foreach (NetmapPort port in ports)
        {
            for (int i = port.FirstTxRing; i < port.LastTxRing; i++) Collect(port.GetTxRing(i));
            for (int i = port.FirstRxRing; i < port.LastRxRing; i++) Collect(port.GetRxRing(i));
        }
        return buffers;

        void Collect(NetmapRing ring)
        {
            for (int s = 0; s < ring.SlotCount; s++) buffers.Add(ring[s].BufferIndex);
        }
    }
}
