using Netmap.Dynamic.Fake;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.Fake;

/// <summary>Buffer swaps between rings of one allocator, and what the fake kernel does with NS_BUF_CHANGED.</summary>
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
            uint r = rx.Head, t = tx.Head;
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

    [Test]
    public void A_pipe_receiver_that_swaps_a_buffer_away_hands_the_new_one_back_to_the_sender()
    {
        using var backend = new FakeNetmapBackend();
        FakeNetmapInterface eth0 = backend.AddInterface("eth0", slots: 64);
        using NetmapPort nic = backend.OpenPort("netmap:eth0");
        using NetmapPort master = backend.OpenPort("netmap:eth0{1");   // a pipe on eth0 shares its allocator
        using NetmapPort slave = backend.OpenPort("netmap:eth0}1");
        Assert.That(master.MemId, Is.EqualTo(nic.MemId));
        NetmapRing ptx = master.GetTxRing(0), prx = slave.GetRxRing(0), ntx = nic.GetTxRing(0);
        var before = AllBuffers(nic, master, slave);

        ptx.TryWrite(Frame(1));
        master.TxSync();
        slave.RxSync();
        uint nicBuffer = ntx[0].BufferIndex;
        NetmapZeroCopy.SwapBuffers(prx, 0, ntx, 0);
        prx.Advance(1);
        ntx.Advance(1);
        nic.TxSync();
        slave.RxSync();   // releases the slot with NS_BUF_CHANGED: the sender's slot takes the NIC's old buffer
        Assert.That(eth0.TakeTransmitted().Single().Data, Is.EqualTo(Frame(1)));
        Assert.That(ptx[0].BufferIndex, Is.EqualTo(nicBuffer));
        Assert.That(prx[0].Flags & NetmapSlotFlags.NS_BUF_CHANGED, Is.EqualTo(NetmapSlotFlags.None));
        Assert.That(AllBuffers(nic, master, slave), Is.EquivalentTo(before), "every buffer still owned exactly once");
    }

    /// <summary>Buffer indexes named by the distinct rings of the ports (pipe pairs share slots: counted once per pair direction).</summary>
    private static List<uint> AllBuffers(params NetmapPort[] ports)
    {
        var seen = new HashSet<nint>();
        var buffers = new List<uint>();
        foreach (NetmapPort port in ports)
        {
            bool pipeSlave = port.Spec.PipeSide == NetmapPipeSide.Slave;
            for (int i = port.FirstTxRing; i < port.LastTxRing && !pipeSlave; i++) Collect(port.GetTxRing(i));
            for (int i = port.FirstRxRing; i < port.LastRxRing && port.Spec.Kind != NetmapPortKind.Pipe; i++) Collect(port.GetRxRing(i));
        }
        return buffers;

        unsafe void Collect(NetmapRing ring)
        {
            if (!seen.Add((nint)ring.RawRing)) return;
            for (uint s = 0; s < ring.SlotCount; s++) buffers.Add(ring[s].BufferIndex);
        }
    }
}
