using Netmap.Dynamic.Fake;
using Netmap.Dynamic.Interop;
using static Netmap.Dynamic.Tests.BothBackends.KernelFrames;
using static Netmap.Dynamic.Tests.BothBackends.ValeTraffic;

namespace Netmap.Dynamic.Tests.Fake;

/// <summary>VALE on the fake: its drop hooks and counters (the kernel rules are in BothBackends/ValeRulesTests and ValeForwardingTests).</summary>
public class FakeValeTests
{
    [Test]
    public void DropFrames_loses_the_next_frames_in_flight()
    {
        using var backend = new FakeNetmapBackend();
        using NetmapPort a = backend.OpenPort("vale3:a");
        using NetmapPort b = backend.OpenPort("vale3:b");
        backend.DropFrames("vale3:a", 2);
        for (int i = 0; i < 5; i++) Send(a, 0, Ethernet(Broadcast, Mac(1), i));
        b.RxSync();
        NetmapRing rx = b.GetRxRing(0);
        Assert.That(rx.Space, Is.EqualTo(3));
        Assert.That(TagOf(rx.GetPacket(rx.Head)), Is.EqualTo(2), "frames 0 and 1 were lost");
        Assert.That(a.GetTxRing(0).Space, Is.EqualTo(a.GetTxRing(0).SlotCount - 1), "the sender saw every frame complete");
        Assert.Throws<NotSupportedException>(() => backend.DropFrames("pipe{1", 1));
    }

    [Test]
    public void Vale_ports_and_switches_go_away_with_their_last_user()
    {
        using var backend = new FakeNetmapBackend();
        NetmapPort a = backend.OpenPort("vale5:a");
        Assert.That(backend.GetPortInfo("vale5:a").MemId, Is.EqualTo(a.MemId));
        Assert.That(backend.AllocatedRegions, Is.EqualTo(1));
        a.Dispose();
        Assert.That((backend.AllocatedRegions, backend.RegistryEntries), Is.EqualTo((0, 0)));
        // Port info creates nothing that stays (the kernel makes the port to answer, then drops it).
        Assert.That(backend.GetPortInfo("vale5:a").TxSlots, Is.EqualTo(1024));
        Assert.That((backend.AllocatedRegions, backend.RegistryEntries), Is.EqualTo((0, 0)));
    }

    [Test]
    public void Two_threads_through_a_switch_lose_only_what_a_full_ring_drops_and_keep_order()
    {
        using var backend = new FakeNetmapBackend();
        using NetmapPort a = backend.OpenPort("vale6:a@conf:slots=256");
        using NetmapPort b = backend.OpenPort("vale6:b@conf:slots=256");
        using NetmapPort c = backend.OpenPort("vale6:c@conf:slots=256");   // a bystander that must see nothing after learning
        Send(b, 0, Ethernet(Broadcast, Mac(0xb), 0));   // the switch learns b
        Counts(a, b, c);
        const int count = 200_000;
        long received = 0, last = -1;
        bool ordered = true;
        using var done = new CancellationTokenSource();
        Task receiver = Task.Factory.StartNew(() =>
        {
            NetmapRing rx = b.GetRxRing(0);
            while (!done.IsCancellationRequested)
            {
                b.Poll(NetmapPollEvents.Receive, TimeSpan.FromMilliseconds(50));
                while (rx.TryRead(out ReadOnlySpan<byte> frame))
                {
                    long sequence = BitConverter.ToInt64(frame[14..]);
                    ordered &= sequence > last;
                    last = sequence;
                    received++;
                }
            }
        }, TaskCreationOptions.LongRunning);
        NetmapRing tx = a.GetTxRing(0);
        byte[] frame = Ethernet(Mac(0xb), Mac(0xa), 0);
        for (long i = 0; i < count;)
        {
            BitConverter.TryWriteBytes(frame.AsSpan(14), i);
            if (tx.TryWrite(frame)) i++;
            else a.TxSync();
        }
        a.TxSync();
        done.Cancel();
        Assert.That(receiver.Wait(TimeSpan.FromSeconds(30)), Is.True);
        // The receiver stopped; collect what the switch delivered after its last sync.
        NetmapRing rest = b.GetRxRing(0);
        b.RxSync();
        while (rest.TryRead(out ReadOnlySpan<byte> late))
        {
            long sequence = BitConverter.ToInt64(late[14..]);
            ordered &= sequence > last;
            last = sequence;
            received++;
        }
        Assert.That(ordered, Is.True, "frames keep their order");
        Assert.That(received + backend.ValeReceiveDrops("vale6:b"), Is.EqualTo(count), "every frame is received or counted as dropped");
        Assert.That(received, Is.GreaterThan(0));
        Assert.That(Count(c), Is.Zero, "learned unicast never reached the bystander");
    }
}
