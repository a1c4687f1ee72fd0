using Netmap.Dynamic.Native;

namespace Netmap.Dynamic.Tests.Native;

/// <summary>
/// The epoll wait reactor with real libc epoll and eventfds standing in for netmap fds (readable
/// while their counter is above 0). A test knows where threads wait by reading
/// /proc/self/task/*/syscall and which fds the reactor's epoll set holds from its /proc fdinfo,
/// never by sleeping.
/// </summary>
[Platform(Include = "Linux")]
public sealed class NativeReactorTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);
    private NativeReactor _reactor = null!;
    private readonly List<Port> _ports = [];

    private sealed unsafe class Port
    {
        public Port(NativeReactor reactor, Action<int>? onRelease = null)
        {
            Fd = NativeTables.Libc.eventfd(0, 0);
            Assert.That(Fd, Is.GreaterThanOrEqualTo(0));
            Driver = new NativePortDriver(NativeTables.Libc, Fd, $"stand-in {Fd}", Interop.NetmapIoctl.NIOCTXSYNC, Interop.NetmapIoctl.NIOCRXSYNC, () =>
            {
                onRelease?.Invoke(Fd);
                NativeTables.Libc.close(Fd);
            }, reactor);
        }

        public int Fd { get; }
        public NativePortDriver Driver { get; }
        public ReactorRegistration Registration => Driver.Registration!;

        public void MakeReadable()
        {
            ulong one = 1;
            NativeTables.Libc.write(Fd, &one, sizeof(ulong));
        }

        public void Drain()
        {
            ulong value;
            NativeTables.Libc.read(Fd, &value, sizeof(ulong));
        }
    }

    [SetUp]
    public void SetUp() => _reactor = new NativeReactor(NativeTables.Libc);

    [TearDown]
    public void TearDown()
    {
        foreach (Port port in _ports) port.Driver.Close();
        _ports.Clear();
        _reactor.Dispose();
    }

    private Port Open(Action<int>? onRelease = null)
    {
        Port port = new(_reactor, onRelease);
        _ports.Add(port);
        return port;
    }

    private int EpollFd => _reactor.EpollFileDescriptor;

    private static void AssertWokeWithReceive(Task<NetmapPollEvents> wait)
    {
        Assert.That(wait.Wait(Guard), Is.True, "the wait woke");
        Assert.That(wait.Result, Is.EqualTo(NetmapPollEvents.Receive));
    }

    [Test]
    public void A_wait_completes_when_the_fd_becomes_ready_with_no_thread_blocked_in_poll()
    {
        Port port = Open();
        Assert.That(port.Driver.UsesReactor, Is.True);
        Assert.That(_reactor.ThreadCount, Is.Zero, "no thread before the first wait that has to block");

        Task<NetmapPollEvents> wait = port.Driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None).AsTask();

        Assert.That(wait.IsCompleted, Is.False);
        Assert.That(ThreadSyscalls.EpollTargets(EpollFd), Does.Contain(port.Fd), "armed in the reactor's epoll set");
        ThreadSyscalls.WaitFor(() => ThreadSyscalls.BlockedInEpollWait(EpollFd) == 1, "the reactor thread waits in epoll_wait", Guard);
        Assert.That(ThreadSyscalls.BlockedInPollOn(port.Fd), Is.Zero, "no thread is parked in poll for the port");

        port.MakeReadable();

        AssertWokeWithReceive(wait);
    }

    [Test]
    public void Sixty_four_waiting_ports_use_one_reactor_thread_and_all_wake()
    {
        Port[] ports = [.. Enumerable.Range(0, 64).Select(_ => Open())];

        Task<NetmapPollEvents>[] waits = [.. ports.Select(p => p.Driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None).AsTask())];

        Assert.That(waits.Any(w => w.IsCompleted), Is.False);
        Assert.That(_reactor.ThreadCount, Is.EqualTo(1));
        Assert.That(ThreadSyscalls.EpollTargets(EpollFd), Is.SupersetOf(ports.Select(p => p.Fd)));
        ThreadSyscalls.WaitFor(() => ThreadSyscalls.BlockedInEpollWait(EpollFd) == 1, "the one reactor thread waits in epoll_wait", Guard);
        Assert.That(ports.Sum(p => ThreadSyscalls.BlockedInPollOn(p.Fd)), Is.Zero, "no thread per port");

        foreach (Port port in ports) port.MakeReadable();

        Assert.That(Task.WaitAll(waits, Guard), Is.True);
        Assert.That(waits.Select(w => w.Result), Is.All.EqualTo(NetmapPollEvents.Receive));
    }

    [Test]
    public void Cancellation_fails_the_wait_and_takes_the_fd_out_of_the_epoll_set()
    {
        Port port = Open();
        using CancellationTokenSource cts = new();
        Task<NetmapPollEvents> wait = port.Driver.WaitAsync(NetmapPollEvents.Receive, cts.Token).AsTask();
        Assert.That(ThreadSyscalls.EpollTargets(EpollFd), Does.Contain(port.Fd));

        cts.Cancel();

        Assert.That(() => wait.Wait(Guard), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<OperationCanceledException>());
        Assert.That(wait.IsCanceled, Is.True);
        Assert.That(port.Registration.WaiterCount, Is.Zero);
        Assert.That(ThreadSyscalls.EpollTargets(EpollFd), Does.Not.Contain(port.Fd), "the reactor no longer polls the port: the application has its rings back");

        Task<NetmapPollEvents> again = port.Driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None).AsTask();
        port.MakeReadable();
        AssertWokeWithReceive(again);
    }

    [Test]
    public void An_already_cancelled_token_throws_before_arming()
    {
        Port port = Open();
        Assert.That(() => port.Driver.WaitAsync(NetmapPollEvents.Receive, new CancellationToken(true)), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(_reactor.ThreadCount, Is.Zero);
    }

    [Test]
    public void Close_fails_a_pending_wait_and_takes_the_fd_out_of_the_set_before_the_fd_is_released()
    {
        bool? inSetAtRelease = null;
        Port port = Open(fd => inSetAtRelease = ThreadSyscalls.EpollTargets(EpollFd).Contains(fd));
        Task<NetmapPollEvents> wait = port.Driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None).AsTask();

        port.Driver.Close();

        Assert.That(() => wait.Wait(Guard), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<ObjectDisposedException>());
        Assert.That(inSetAtRelease, Is.False, "removed from epoll before the release action closed the fd");
        Assert.That(_reactor.RegistrationCount, Is.Zero);
        Assert.That(() => port.Driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None), Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public void A_stale_event_collected_before_a_cancel_does_not_wake_the_next_wait()
    {
        Port port = Open();
        using CancellationTokenSource cts = new();
        Task<NetmapPollEvents> first = port.Driver.WaitAsync(NetmapPollEvents.Receive, cts.Token).AsTask();
        uint firstGeneration = port.Registration.Generation;
        cts.Cancel();
        Assert.That(() => first.Wait(Guard), Throws.InstanceOf<AggregateException>());
        Task<NetmapPollEvents> second = port.Driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None).AsTask();

        // What the reactor thread would do with an event epoll reported for the first arming.
        port.Registration.OnReady(firstGeneration, EpollEvent.EPOLLIN, []);

        Assert.That(second.IsCompleted, Is.False, "the stale event is ignored");
        port.Registration.OnReady(port.Registration.Generation, EpollEvent.EPOLLIN, []);
        AssertWokeWithReceive(second);
    }

    [Test]
    public void Two_waits_on_one_port_both_complete()
    {
        Port port = Open();
        Task<NetmapPollEvents> a = port.Driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None).AsTask();
        Task<NetmapPollEvents> b = port.Driver.WaitAsync(NetmapPollEvents.Receive | NetmapPollEvents.Error, CancellationToken.None).AsTask();
        Assert.That(port.Registration.WaiterCount, Is.EqualTo(2));

        port.MakeReadable();

        Assert.That(Task.WaitAll([a, b], Guard), Is.True);
        Assert.That((a.Result, b.Result), Is.EqualTo((NetmapPollEvents.Receive, NetmapPollEvents.Receive)));
    }

    [Test]
    public async Task Waiting_again_reuses_the_waiter_and_the_arming_allocates_nothing()
    {
        Port port = Open();
        for (int round = 0; round < 3; round++)   // warm up: JIT, the reactor thread, the spare waiter
        {
            ValueTask<NetmapPollEvents> warm = port.Driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None);
            port.MakeReadable();
            Assert.That(await warm, Is.EqualTo(NetmapPollEvents.Receive));
            port.Drain();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        ValueTask<NetmapPollEvents> wait = port.Driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(wait.IsCompleted, Is.False, "it really waits");
        Assert.That(allocated, Is.Zero, "non-blocking poll, arming and the ValueTask: no allocation");
        port.MakeReadable();
        Assert.That(await wait, Is.EqualTo(NetmapPollEvents.Receive));
    }

    [Test]
    public void A_timed_wait_ends_with_none_and_takes_the_fd_out_of_the_epoll_set()
    {
        Port port = Open();
        Task<NetmapPollEvents> wait = port.Driver.WaitAsync(NetmapPollEvents.Receive, TimeSpan.FromMilliseconds(20), CancellationToken.None).AsTask();
        Assert.That(ThreadSyscalls.EpollTargets(EpollFd), Does.Contain(port.Fd));

        Assert.That(wait.Wait(Guard), Is.True);

        Assert.That(wait.Result, Is.EqualTo(NetmapPollEvents.None));
        Assert.That(ThreadSyscalls.EpollTargets(EpollFd), Does.Not.Contain(port.Fd), "the application has its rings back");
        Assert.That(port.Registration.WaiterCount, Is.Zero);
    }

    [Test]
    public async Task A_timed_wait_allocates_nothing_once_warm_and_a_late_timer_does_not_end_the_next_wait()
    {
        Port port = Open();
        for (int round = 0; round < 3; round++)   // warm up: JIT, the reactor thread, the waiter and its timer
        {
            ValueTask<NetmapPollEvents> warm = port.Driver.WaitAsync(NetmapPollEvents.Receive, TimeSpan.FromMilliseconds(1), CancellationToken.None);
            Assert.That(await warm, Is.EqualTo(NetmapPollEvents.None));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        ValueTask<NetmapPollEvents> wait = port.Driver.WaitAsync(NetmapPollEvents.Receive, Guard, CancellationToken.None);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(wait.IsCompleted, Is.False, "it really waits");
        Assert.That(allocated, Is.Zero, "arming with a timeout: no allocation");
        port.MakeReadable();
        Assert.That(await wait, Is.EqualTo(NetmapPollEvents.Receive), "the fd won the race against the guard's timer");
        port.Drain();
    }

    [Test]
    public void A_disposed_reactor_refuses_registrations_and_fails_waits_cleanly()
    {
        Port port = Open();
        _reactor.Dispose();

        Assert.That(() => new NativePortDriver(NativeTables.Libc, port.Fd, "late", 0, 0, () => { }, _reactor), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(() => port.Driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(port.Registration.WaiterCount, Is.Zero, "the refused wait left nothing behind");
    }

    [Test]
    public void By_default_a_woken_wait_continues_on_the_thread_pool_not_on_the_reactor_thread()
    {
        Port port = Open();
        Task<Thread> continuedOn = ContinueAfterWait(port);
        port.MakeReadable();

        Assert.That(continuedOn.Wait(Guard), Is.True);
        Assert.That(continuedOn.Result, Is.Not.SameAs(_reactor.Thread));
        Assert.That(continuedOn.Result.IsThreadPoolThread, Is.True);
    }

    [Test]
    public void With_inline_completions_a_woken_wait_continues_on_the_reactor_thread_and_may_wait_again()
    {
        _reactor.Dispose();
        _reactor = new NativeReactor(NativeTables.Libc, inlineCompletions: true);
        Port port = Open();
        TaskCompletionSource armedAgain = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<(Thread First, Thread Second)> waits = WaitTwice(port);
        port.MakeReadable();
        Assert.That(armedAgain.Task.Wait(Guard), Is.True, "the continuation ran and armed a second wait");
        port.MakeReadable();

        Assert.That(waits.Wait(Guard), Is.True, "the second wait, armed on the reactor thread, woke");
        Assert.That(waits.Result.First, Is.SameAs(_reactor.Thread));
        Assert.That(waits.Result.Second, Is.SameAs(_reactor.Thread));

        async Task<(Thread, Thread)> WaitTwice(Port p)
        {
            await p.Driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None).ConfigureAwait(false);
            Thread first = Thread.CurrentThread;
            p.Drain();   // the counter was 1: this read does not block
            ValueTask<NetmapPollEvents> second = p.Driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None);
            armedAgain.SetResult();
            await second.ConfigureAwait(false);
            return (first, Thread.CurrentThread);
        }
    }

    [Test]
    public void With_inline_completions_disposing_from_the_reactor_thread_does_not_deadlock()
    {
        _reactor.Dispose();
        _reactor = new NativeReactor(NativeTables.Libc, inlineCompletions: true);
        Port port = Open();
        NativeReactor reactor = _reactor;
        Task disposed = DisposeAfterWait();
        port.MakeReadable();

        Assert.That(disposed.Wait(Guard), Is.True);
        Thread thread = reactor.Thread!;
        Assert.That(thread.Join(Guard), Is.True, "the thread stops once the continuation has returned");

        async Task DisposeAfterWait()
        {
            await port.Driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None).ConfigureAwait(false);
            port.Driver.Close();
            reactor.Dispose();   // on the reactor thread: no join of itself
        }
    }

    private static async Task<Thread> ContinueAfterWait(Port port)
    {
        await port.Driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None).ConfigureAwait(false);
        return Thread.CurrentThread;
    }

    [Test]
    public void Disposing_the_reactor_fails_a_wait_of_a_port_still_open_instead_of_leaving_it_pending()
    {
        Port port = Open();
        Task<NetmapPollEvents> wait = port.Driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None).AsTask();
        Thread thread = _reactor.Thread!;

        _reactor.Dispose();

        Assert.That(() => wait.Wait(Guard), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<ObjectDisposedException>());
        Assert.That(thread.IsAlive, Is.False, "joined");
        Assert.That(port.Registration.WaiterCount, Is.Zero);
        port.Driver.Close();   // the DEL meets a closed reactor: ignored, the fd is released all the same
        Assert.That(_reactor.RegistrationCount, Is.Zero);
    }

    [Test]
    public void A_cancel_racing_a_wake_up_ends_each_wait_exactly_one_way_and_the_port_waits_again()
    {
        Port port = Open();
        int woken = 0, cancelled = 0;
        for (int round = 0; round < 200; round++)
        {
            using CancellationTokenSource cts = new();
            Task<NetmapPollEvents> wait = port.Driver.WaitAsync(NetmapPollEvents.Receive, cts.Token).AsTask();
            using Barrier start = new(2);
            Task waker = Task.Run(() =>
            {
                start.SignalAndWait();
                port.MakeReadable();
            });
            start.SignalAndWait();
            cts.Cancel();
            Assert.That(waker.Wait(Guard), Is.True);

            Assert.That(((IAsyncResult)wait).AsyncWaitHandle.WaitOne(Guard), Is.True, $"round {round}: the wait ended");
            if (wait.IsCanceled) cancelled++;
            else if (wait.Result == NetmapPollEvents.Receive) woken++;
            else Assert.Fail($"round {round}: ended with {wait.Status} {wait.Exception}");
            Assert.That(port.Registration.WaiterCount, Is.Zero, $"round {round}: no waiter left behind");
            port.Drain();
        }
        Assert.That(woken + cancelled, Is.EqualTo(200));

        Task<NetmapPollEvents> next = port.Driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None).AsTask();
        Assert.That(next.IsCompleted, Is.False, "the drained fd is not ready: no stale readiness wakes the next wait");
        port.MakeReadable();
        AssertWokeWithReceive(next);
    }

    [Test]
    public void Ports_opened_waited_on_woken_cancelled_and_closed_from_several_threads_leave_nothing_registered()
    {
        const int Threads = 4, Rounds = 100;
        Task<string?>[] workers = [.. Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() => Churn(t), TaskCreationOptions.LongRunning))];

        Assert.That(Task.WaitAll(workers, Guard), Is.True, "every worker finished");
        Assert.That(workers.Select(w => w.Result), Is.All.Null);
        Assert.That(_reactor.RegistrationCount, Is.Zero);
        Assert.That(ThreadSyscalls.EpollTargets(EpollFd), Has.Count.EqualTo(1), "only the reactor's own stop eventfd is left in its epoll set");
        Assert.That(_reactor.ThreadCount, Is.EqualTo(1));

        string? Churn(int worker)
        {
            for (int round = 0; round < Rounds; round++)
            {
                Port port = new(_reactor);   // not in _ports: this thread closes it
                using CancellationTokenSource cts = new();
                Task<NetmapPollEvents> wait = port.Driver.WaitAsync(NetmapPollEvents.Receive, cts.Token).AsTask();
                Type expected;
                switch ((worker + round) % 3)
                {
                    case 0: port.MakeReadable(); expected = typeof(NetmapPollEvents); break;
                    case 1: cts.Cancel(); expected = typeof(TaskCanceledException); break;
                    default: port.Driver.Close(); expected = typeof(ObjectDisposedException); break;
                }
                bool ended = ((IAsyncResult)wait).AsyncWaitHandle.WaitOne(Guard);
                port.Driver.Close();
                Type? got = !ended ? null : wait.IsCompletedSuccessfully ? typeof(NetmapPollEvents) : wait.Exception?.InnerException?.GetType()
                    ?? (wait.IsCanceled ? typeof(TaskCanceledException) : null);
                if (got != expected)
                    return $"worker {worker} round {round}: expected {expected.Name}, got {got?.Name ?? "no end"}";
            }
            return null;
        }
    }

    [Test]
    public void A_new_port_that_reuses_a_closed_ports_fd_number_waits_for_its_own_readiness()
    {
        Port first = Open();
        Task<NetmapPollEvents> firstWait = first.Driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None).AsTask();
        uint firstGeneration = first.Registration.Generation;
        int fd = first.Fd;
        first.Driver.Close();
        Assert.That(() => firstWait.Wait(Guard), Throws.InstanceOf<AggregateException>());

        Port second = Open();
        Assume.That(second.Fd, Is.EqualTo(fd), "the kernel gives the lowest free fd number (unless another thread took it)");
        Task<NetmapPollEvents> secondWait = second.Driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None).AsTask();
        Assert.That(second.Registration.Id, Is.Not.EqualTo(first.Registration.Id));
        // The reactor thread may have looked the old registration up just before it closed: its event is ignored.
        first.Registration.OnReady(firstGeneration, EpollEvent.EPOLLIN, []);
        Assert.That(secondWait.IsCompleted, Is.False, "the old registration's event does not reach the new port");
        Assert.That(ThreadSyscalls.EpollTargets(EpollFd), Does.Contain(fd), "the new port's fd is armed (ADD, not a MOD of the old one)");

        second.MakeReadable();

        AssertWokeWithReceive(secondWait);
    }

    [Test]
    public void Disposing_the_reactor_stops_its_thread()
    {
        Port port = Open();
        Task<NetmapPollEvents> wait = port.Driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None).AsTask();
        Thread thread = _reactor.Thread!;
        port.Driver.Close();
        Assert.That(() => wait.Wait(Guard), Throws.InstanceOf<AggregateException>());

        _reactor.Dispose();

        Assert.That(thread.IsAlive, Is.False, "joined");
    }
}
