using Netmap.Dynamic.Native;

namespace Netmap.Dynamic.Tests.Native;

/// <summary>
/// The native poller with real libc poll/epoll and eventfds standing in for netmap fds (readable
/// while their counter is above 0): the blocking <c>poll()</c> over the set, and the set's wait on
/// the epoll reactor, which must leave no port in the epoll set once it has completed. Where threads
/// wait is read from /proc, never by sleeping.
/// </summary>
[Platform(Include = "Linux")]
public sealed class NativePollerTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);
    private NativeReactor _reactor = null!;
    private readonly List<StandIn> _ports = [];
    private NativePollerDriver _poller = null!;
    private NetmapPollEvents[] _interest = null!;
    private NetmapPollEvents[] _ready = null!;

    private sealed unsafe class StandIn
    {
        public StandIn(NativeReactor reactor)
        {
            Fd = NativeTables.Libc.eventfd(0, 0);
            Assert.That(Fd, Is.GreaterThanOrEqualTo(0));
            Driver = new NativePortDriver(NativeTables.Libc, Fd, $"stand-in {Fd}", Interop.NetmapIoctl.NIOCTXSYNC, Interop.NetmapIoctl.NIOCRXSYNC, () =>
            {
                Released = ThreadSyscalls.BlockedInPollOn(Fd);
                NativeTables.Libc.close(Fd);
            }, reactor);
        }

        public int Fd { get; }
        public NativePortDriver Driver { get; }
        public int? Released { get; private set; }   // threads still in poll on the fd when it was released

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
    public void SetUp()
    {
        _reactor = new NativeReactor(NativeTables.Libc);
        _poller = new NativePollerDriver(NativeTables.Libc, _reactor);
        for (int i = 0; i < 3; i++)
        {
            StandIn port = new(_reactor);
            _ports.Add(port);
            Assert.That(_poller.CanAdd(port.Driver), Is.True);
            _poller.Add(port.Driver);
        }
        _interest = [NetmapPollEvents.Receive, NetmapPollEvents.Receive, NetmapPollEvents.Receive];
        _ready = new NetmapPollEvents[3];
    }

    [TearDown]
    public void TearDown()
    {
        _poller.Dispose();
        foreach (StandIn port in _ports) port.Driver.Close();
        _ports.Clear();
        _reactor.Dispose();
    }

    private int EpollFd => _reactor.EpollFileDescriptor;

    private IEnumerable<int> Fds => _ports.Select(p => p.Fd);

    [Test]
    public void One_poll_reports_the_readable_ports_but_not_a_readable_port_asked_for_nothing()
    {
        _ports[1].MakeReadable();
        _ports[2].MakeReadable();
        _interest[2] = NetmapPollEvents.None;

        Assert.That(_poller.Poll(_interest, _ready, Guard), Is.EqualTo(1));

        Assert.That(_ready, Is.EqualTo(new[] { NetmapPollEvents.None, NetmapPollEvents.Receive, NetmapPollEvents.None }));
    }

    [Test]
    public void A_blocked_poll_waits_in_one_poll_call_for_every_port_and_wakes_for_any()
    {
        Task<int> waiter = Task.Run(() => _poller.Poll(_interest, _ready, Guard));
        ThreadSyscalls.WaitFor(() => Fds.All(fd => ThreadSyscalls.BlockedInPollOn(fd) == 1), "the three fds are in one poll call", Guard);

        _ports[2].MakeReadable();

        Assert.That(waiter.Wait(Guard), Is.True);
        Assert.That(waiter.Result, Is.EqualTo(1));
        Assert.That(_ready[2], Is.EqualTo(NetmapPollEvents.Receive));
    }

    [Test]
    public void Closing_a_port_wakes_a_blocked_poll_and_its_fd_is_released_only_after_the_poll_left()
    {
        Task<int> waiter = Task.Run(() => _poller.Poll(_interest, _ready, Timeout.InfiniteTimeSpan));
        ThreadSyscalls.WaitFor(() => ThreadSyscalls.BlockedInPollOn(_ports[0].Fd) == 1, "the poll blocks", Guard);

        _ports[0].Driver.Close();

        Assert.That(() => waiter.Wait(Guard), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<ObjectDisposedException>());
        Assert.That(_ports[0].Released, Is.Zero, "no thread was in poll on the fd when it was closed");
    }

    [Test]
    public void A_blocking_poll_allocates_nothing()
    {
        _ports[0].MakeReadable();
        for (int i = 0; i < 100; i++) _poller.Poll(_interest, _ready, Timeout.InfiniteTimeSpan);   // warm up

        int found = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) found += _poller.Poll(_interest, _ready, Timeout.InfiniteTimeSpan);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(found, Is.EqualTo(1000));
        Assert.That(allocated, Is.Zero, $"{allocated} bytes for 1000 polls");
    }

    [Test]
    public void A_set_wait_arms_every_port_in_the_reactor_and_once_one_wakes_leaves_none_armed()
    {
        Task<int> wait = _poller.WaitAsync(_interest, _ready, Timeout.InfiniteTimeSpan, CancellationToken.None).AsTask();
        Assert.That(wait.IsCompleted, Is.False);
        Assert.That(ThreadSyscalls.EpollTargets(EpollFd), Is.SupersetOf(Fds), "one registration per port");
        Assert.That(Fds.Sum(ThreadSyscalls.BlockedInPollOn), Is.Zero, "no thread blocks in poll for the set");

        _ports[1].MakeReadable();

        Assert.That(wait.Wait(Guard), Is.True);
        Assert.That(wait.Result, Is.EqualTo(1));
        Assert.That(_ready, Is.EqualTo(new[] { NetmapPollEvents.None, NetmapPollEvents.Receive, NetmapPollEvents.None }));
        Assert.That(ThreadSyscalls.ArmedEpollTargets(EpollFd).Intersect(Fds), Is.Empty,
            "the woken port was disarmed by EPOLLONESHOT, the others withdrawn, before the wait completed: no reactor thread syncs their rings now");
        Assert.That(ThreadSyscalls.EpollTargets(EpollFd).Intersect([_ports[0].Fd, _ports[2].Fd]), Is.Empty, "the ports that did not wake left the epoll set");
        Assert.That(_ports.Sum(p => p.Driver.Registration!.WaiterCount), Is.Zero);
    }

    [Test]
    public void Cancelling_a_set_wait_takes_every_port_out_of_the_epoll_set()
    {
        using CancellationTokenSource cts = new();
        Task<int> wait = _poller.WaitAsync(_interest, _ready, Timeout.InfiniteTimeSpan, cts.Token).AsTask();
        Assert.That(ThreadSyscalls.EpollTargets(EpollFd), Is.SupersetOf(Fds));

        cts.Cancel();

        Assert.That(() => wait.Wait(Guard), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<OperationCanceledException>());
        Assert.That(ThreadSyscalls.EpollTargets(EpollFd).Intersect(Fds), Is.Empty);
        Task<int> again = _poller.WaitAsync(_interest, _ready, Timeout.InfiniteTimeSpan, CancellationToken.None).AsTask();
        _ports[0].MakeReadable();
        Assert.That(again.Wait(Guard), Is.True);
        Assert.That(again.Result, Is.EqualTo(1));
    }

    [Test]
    public void A_timed_set_wait_ends_with_zero_and_takes_every_port_out_of_the_epoll_set()
    {
        Task<int> wait = _poller.WaitAsync(_interest, _ready, TimeSpan.FromMilliseconds(20), CancellationToken.None).AsTask();

        Assert.That(wait.Wait(Guard), Is.True);
        Assert.That(wait.Result, Is.Zero);
        Assert.That(ThreadSyscalls.EpollTargets(EpollFd).Intersect(Fds), Is.Empty);
    }

    [Test]
    public void Closing_a_port_fails_a_pending_set_wait_and_the_other_ports_leave_the_epoll_set()
    {
        Task<int> wait = _poller.WaitAsync(_interest, _ready, Timeout.InfiniteTimeSpan, CancellationToken.None).AsTask();

        _ports[0].Driver.Close();

        Assert.That(() => wait.Wait(Guard), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<ObjectDisposedException>());
        Assert.That(ThreadSyscalls.EpollTargets(EpollFd).Intersect(Fds.Skip(1)), Is.Empty);
    }

    [Test]
    public async Task A_set_wait_on_the_reactor_allocates_nothing_once_warm()
    {
        for (int round = 0; round < 3; round++)   // warm up: JIT, the reactor thread, the timer
        {
            ValueTask<int> warm = _poller.WaitAsync(_interest, _ready, Guard, CancellationToken.None);
            _ports[round].MakeReadable();
            Assert.That(await warm, Is.EqualTo(1));
            _ports[round].Drain();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        ValueTask<int> wait = _poller.WaitAsync(_interest, _ready, Guard, CancellationToken.None);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(wait.IsCompleted, Is.False, "it really waits");
        Assert.That(allocated, Is.Zero, "the non-blocking poll, arming three ports, the timeout and the ValueTask: no allocation");
        _ports[1].MakeReadable();
        Assert.That(await wait, Is.EqualTo(1));
    }

    [Test]
    public void A_second_wait_while_one_is_pending_is_refused()
    {
        Task<int> wait = _poller.WaitAsync(_interest, _ready, Timeout.InfiniteTimeSpan, CancellationToken.None).AsTask();

        Assert.That(() => _poller.WaitAsync(_interest, _ready, Timeout.InfiniteTimeSpan, CancellationToken.None), Throws.InvalidOperationException);

        _ports[0].MakeReadable();
        Assert.That(wait.Wait(Guard), Is.True);
    }
}
