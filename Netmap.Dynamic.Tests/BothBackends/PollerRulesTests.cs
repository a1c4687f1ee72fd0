using Netmap.Dynamic.Fake;
using Netmap.Dynamic.Native;
using Netmap.Dynamic.Tests.Native;
using static Netmap.Dynamic.Tests.BothBackends.KernelFrames;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// One wait over several ports (<see cref="NetmapPoller"/>): netmap's one <c>poll()</c> over several
/// descriptors. What it reports, which rings it syncs on the way, and what ends it. Two pipes: the
/// poller watches the slave end of each, the masters play the peers.
/// </summary>
public sealed class PollerRulesTests(BackendKind kind) : TwoBackendTest(kind)
{
    private static readonly TimeSpan s_idle = TimeSpan.FromMilliseconds(20);
    private PipePair _a = null!;
    private PipePair _b = null!;
    private NetmapPoller _poller = null!;

    [SetUp]
    public void OpenTwoPipes()
    {
        _a = OpenPipe("pa");
        _b = OpenPipe("pb");
        _poller = new NetmapPoller();
        Assert.That(_poller.Add(_a.Slave, NetmapPollEvents.Receive), Is.EqualTo(0));
        Assert.That(_poller.Add(_b.Slave, NetmapPollEvents.Receive), Is.EqualTo(1));
    }

    [TearDown]
    public void CloseThem()
    {
        _poller?.Dispose();
        _a?.Dispose();
        _b?.Dispose();
    }

    private static void Send(PipePair pipe, int frames)
    {
        NetmapRing tx = pipe.Master.GetTxRing(0);
        for (int i = 0; i < frames; i++) Assert.That(tx.TryWrite(Numbered(i)), Is.True);
        pipe.Master.TxSync();
    }

    /// <summary>Returns once the poller's wait sleeps: a thread in poll, the ports armed in the reactor, or the fake's signal waited on.</summary>
    private void WaitUntilPollerBlocked(Task waiter)
    {
        if (IsNative)
        {
            var slave = (NativePortDriver)_b.Slave.Driver;
            ThreadSyscalls.WaitFor(() =>
            {
                Assert.That(waiter.IsCompleted, Is.False, () => $"the waiter ended before blocking: {waiter.Exception}");
                return slave.Registration is { WaiterCount: > 0 } || ThreadSyscalls.BlockedInPollOn(slave.FileDescriptor) > 0;
            }, "the poller waits", Guard);
            return;
        }
        var driver = (FakePollerDriver)_poller.Driver!;
        ThreadSyscalls.WaitFor(() =>
        {
            Assert.That(waiter.IsCompleted, Is.False, () => $"the waiter ended before blocking: {waiter.Exception}");
            return driver.Signal.IsWaiting;
        }, "the poller waits", Guard);
    }

    [Test]
    public void A_poll_over_several_ports_times_out_with_zero_and_nothing_ready_when_no_peer_sent()
    {
        Assert.That(_poller.Poll(s_idle), Is.Zero);
        Assert.That(_poller.Poll(TimeSpan.Zero), Is.Zero);
        Assert.That((_poller.GetReady(0), _poller.GetReady(1)), Is.EqualTo((NetmapPollEvents.None, NetmapPollEvents.None)));
        Assert.That((State(_a.Slave.GetRxRing(0)), State(_b.Slave.GetRxRing(0))), Is.EqualTo(((0u, 0u, 0u), (0u, 0u, 0u))));
        Assert.Throws<ArgumentOutOfRangeException>(() => _poller.Poll(TimeSpan.FromMilliseconds(-5)));
    }

    [Test]
    public void A_poll_reports_exactly_the_ports_whose_peers_synced_and_publishes_their_frames()
    {
        Send(_b, 3);

        Assert.That(_poller.Poll(Guard), Is.EqualTo(1));

        Assert.That((_poller.GetReady(0), _poller.GetReady(1)), Is.EqualTo((NetmapPollEvents.None, NetmapPollEvents.Receive)));
        Assert.That(_poller.IsReady(1, NetmapPollEvents.Receive), Is.True);
        Assert.That(State(_b.Slave.GetRxRing(0)), Is.EqualTo((0u, 0u, 3u)), "the poll did the RX sync of the ready port");
        Send(_a, 1);
        Assert.That(_poller.Poll(Guard), Is.EqualTo(2), "unread frames keep a port ready");
    }

