using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Tests.Fake;

/// <summary>The emulated switch forwards without allocating: its batch scratch space is allocated once per switch.</summary>
public class FakeValeAllocationTests
{
    [Test]
    public void Forwarding_unicast_and_broadcast_through_a_switch_allocates_nothing()
    {
        using var backend = new FakeNetmapBackend();
        using NetmapPort a = backend.OpenPort("vale7:a@conf:rings=2");
        using NetmapPort b = backend.OpenPort("vale7:b@conf:rings=2");
        using NetmapPort c = backend.OpenPort("vale7:c");
        byte[] unicast = new byte[60], broadcast = new byte[60], fromB = new byte[60];
        unicast[5] = 0x0b;   // to 00:00:00:00:00:0b, learned below
        unicast[11] = broadcast[11] = 0x0a;
        broadcast.AsSpan(0, 6).Fill(0xff);
        fromB[0] = 0xff;
        fromB[11] = 0x0b;
        Assert.That(b.GetTxRing(0).TryWrite(fromB), Is.True);
        b.TxSync();
        NetmapPort[] receivers = [b, c];
        Pump(a, receivers, unicast, broadcast, 1000);   // warm up (JIT, tiering)
        long before = GC.GetAllocatedBytesForCurrentThread();
        long received = Pump(a, receivers, unicast, broadcast, 20_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(received, Is.GreaterThan(20_000), "unicast to b, broadcast to b (twice) and c");
        Assert.That(allocated, Is.Zero, $"{allocated} bytes allocated");
    }

    private static long Pump(NetmapPort sender, NetmapPort[] receivers, byte[] unicast, byte[] broadcast, int rounds)
    {
        long received = 0;
        for (int i = 0; i < rounds; i++)
        {
            NetmapRing tx = sender.GetTxRing(i % 2);
            tx.TryWrite(unicast);
            tx.TryWrite(broadcast);
            sender.TxSync();
            foreach (NetmapPort port in receivers)
            {
                port.RxSync();
                for (int r = 0; r < port.RxRingCount; r++)
                {
                    NetmapRing rx = port.GetRxRing(r);
                    received += rx.Space;
                    rx.Advance(rx.Space);
                }
            }
        }
        return received;
    }
}
