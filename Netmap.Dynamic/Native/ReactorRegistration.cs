namespace Netmap.Dynamic.Native;

/// <summary>
/// One port's place in the <see cref="NativeReactor"/>: its fd's epoll registration and the waiters
/// of its pending <see cref="NetmapPort.WaitAsync(NetmapPollEvents, CancellationToken)"/> calls (usually one).
/// </summary>
/// <remarks>
/// <para>
/// States: not in the epoll set → armed (<c>EPOLL_CTL_ADD</c> or <c>MOD</c>, with
/// <c>EPOLLONESHOT</c> and the union of the waiters' events) → disarmed (the kernel reported it) →
/// armed again by the next wait, and so on; out of the set again (<c>EPOLL_CTL_DEL</c>) when the
/// last waiter is cancelled, and for good when the port closes. Every <c>epoll_ctl</c> for the fd
/// runs under this object's lock after checking it is not closed, and the driver closes the fd
/// only after <see cref="Close"/>: no <c>epoll_ctl</c> ever names a closed (or reused) fd number.
/// </para>
/// <para>
/// The epoll data of each arming is the registration id and a generation that every arming
/// increments: an event the reactor collected before a cancel and delivers after a new wait has
/// re-armed carries the old generation and is ignored, so it cannot wake the new waiter with
/// stale readiness.
/// </para>
/// </remarks>
internal sealed class ReactorRegistration(NativeReactor reactor, int fd, string name, uint id)
{
    private enum State
    {
        NotInSet,
        Armed,
        Disarmed,
        Closed,
    }

    private readonly NativeReactor _reactor = reactor;
    private readonly int _fd = fd;
    private readonly Lock _lock = new();
    private readonly List<ReactorWait> _waiters = new(1);
    private ReactorWaiter? _spare;   // the last completed waiter, reused by the next wait: no allocation per wait
    private State _state;
    private uint _generation;
    private uint _armedEvents;

    /// <summary>The reactor's key for this registration (high half of the epoll data).</summary>
    public uint Id { get; } = id;

    /// <summary>The port name, for messages.</summary>
    public string Name { get; } = name;

    /// <summary>The generation of the latest arming (for tests of stale events).</summary>
    internal uint Generation
    {
        get
        {
            lock (_lock)
                return _generation;
        }
    }

    /// <summary>Waiters pending now (for tests).</summary>
    public int WaiterCount
    {
        get
        {
            lock (_lock)
                return _waiters.Count;
        }
    }

    /// <summary>
    /// Arms the registration for <paramref name="events"/> and returns a task the reactor completes
    /// with the ready events (Error included when the kernel reports <c>POLLERR</c>), or that fails
    /// with <see cref="OperationCanceledException"/> on cancellation and
    /// <see cref="ObjectDisposedException"/> when the port closes. The caller has already polled
    /// without blocking and found nothing.
    /// </summary>
    public ValueTask<NetmapPollEvents> WaitAsync(NetmapPollEvents events, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ReactorWaiter waiter = Interlocked.Exchange(ref _spare, null) ?? new ReactorWaiter(this, _reactor.InlineCompletions);
        short version;
        lock (_lock)
        {
            if (_state == State.Closed)
                throw Disposed();
            version = waiter.Begin(events);
            _waiters.Add(waiter);
            int errno;
            try
            {
                errno = Arm();
            }
            catch
            {
                _waiters.Remove(waiter);   // the reactor is disposed
                waiter.Abandon();
                throw;
            }
            if (errno != 0)
            {
                _waiters.Remove(waiter);
                waiter.Abandon();
                throw NetmapException.FromErrno(errno, "epoll_ctl", Name, "could not register the port with the wait reactor");
            }
        }
        waiter.StartTimeout(timeout);
        if (cancellationToken.CanBeCanceled)
        {
            // May run the callback at once when the token is already cancelled: it completes the waiter.
            waiter.Cancellation = cancellationToken.UnsafeRegister(
                static (state, token) => ((ReactorWaiter)state!).Owner.Cancel((ReactorWaiter)state!, token), waiter);
        }
        return new ValueTask<NetmapPollEvents>(waiter, version);
    }