    [Test]
    public void Each_port_is_waited_for_its_own_direction()
    {
        using NetmapPoller poller = new();
        poller.Add(_a.Master, NetmapPollEvents.Transmit);   // a fresh TX ring has room
        poller.Add(_b.Slave, NetmapPollEvents.Receive);     // nothing sent

        Assert.That(poller.Poll(Guard), Is.EqualTo(1));

        Assert.That((poller.GetReady(0), poller.GetReady(1)), Is.EqualTo((NetmapPollEvents.Transmit, NetmapPollEvents.None)));
    }

    [Test]
    public void A_blocked_poll_wakes_when_the_peer_of_any_port_syncs()
    {
        Task<int> waiter = Task.Run(() => _poller.Poll(Guard));
        WaitUntilPollerBlocked(waiter);

        Send(_a, 1);

        Assert.That(waiter.Wait(Guard), Is.True);
        Assert.That(waiter.Result, Is.EqualTo(1));
        Assert.That(_poller.GetReady(0), Is.EqualTo(NetmapPollEvents.Receive));
        Assert.That(State(_a.Slave.GetRxRing(0)).Tail, Is.EqualTo(1u));
    }

    [Test]
    public void A_port_waited_for_nothing_is_still_polled_as_with_events_0_its_pending_frames_go_out_but_it_is_never_ready()
    {
        using NetmapPoller poller = new();
        poller.Add(_a.Master, NetmapPollEvents.None);
        poller.Add(_b.Master, NetmapPollEvents.Receive);
        Assert.That(_a.Master.GetTxRing(0).TryWrite(Numbered(1)), Is.True);
        Assert.That(_b.Master.GetTxRing(0).TryWrite(Numbered(2)), Is.True);

        Assert.That(poller.Poll(TimeSpan.Zero), Is.Zero, "a master with room but waited for nothing is not ready");

        _a.Slave.RxSync();
        _b.Slave.RxSync();
        Assert.That(_a.Slave.GetRxRing(0).Space, Is.EqualTo(1u), "the port waited for nothing flushed its pending frame, as netmap_poll with events 0 does");
        Assert.That(_b.Slave.GetRxRing(0).Space, Is.EqualTo(1u), "the receive-only poll flushed the pending frame, as netmap_poll does");
        Assert.That(poller.GetReady(0), Is.EqualTo(NetmapPollEvents.None));
    }

    [Test]
    public void Disposing_a_port_of_the_set_wakes_a_blocked_poll_with_ObjectDisposedException()
    {
        Task<int> waiter = Task.Run(() => _poller.Poll(Timeout.InfiniteTimeSpan));
        WaitUntilPollerBlocked(waiter);

        _b.Slave.Dispose();

        Assert.That(() => waiter.Wait(Guard), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<ObjectDisposedException>());
        Assert.Throws<ObjectDisposedException>(() => _poller.Poll(TimeSpan.Zero));
    }

    [Test]
    public void Disposing_the_poller_wakes_a_blocked_poll_and_leaves_the_ports_open()
    {
        Task<int> waiter = Task.Run(() => _poller.Poll(Timeout.InfiniteTimeSpan));
        WaitUntilPollerBlocked(waiter);

        _poller.Dispose();

        Assert.That(() => waiter.Wait(Guard), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<ObjectDisposedException>());
        Assert.That(_a.Slave.IsDisposed || _b.Slave.IsDisposed, Is.False);
        Send(_a, 1);
        Assert.That(_a.Slave.Poll(NetmapPollEvents.Receive, Guard), Is.EqualTo(NetmapPollEvents.Receive));
    }

    [Test]
    public async Task WaitAsync_completes_when_any_port_becomes_ready()
    {
        ValueTask<int> waiting = _poller.WaitAsync();
        Assert.That(waiting.IsCompleted, Is.False);

        Send(_b, 2);

        Assert.That(await waiting.AsTask().WaitAsync(Guard), Is.EqualTo(1));
        Assert.That(_poller.GetReady(1), Is.EqualTo(NetmapPollEvents.Receive));
        Assert.That(_poller.GetReady(0), Is.EqualTo(NetmapPollEvents.None));
        Assert.That(_b.Slave.GetRxRing(0).Space, Is.EqualTo(2u), "the frames are on the ring: no follow-up sync needed");
    }

