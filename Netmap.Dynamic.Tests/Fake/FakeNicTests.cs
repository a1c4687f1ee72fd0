using Netmap.Dynamic.Fake;
using Netmap.Dynamic.Tests.BothBackends;

namespace Netmap.Dynamic.Tests.Fake;

/// <summary>Fake NICs: their wire and host-stack hooks, error injection (ring selections: BothBackends/HostRingTests).</summary>
public class FakeNicTests
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(10);

    private static byte[] Frame(byte tag, int length = 64) => [.. Enumerable.Range(0, length).Select(i => (byte)(tag ^ i))];

    [Test]
    public void Selecting_rings_the_nic_lacks_is_EINVAL()
    {
        using var backend = new FakeNetmapBackend();
        backend.AddInterface("eth0", txRings: 2, rxRings: 2, hostRings: 0);
        Assert.That(Assert.Throws<NetmapException>(() => backend.OpenPort("netmap:eth0-2"))!.Errno, Is.EqualTo(Errno.EINVAL));
        Assert.That(Assert.Throws<NetmapException>(() => backend.OpenPort("netmap:eth0^"))!.Errno, Is.EqualTo(Errno.EINVAL));
        Assert.That(backend.AllocatedRegions, Is.Zero, "a refused register leaves no rings behind");
    }

    [Test]
    public void Injected_frames_arrive_on_their_ring_and_wake_a_poll()
    {
        using var backend = new FakeNetmapBackend();
        FakeNetmapInterface eth0 = backend.AddInterface("eth0", txRings: 1, rxRings: 2, slots: 8);
        Assert.That(eth0.InjectReceive(Frame(0)), Is.False, "not in netmap mode: dropped");
        Assert.That(eth0.ReceiveDrops, Is.EqualTo(1));
        using NetmapPort port = backend.OpenPort("netmap:eth0");
        Task<NetmapPollEvents> waiter = Task.Run(() => port.Poll(NetmapPollEvents.Receive, s_guard));
        TwoBackendTest.WaitUntilBlockedOnFake(port, waiter, s_guard);   // the frame must wake a poll that blocked, not one that never did
        Assert.That(eth0.InjectReceive(Frame(1), ring: 1), Is.True);
        Assert.That(waiter.Result, Is.EqualTo(NetmapPollEvents.Receive));
        NetmapRing rx = port.GetRxRing(1);
        Assert.That(rx.TryRead(out ReadOnlySpan<byte> frame), Is.True);
        Assert.That(frame.ToArray(), Is.EqualTo(Frame(1)));
        Assert.That(port.GetRxRing(0).IsEmpty, Is.True);

        for (int i = 0; i < 10; i++) eth0.InjectReceive(Frame((byte)i));
        port.RxSync();
        Assert.That(port.GetRxRing(0).Space, Is.EqualTo(7), "a ring of 8 takes 7, the NIC drops the rest");
        Assert.That(eth0.ReceiveDrops, Is.EqualTo(1 + 3));
    }

    [Test]
    public void Transmitted_frames_are_recorded_per_ring_and_tx_completes_at_once()
    {
        using var backend = new FakeNetmapBackend();
        FakeNetmapInterface eth0 = backend.AddInterface("eth0", txRings: 2, rxRings: 1, slots: 16);
        using NetmapPort port = backend.OpenPort("netmap:eth0");
        port.GetTxRing(0).TryWrite(Frame(1));
        port.GetTxRing(1).TryWrite(Frame(2, 100));
        port.GetTxRing(0).TryWrite(Frame(3));
        port.TxSync();
        Assert.That(port.GetTxRing(0).Tail, Is.EqualTo(port.GetTxRing(0).Head - 1));
        IReadOnlyList<FakeNetmapFrame> sent = eth0.TakeTransmitted();
        Assert.That(sent.Select(f => (f.Ring, f.Data.Length, f.Data[0])), Is.EqualTo(new[] { (0, 64, (byte)1), (0, 64, (byte)3), (1, 100, (byte)2) }));
        Assert.That(eth0.TakeTransmitted(), Is.Empty, "taken once");
    }

    [Test]
    public void Host_rings_lead_to_and_from_the_host_stack()
    {
        using var backend = new FakeNetmapBackend();
        FakeNetmapInterface eth0 = backend.AddInterface("eth0");
        using NetmapPort host = backend.OpenPort("netmap:eth0^");
        using NetmapPort wire = backend.OpenPort("netmap:eth0");
        Assert.That(host.GetTxRing(1).TryWrite(Frame(7)), Is.True);
        host.TxSync();
        Assert.That(eth0.TakeSentToHost().Single().Data, Is.EqualTo(Frame(7)));
        Assert.That(eth0.TakeTransmitted(), Is.Empty, "host TX does not reach the wire");

        Assert.That(eth0.InjectFromHost(Frame(8)), Is.True);
        Assert.That(host.Poll(NetmapPollEvents.Receive, s_guard), Is.EqualTo(NetmapPollEvents.Receive));
        Assert.That(host.GetRxRing(1).GetPacket(host.GetRxRing(1).Head).ToArray(), Is.EqualTo(Frame(8)));
        Assert.That(wire.Poll(NetmapPollEvents.Receive, TimeSpan.Zero), Is.EqualTo(NetmapPollEvents.None));
    }

    [Test]
    public void FailNext_fails_exactly_the_next_call_of_that_kind()
    {
        using var backend = new FakeNetmapBackend();
        backend.AddInterface("eth0");
        using NetmapPort port = backend.OpenPort("netmap:eth0");
        backend.FailNext("eth0", FakeNetmapOperation.TxSync, Errno.EIO);
        backend.FailNext("eth0", FakeNetmapOperation.Poll, Errno.EINTR);
        port.RxSync();
        var e = Assert.Throws<NetmapException>(port.TxSync);
        Assert.That((e!.Errno, e.Operation, e.PortName), Is.EqualTo((Errno.EIO, "txsync", "eth0")));
        Assert.DoesNotThrow(port.TxSync);
        Assert.That(Assert.Throws<NetmapException>(() => port.Poll(NetmapPollEvents.Transmit, TimeSpan.Zero))!.Errno, Is.EqualTo(Errno.EINTR));
        Assert.That(port.Poll(NetmapPollEvents.Transmit, TimeSpan.Zero), Is.EqualTo(NetmapPollEvents.Transmit));
        backend.FailNext("eth0", FakeNetmapOperation.RxSync, Errno.EBUSY);
        Assert.Throws<NetmapBusyException>(port.RxSync);
        backend.FailNext("eth0", FakeNetmapOperation.Poll, Errno.ENOMEM);
        ValueTask<NetmapPollEvents> failed = port.WaitAsync(NetmapPollEvents.Receive);
        Assert.That(failed.IsFaulted, Is.True, "the error is in the task");
        Assert.That(Assert.Throws<NetmapException>(() => failed.GetAwaiter().GetResult())!.Errno, Is.EqualTo(Errno.ENOMEM));
    }

    [Test]
    public void Fake_nics_reject_bad_definitions()
    {
        using var backend = new FakeNetmapBackend();
        backend.AddInterface("eth0");
        Assert.Throws<ArgumentException>(() => backend.AddInterface("eth0"));
        Assert.Throws<ArgumentException>(() => backend.AddInterface("vale0:x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => backend.AddInterface("eth1", txRings: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => backend.AddInterface("eth1", slots: 1_000_000));
        Assert.That(backend.GetInterface("eth0").Name, Is.EqualTo("eth0"));
        Assert.Throws<ArgumentException>(() => backend.GetInterface("eth1"));
    }
}