    /// <summary>
    /// The reactor thread's report: completes the waiters it satisfies and re-arms for the rest.
    /// <paramref name="completed"/> is the reactor thread's own list, used to deliver outside the lock.
    /// </summary>
    public void OnReady(uint generation, uint epollEvents, List<ReactorWait> completed)
    {
        lock (_lock)
        {
            if (_state != State.Armed || generation != _generation)
                return;   // stale: cancelled, closed, or re-armed since this event was collected
            _state = State.Disarmed;   // EPOLLONESHOT: the kernel has disarmed it
            NetmapPollEvents ready = FromEpoll(epollEvents);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                ReactorWait waiter = _waiters[i];
                NetmapPollEvents mine = ready & (waiter.Interest | NetmapPollEvents.Error);
                if (mine == NetmapPollEvents.None)
                    continue;
                _waiters.RemoveAt(i);
                waiter.Complete(mine);
                completed.Add(waiter);
            }
            if (_waiters.Count > 0)
            {
                try
                {
                    int errno = Arm();
                    if (errno != 0)
                        FailAll(NetmapException.FromErrno(errno, "epoll_ctl", Name, "could not re-arm the wait reactor"), completed);
                }
                catch (ObjectDisposedException e)
                {
                    FailAll(e, completed);   // the library is being disposed: no thread will wait for these any more
                }
            }
        }
        Deliver(completed);
    }

    /// <summary>Unregisters from epoll for good and fails every waiter with <see cref="ObjectDisposedException"/>.</summary>
    public void Close()
    {
        List<ReactorWait> failed = [];
        lock (_lock)
        {
            if (_state == State.Closed)
                return;
            if (_state != State.NotInSet)
                _ = ControlIgnoringDisposal(EpollEvent.EPOLL_CTL_DEL, 0);
            _state = State.Closed;
            FailAll(Disposed(), failed);
        }
        _reactor.Unregister(this);
        Deliver(failed);
    }

    /// <summary>Fails every waiter (the reactor stopped).</summary>
    public void FailWaiters(Exception error)
    {
        List<ReactorWait> failed = [];
        lock (_lock)
            FailAll(error, failed);
        Deliver(failed);
    }

    /// <summary>Takes a completed waiter back for the next wait.</summary>
    internal void Return(ReactorWaiter waiter) => Volatile.Write(ref _spare, waiter);

    /// <summary>A timed wait's clock ran out: it completes with None (a late timer after it ended does nothing).</summary>
    internal void Expire(ReactorWaiter waiter)
    {
        lock (_lock)
        {
            if (!RemoveLocked(waiter))
                return;
            waiter.Complete(NetmapPollEvents.None);
        }
        waiter.Deliver();
    }

    private void Cancel(ReactorWaiter waiter, CancellationToken token)
    {
        lock (_lock)
        {
            if (!RemoveLocked(waiter))
                return;   // already completed by the reactor or failed by Close
            waiter.Fail(new OperationCanceledException(token));
        }
        waiter.Deliver();
    }

    /// <summary>
    /// Adds a poller's wait for <paramref name="member"/> (which has begun: pending, with its events)
    /// and arms the port. Throws <see cref="ObjectDisposedException"/> when the port or the reactor
    /// is closed, <see cref="NetmapException"/> when <c>epoll_ctl</c> refuses.
    /// </summary>
    public void Enlist(ReactorWait member)
    {
        lock (_lock)
        {
            if (_state == State.Closed)
                throw Disposed();
            _waiters.Add(member);
            int errno;
            try
            {
                errno = Arm();
            }
            catch
            {
                _waiters.Remove(member);
                member.Withdraw();
                throw;
            }
            if (errno != 0)
            {
                _waiters.Remove(member);
                member.Withdraw();
                throw NetmapException.FromErrno(errno, "epoll_ctl", Name, "could not register the port with the wait reactor");
            }
        }
    }

    /// <summary>
    /// Takes a poller's wait out again (its set completed through another port, timed out or was
    /// cancelled); when it was the last wait, the port leaves the epoll set, so the reactor syncs
    /// its rings no more. False when it had already ended (completed, or failed by Close).
    /// </summary>
    public bool Withdraw(ReactorWait member)
    {
        lock (_lock)
            return RemoveLocked(member);
    }

    /// <summary>Removes a pending wait; the last one takes the fd out of the epoll set. Under the lock.</summary>
    private bool RemoveLocked(ReactorWait waiter)
    {
        if (!waiter.IsPending)
            return false;
        _waiters.Remove(waiter);
        waiter.Withdraw();
        if (_waiters.Count == 0 && _state is State.Armed or State.Disarmed)
        {
            // Out of the epoll set, so the reactor calls netmap_poll on this port no more: the
            // application has its rings back. DEL waits for an epoll_wait that is inside it now.
            _ = ControlIgnoringDisposal(EpollEvent.EPOLL_CTL_DEL, 0);
            _state = State.NotInSet;
        }
        return true;
    }

    /// <summary>ADD or MOD with the union of the waiters' events; 0 or the errno. Under the lock.</summary>
    private int Arm()
    {
        uint wanted = 0;
        foreach (ReactorWait waiter in _waiters)
            wanted |= ToEpoll(waiter.Interest);
        if (_state == State.Armed && (wanted & ~_armedEvents) == 0)
            return 0;   // already armed for all of it
        int op = _state == State.NotInSet ? EpollEvent.EPOLL_CTL_ADD : EpollEvent.EPOLL_CTL_MOD;
        _generation++;
        int errno = _reactor.Control(op, _fd, wanted | EpollEvent.EPOLLONESHOT, ((ulong)Id << 32) | _generation);
        if (errno != 0)
            return errno;
        _state = State.Armed;
        _armedEvents = wanted;
        return 0;
    }

    private int ControlIgnoringDisposal(int op, uint events)
    {
        try
        {
            return _reactor.Control(op, _fd, events, 0);
        }
        catch (ObjectDisposedException)
        {
            return 0;   // the reactor is gone and its epoll fd with it: nothing is registered any more
        }
    }

    private void FailAll(Exception error, List<ReactorWait> failed)
    {
        foreach (ReactorWait waiter in _waiters)
        {
            waiter.Fail(error);
            failed.Add(waiter);
        }
        _waiters.Clear();
    }

    private static void Deliver(List<ReactorWait> decided)
    {
        foreach (ReactorWait waiter in decided)
            waiter.Deliver();
        decided.Clear();
    }

    private ObjectDisposedException Disposed() =>
        new(nameof(NetmapPort), $"netmap port '{Name}' was disposed while waiting.");

    private static uint ToEpoll(NetmapPollEvents events) =>
        ((events & NetmapPollEvents.Receive) != 0 ? EpollEvent.EPOLLIN : 0)
        | ((events & NetmapPollEvents.Transmit) != 0 ? EpollEvent.EPOLLOUT : 0);

    private static NetmapPollEvents FromEpoll(uint events) =>
        ((events & EpollEvent.EPOLLIN) != 0 ? NetmapPollEvents.Receive : NetmapPollEvents.None)
        | ((events & EpollEvent.EPOLLOUT) != 0 ? NetmapPollEvents.Transmit : NetmapPollEvents.None)
        | ((events & (EpollEvent.EPOLLERR | EpollEvent.EPOLLHUP)) != 0 ? NetmapPollEvents.Error : NetmapPollEvents.None);
}
