using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Tests.Fake;

/// <summary>Dispose, cancellation and memory: waiters wake, nothing leaks.</summary>
public class FakeLifetimeTests
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(10);

    [Test]
    public void Dispose_wakes_a_thread_blocked_in_poll()
    {
        using var backend = new FakeNetmapBackend();
        NetmapPort port = backend.OpenPort("netmap:pipe{1");
        using var entered = new ManualResetEventSlim();
        Task<Exception?> waiter = Task.Factory.StartNew(() =>
        {
            entered.Set();
            try
            {
                port.Poll(NetmapPollEvents.Receive, Timeout.InfiniteTimeSpan);
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        }, TaskCreationOptions.LongRunning);
        Assert.That(entered.Wait(s_guard), Is.True);
        var driver = (FakePortDriver)port.Driver;
        Assert.That(SpinWait.SpinUntil(() => driver.HasWaiters, s_guard), Is.True, "the waiter is blocked in poll");
        port.Dispose();
        Assert.That(waiter.Wait(s_guard), Is.True, "the waiter woke");
        Assert.That(waiter.Result, Is.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public void Dispose_wakes_an_async_waiter()
    {
        using var backend = new FakeNetmapBackend();
        NetmapPort port = backend.OpenPort("netmap:pipe{1");
        ValueTask<NetmapPollEvents> wait = port.WaitAsync(NetmapPollEvents.Receive);
        Assert.That(wait.IsCompleted, Is.False, "nothing to receive yet");
        Assert.That(((FakePortDriver)port.Driver).HasWaiters, Is.True);
        port.Dispose();
        Assert.ThrowsAsync<ObjectDisposedException>(async () => await wait.AsTask().WaitAsync(s_guard));
    }

    [Test]
    public void Cancellation_ends_an_async_wait_and_the_port_stays_usable()
    {
        using var backend = new FakeNetmapBackend();
        using NetmapPort master = backend.OpenPort("netmap:pipe{1");
        using NetmapPort slave = backend.OpenPort("netmap:pipe}1");
        using var cts = new CancellationTokenSource();
        ValueTask<NetmapPollEvents> wait = slave.WaitAsync(NetmapPollEvents.Receive, cts.Token);
        cts.Cancel();
        Assert.ThrowsAsync<TaskCanceledException>(async () => await wait);
        Assert.Throws<OperationCanceledException>(() => slave.WaitAsync(NetmapPollEvents.Receive, cts.Token));
        master.GetTxRing(0).TryWrite([1, 2, 3]);
        master.TxSync();
        Assert.That(slave.WaitAsync(NetmapPollEvents.Receive).AsTask().Wait(s_guard), Is.True);
    }

    [Test]
    public void Poll_times_out_with_None()
    {
        using var backend = new FakeNetmapBackend();
        using NetmapPort port = backend.OpenPort("netmap:pipe{1");
        Assert.That(port.Poll(NetmapPollEvents.Receive, TimeSpan.FromMilliseconds(30)), Is.EqualTo(NetmapPollEvents.None));
        Assert.That(port.Poll(NetmapPollEvents.Receive, TimeSpan.Zero), Is.EqualTo(NetmapPollEvents.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => port.Poll(NetmapPollEvents.Receive, TimeSpan.FromMilliseconds(-5)));
        Assert.That(port.Poll(NetmapPollEvents.Transmit, TimeSpan.MaxValue), Is.EqualTo(NetmapPollEvents.Transmit), "a huge timeout is accepted");
    }

    [Test]
    public void Disposing_the_backend_closes_every_port_and_frees_every_region()
    {
        var backend = new FakeNetmapBackend();
        backend.AddInterface("eth0");
        NetmapPort[] ports = [backend.OpenPort("netmap:eth0"), backend.OpenPort("vale0:a"), backend.OpenPort("netmap:p{1")];
        NetmapRing ring = ports[0].GetTxRing(0);
        Assert.That(backend.AllocatedRegions, Is.EqualTo(3));
        backend.Dispose();
        Assert.That(ports.All(p => p.IsDisposed), Is.True);
        Assert.Throws<ObjectDisposedException>(() => _ = ring.Head);
        Assert.That((backend.AllocatedRegions, backend.AllocatedRegionBytes), Is.EqualTo((0, 0L)));
        Assert.Throws<ObjectDisposedException>(() => backend.OpenPort("netmap:p{2"));
    }

    [Test]
    public void Ten_thousand_open_close_cycles_leave_nothing_behind()
    {
        using var backend = new FakeNetmapBackend();
        backend.AddInterface("eth0");
        for (int i = 0; i < 3000; i++) CycleOnce(backend, i);   // warm up every path (JIT tiers, runtime caches)
        long managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var samples = new List<WeakReference>();
        for (int i = 0; i < 10_000; i++)
        {
            NetmapPort port = CycleOnce(backend, i);
            if (i % 500 == 0) samples.Add(new WeakReference(port));
            if (backend.AllocatedRegions != 0) Assert.Fail($"cycle {i}: {backend.AllocatedRegions} regions still allocated");
        }
        long managedAfter = GC.GetTotalMemory(forceFullCollection: true);
        GC.WaitForPendingFinalizers();
        GC.Collect();
        TestContext.Out.WriteLine($"managed memory before {managedBefore} after {managedAfter}");
        Assert.That(backend.AllocatedRegionBytes, Is.Zero, "native regions freed");
        Assert.That(backend.RegistryEntries, Is.Zero, "the backend keeps nothing of closed ports");
        Assert.That(samples.Count(w => w.IsAlive), Is.Zero, "closed ports are collectable");
        // A loose bound (runtime warm-up, background JIT): a leak of 200 B per cycle would exceed it.
        Assert.That(managedAfter - managedBefore, Is.LessThan(2 << 20), "managed memory does not grow with cycles");
    }

    private static NetmapPort CycleOnce(FakeNetmapBackend backend, int i)
    {
        string spec = (i % 3) switch { 0 => "netmap:eth0", 1 => "vale9:x", _ => "netmap:cyc{7" };
        using NetmapPort port = backend.OpenPort(spec);
        port.GetTxRing(0).TryWrite([1, 2, 3]);
        port.TxSync();
        if (spec == "netmap:eth0") Assert.That(backend.GetInterface("eth0").TakeTransmitted(), Has.Count.EqualTo(1));   // the hook's record is the test's to take
        return port;
    }
}
