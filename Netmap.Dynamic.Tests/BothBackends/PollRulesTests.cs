using static Netmap.Dynamic.Tests.BothBackends.KernelFrames;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// poll() on a port: what it waits for, what it publishes on the way, and how cancellation ends a
/// wait. The states are those the kernel answered in exp4 of netmap-kernel-facts.json. Which TX
/// rings a poll syncs: <see cref="PollTxSyncTests"/>; Dispose during a wait: <see cref="DisposeStressTests"/>.
/// </summary>
public sealed class PollRulesTests(BackendKind kind) : TwoBackendTest(kind)
{
    private static readonly TimeSpan s_idle = TimeSpan.FromMilliseconds(20);
    private NetmapPort _master = null!;
    private NetmapPort _slave = null!;

    private NetmapRing Tx => _master.GetTxRing(0);
    private NetmapRing Rx => _slave.GetRxRing(0);

    [SetUp]
    public void OpenThePipe()
    {
        (_master, _slave) = OpenPipe("pl");
    }

    [TearDown]
    public void ClosePipe()
    {
        _master?.Dispose();
        _slave?.Dispose();
    }

    [Test]
    public void Poll_for_frames_times_out_with_none_and_changes_nothing_when_the_peer_sent_nothing()
    {
        Assert.That(_slave.Poll(NetmapPollEvents.Receive, s_idle), Is.EqualTo(NetmapPollEvents.None));
        Assert.That(_slave.Poll(NetmapPollEvents.Receive, TimeSpan.Zero), Is.EqualTo(NetmapPollEvents.None));
        Assert.That(State(Rx), Is.EqualTo((0, 0, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => _slave.Poll(NetmapPollEvents.Receive, TimeSpan.FromMilliseconds(-5)));
        Assert.That(_slave.Poll(NetmapPollEvents.Transmit, TimeSpan.MaxValue), Is.EqualTo(NetmapPollEvents.Transmit), "a huge timeout is accepted");
    }

    [Test]
    public void Poll_for_frames_returns_once_the_peer_synced_and_itself_publishes_them_on_the_ring()
    {
        Tx.TryWrite(Numbered(1));
        _master.TxSync();

        Assert.That(_slave.Poll(NetmapPollEvents.Receive, Guard), Is.EqualTo(NetmapPollEvents.Receive));
        Assert.That(State(Rx), Is.EqualTo((0, 0, 1)), "poll did the RX sync");
        Assert.That(_slave.Poll(NetmapPollEvents.Receive, Guard), Is.EqualTo(NetmapPollEvents.Receive), "unread frames keep the port readable");
    }

    [Test]
    public void Frames_the_peer_wrote_without_a_syscall_are_not_delivered()
    {
        Tx.TryWrite(Numbered(1));
        Assert.That(_slave.Poll(NetmapPollEvents.Receive, s_idle), Is.EqualTo(NetmapPollEvents.None));
        Assert.That(State(Rx), Is.EqualTo((0, 0, 0)));
    }

    [Test]
    public async Task WaitAsync_completes_when_the_peer_sends()
    {
        ValueTask<NetmapPollEvents> waiting = _slave.WaitAsync(NetmapPollEvents.Receive);
        Tx.TryWrite(Numbered(1));
        _master.TxSync();
        Assert.That(await waiting.AsTask().WaitAsync(Guard), Is.EqualTo(NetmapPollEvents.Receive));
    }

    [Test]
    public void Cancellation_ends_an_async_wait_and_the_port_stays_usable()
    {
        using var cts = new CancellationTokenSource();
        Task<NetmapPollEvents> wait = _slave.WaitAsync(NetmapPollEvents.Receive, cts.Token).AsTask();
        WaitUntilBlocked(_slave, wait);

        cts.Cancel();

        Assert.That(() => wait.Wait(Guard), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<OperationCanceledException>());
        Assert.That(wait.IsCanceled, Is.True);
        Assert.Throws<OperationCanceledException>(() => _slave.WaitAsync(NetmapPollEvents.Receive, cts.Token));
        Tx.TryWrite(Numbered(2));
        _master.TxSync();
        Assert.That(_slave.WaitAsync(NetmapPollEvents.Receive).AsTask().Wait(Guard), Is.True);
    }

    [Test]
    public async Task WaitAsync_with_a_timeout_completes_with_none_when_the_peer_sends_nothing_and_the_port_waits_again()
    {
        Assert.That(await _slave.WaitAsync(NetmapPollEvents.Receive, s_idle).AsTask().WaitAsync(Guard), Is.EqualTo(NetmapPollEvents.None));
        Assert.That(State(Rx), Is.EqualTo((0u, 0u, 0u)));
        Assert.That(_slave.WaitAsync(NetmapPollEvents.Receive, TimeSpan.Zero).Result, Is.EqualTo(NetmapPollEvents.None), "a zero timeout looks once");
        Assert.Throws<ArgumentOutOfRangeException>(() => _slave.WaitAsync(NetmapPollEvents.Receive, TimeSpan.FromMilliseconds(-5)));

        ValueTask<NetmapPollEvents> again = _slave.WaitAsync(NetmapPollEvents.Receive, Guard);
        Tx.TryWrite(Numbered(1));
        _master.TxSync();
        Assert.That(await again.AsTask().WaitAsync(Guard), Is.EqualTo(NetmapPollEvents.Receive), "a timed wait still wakes for the frame");
        Assert.That(State(Rx).Tail, Is.EqualTo(1u));
    }

    [Test]
    public void WaitAsync_completes_synchronously_when_the_port_is_ready()
    {
        ValueTask<NetmapPollEvents> wait = _master.WaitAsync(NetmapPollEvents.Transmit);
        Assert.That(wait.IsCompletedSuccessfully, Is.True);
        Assert.That(wait.Result, Is.EqualTo(NetmapPollEvents.Transmit));
    }
}