    [Test]
    public void WaitAsync_completes_synchronously_when_a_port_is_ready()
    {
        Send(_a, 1);

        ValueTask<int> wait = _poller.WaitAsync();

        Assert.That(wait.IsCompletedSuccessfully, Is.True);
        Assert.That(wait.Result, Is.EqualTo(1));
        Assert.That(_poller.GetReady(0), Is.EqualTo(NetmapPollEvents.Receive));
    }

    [Test]
    public async Task Cancellation_ends_a_poller_wait_and_the_poller_waits_again()
    {
        using CancellationTokenSource cts = new();
        Task<int> wait = _poller.WaitAsync(cts.Token).AsTask();
        WaitUntilPollerBlocked(wait);

        cts.Cancel();

        Assert.That(() => wait.Wait(Guard), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<OperationCanceledException>());
        Assert.Throws<OperationCanceledException>(() => _poller.WaitAsync(cts.Token));
        ValueTask<int> again = _poller.WaitAsync();
        Send(_a, 1);
        Assert.That(await again.AsTask().WaitAsync(Guard), Is.EqualTo(1));
    }

    [Test]
    public async Task WaitAsync_with_a_timeout_ends_with_zero_when_nothing_arrives_and_the_poller_waits_again()
    {
        Assert.That(await _poller.WaitAsync(s_idle).AsTask().WaitAsync(Guard), Is.Zero);
        Assert.That(_poller.GetReady(0) | _poller.GetReady(1), Is.EqualTo(NetmapPollEvents.None));
        Assert.That(_poller.WaitAsync(TimeSpan.Zero).Result, Is.Zero, "a zero timeout looks once");

        ValueTask<int> again = _poller.WaitAsync(Guard);
        Send(_b, 1);
        Assert.That(await again.AsTask().WaitAsync(Guard), Is.EqualTo(1));
    }

    [Test]
    public void Disposing_the_poller_fails_a_pending_wait_with_ObjectDisposedException()
    {
        Task<int> wait = _poller.WaitAsync().AsTask();
        WaitUntilPollerBlocked(wait);

        _poller.Dispose();

        Assert.That(() => wait.Wait(Guard), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public void Disposing_a_port_of_the_set_fails_a_pending_wait_with_ObjectDisposedException()
    {
        Task<int> wait = _poller.WaitAsync().AsTask();
        WaitUntilPollerBlocked(wait);

        _a.Slave.Dispose();

        Assert.That(() => wait.Wait(Guard), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public void Waiting_on_ready_ports_allocates_nothing()
    {
        using NetmapPoller poller = new();
        poller.Add(_a.Master, NetmapPollEvents.Transmit);
        poller.Add(_b.Slave, NetmapPollEvents.Receive);
        Send(_b, 1);
        for (int i = 0; i < 100; i++)   // warm up
        {
            poller.Poll(Timeout.InfiniteTimeSpan);
            _ = poller.WaitAsync().Result;
        }

        long allocated = long.MaxValue;
        for (int attempt = 0; attempt < 3 && allocated != 0; attempt++)   // the least of three: a runtime worker starting on this thread is not the poller
        {
            int found = 0;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                found += poller.Poll(Timeout.InfiniteTimeSpan);
                found += poller.WaitAsync().Result;
            }
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.That(found, Is.EqualTo(4000), "every wait found both ports ready");
        }
        Assert.That(allocated, Is.Zero, $"{allocated} bytes for 2000 waits");
    }

    [Test]
    public void A_port_is_added_once_and_only_with_ports_of_the_same_backend()
    {
        Assert.That(() => _poller.Add(_a.Slave, NetmapPollEvents.Transmit), Throws.ArgumentException);
        using FakeNetmapBackend other = new();
        using NetmapPort stranger = other.OpenPort("netmap:other{1");
        Assert.That(() => _poller.Add(stranger, NetmapPollEvents.Receive), Throws.ArgumentException);
        Assert.That(() => _poller.Add(_a.Master, NetmapPollEvents.Error), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(_poller.Count, Is.EqualTo(2));
    }
}
