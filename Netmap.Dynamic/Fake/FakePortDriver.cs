using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Fake;

/// <summary>
/// The fake's side of a bound port: the emulated kernel runs inside these calls, under the adapter's
/// lock, exactly where the real kernel runs inside <c>ioctl</c> and <c>poll</c>.
/// </summary>
internal sealed class FakePortDriver : PortDriver
{
    private readonly FakeNetmapBackend _backend;
    private readonly FakeFaultInjector _faults;
    private readonly FakeAdapter _adapter;
    private readonly FakeKring[] _tx;
    private readonly FakeKring[] _rx;
    private readonly NetmapRegisterFlags _flags;
    private bool _closed;

    public FakePortDriver(FakeNetmapBackend backend, FakeFaultInjector faults, FakeAdapter adapter, FakeKring[] tx, FakeKring[] rx,
        NetmapRegisterFlags flags, long interfaceOffset)
    {
        _backend = backend;
        _faults = faults;
        _adapter = adapter;
        _tx = tx;
        _rx = rx;
        _flags = flags;
        InterfaceOffset = interfaceOffset;
    }

    public FakeWaitSignal Signal { get; } = new();
    public FakeAdapter Adapter => _adapter;
    public FakeKring[] BoundTx => _tx;
    public FakeKring[] BoundRx => _rx;
    public long InterfaceOffset { get; }
    public NetmapPort? Port { get; set; }

    /// <summary>The register options the port holds (external memory is given back when it closes).</summary>
    public PortRegisterOptions? Extra { get; set; }
    public bool Exclusive => (_flags & NetmapRegisterFlags.NR_EXCLUSIVE) != 0;

    /// <summary>True while a Poll or WaitAsync of this port is waiting to be woken (for tests).</summary>
    internal bool HasWaiters
    {
        get { lock (_adapter.SyncRoot) return Signal.HasWaiters; }
    }

    public override void TxSync()
    {
        lock (_adapter.SyncRoot)
        {
            Enter(FakeNetmapOperation.TxSync, "txsync");
            foreach (FakeKring kring in _tx) SyncTx(kring);
        }
    }

    public override void RxSync()
    {
        lock (_adapter.SyncRoot)
        {
            Enter(FakeNetmapOperation.RxSync, "rxsync");
            foreach (FakeKring kring in _rx) SyncRx(kring);
        }
    }

    public override NetmapPollEvents Poll(NetmapPollEvents events, TimeSpan timeout)
    {
        long deadline = timeout == Timeout.InfiniteTimeSpan || timeout.TotalMilliseconds >= long.MaxValue / 2
            ? long.MaxValue
            : Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds);
        while (true)
        {
            Task wake;
            lock (_adapter.SyncRoot)
            {
                Enter(FakeNetmapOperation.Poll, "poll");
                NetmapPollEvents ready = Evaluate(events);
                if (ready != NetmapPollEvents.None || timeout == TimeSpan.Zero) return ready;
                wake = Signal.GetWaitTask();
            }
            long remaining = deadline == long.MaxValue ? Timeout.Infinite : deadline - Environment.TickCount64;
            if (remaining <= 0 && deadline != long.MaxValue) return NetmapPollEvents.None;
            // Task.Wait takes at most int.MaxValue ms: a longer wait just wakes once and waits again.
            if (!wake.Wait((int)Math.Min(remaining, int.MaxValue)) && remaining <= int.MaxValue) return NetmapPollEvents.None;
        }
    }

    public override ValueTask<NetmapPollEvents> WaitAsync(NetmapPollEvents events, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Task wake;
        lock (_adapter.SyncRoot)
        {
            try
            {
                Enter(FakeNetmapOperation.Poll, "poll");
            }
            catch (NetmapException e)
            {
                return ValueTask.FromException<NetmapPollEvents>(e);   // an operational error belongs in the task
            }
            NetmapPollEvents ready = Evaluate(events);
            if (ready != NetmapPollEvents.None || timeout == TimeSpan.Zero) return ValueTask.FromResult(ready);
            wake = Signal.GetWaitTask();
        }
        return WaitSlowAsync(wake, events, timeout, cancellationToken);
    }

    public override void Close() => _backend.Close(this);

    public override PollerDriver CreatePoller() => new FakePollerDriver(_backend);

    /// <summary>The backend that opened the port.</summary>
    public FakeNetmapBackend Backend => _backend;

    /// <summary>One look at the port by a poller: <c>netmap_poll</c> without the wait (ObjectDisposedException once closed).</summary>
    public NetmapPollEvents PollOnce(NetmapPollEvents events)
    {
        lock (_adapter.SyncRoot)
        {
            Enter(FakeNetmapOperation.Poll, "poll");
            return Evaluate(events);
        }
    }

    /// <summary>Makes <paramref name="listener"/> hear every wake-up of this port.</summary>
    public void AddListener(FakePollerSignal listener)
    {
        lock (_adapter.SyncRoot)
            Signal.AddListener(listener);
    }

    /// <summary>Stops <paramref name="listener"/> hearing this port.</summary>
    public void RemoveListener(FakePollerSignal listener)
    {
        lock (_adapter.SyncRoot)
            Signal.RemoveListener(listener);
    }

    /// <summary>Marks the driver closed and wakes its waiters; called by the backend under the adapter lock.</summary>
    public void MarkClosed()
    {
        _closed = true;
        Signal.Set();
    }

    private async ValueTask<NetmapPollEvents> WaitSlowAsync(Task wake, NetmapPollEvents events, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The port's wake-up races a delay that ends at the timeout or with the caller's token (the
        // fake's slow path may allocate; the native one does not).
        using CancellationTokenSource stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task expired = Task.Delay(timeout, stop.Token);
        try
        {
            while (true)
            {
                if (await Task.WhenAny(wake, expired).ConfigureAwait(false) == expired)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return NetmapPollEvents.None;
                }
                lock (_adapter.SyncRoot)
                {
                    Enter(FakeNetmapOperation.Poll, "poll");
                    NetmapPollEvents ready = Evaluate(events);
                    if (ready != NetmapPollEvents.None) return ready;
                    wake = Signal.GetWaitTask();
                }
            }
        }
        finally
        {
            stop.Cancel();   // ends the delay's timer
        }
    }

    /// <summary>Every syscall: refuse after close, then fail if the test asked for an error.</summary>
    private void Enter(FakeNetmapOperation operation, string name)
    {
        ObjectDisposedException.ThrowIf(_closed, typeof(NetmapPort));
        if (_faults.TryConsumeError(_adapter.Name, operation, out int errno))
            throw NetmapException.FromErrno(errno, name, _adapter.Name, "injected by FakeNetmapBackend.FailNext");
    }

    /// <summary>NIOCTXSYNC on one ring: an invalid head/cur resets the ring and skips the sync.</summary>
    private void SyncTx(FakeKring kring)
    {
        if (!kring.TxPrologue())
        {
            kring.Reinit();
            return;
        }
        if (FakeMonitorTaps.TxSync(_adapter, kring)) kring.FinalizeSync();
    }

    /// <summary>NIOCRXSYNC on one ring: after a failed prologue the kernel reinits and still syncs (observed).</summary>
    private void SyncRx(FakeKring kring)
    {
        if (!kring.RxPrologue()) kring.Reinit();
        if (FakeMonitorTaps.RxSync(_adapter, kring)) kring.FinalizeSync();
    }

    /// <summary>
    /// <c>netmap_poll</c> on Linux. TX rings are visited when <c>POLLOUT</c> is asked or the port
    /// polls TX (no <c>NR_NO_TX_POLL</c>). Once a ring with free slots is found (or when
    /// <c>POLLOUT</c> was not asked), a ring whose <c>head</c> equals the kernel's <c>hwcur</c>
    /// (nothing new to send) is skipped, not synced. <c>POLLOUT</c> still unanswered after one pass
    /// gets a second pass. RX rings are synced, every one, only when <c>POLLIN</c> is asked, with a
    /// second pass when none had a packet. A ring with invalid head/cur is reset: <c>POLLERR</c>.
    /// </summary>
    private NetmapPollEvents Evaluate(NetmapPollEvents events)
    {
        NetmapPollEvents ready = NetmapPollEvents.None;
        bool wantTx = (events & NetmapPollEvents.Transmit) != 0;
        bool wantRx = (events & NetmapPollEvents.Receive) != 0;
        if (wantTx || (_flags & NetmapRegisterFlags.NR_NO_TX_POLL) == 0)
        {
            PollTx(ref wantTx, ref ready);
            if (wantTx) PollTx(ref wantTx, ref ready);   // the kernel's retry_tx round
        }
        if (wantRx && !PollRx(ref ready)) PollRx(ref ready);   // the kernel's retry_rx round
        return ready;
    }

    /// <summary>One TX round of <c>netmap_poll</c>; clears <paramref name="wantTx"/> when a ring has free slots.</summary>
    private unsafe void PollTx(ref bool wantTx, ref NetmapPollEvents ready)
    {
        foreach (FakeKring kring in _tx)
        {
            if (!wantTx && kring.Ring->head == kring.HwCur) continue;
            if (!kring.TxPrologue())
            {
                kring.Reinit();
                ready |= NetmapPollEvents.Error;
            }
            else if (FakeMonitorTaps.TxSync(_adapter, kring))
            {
                kring.FinalizeSync();
            }
            else
            {
                ready |= NetmapPollEvents.Error;   // the driver failed (a monitor cannot transmit)
            }
            if (kring.RCur != kring.RTail)
            {
                if (wantTx) ready |= NetmapPollEvents.Transmit;
                wantTx = false;
            }
        }
    }

    /// <summary>One RX round of <c>netmap_poll</c>: syncs every bound RX ring; true when one of them has packets.</summary>
    private bool PollRx(ref NetmapPollEvents ready)
    {
        bool found = false;
        foreach (FakeKring kring in _rx)
        {
            if (!kring.RxPrologue())
            {
                kring.Reinit();
                ready |= NetmapPollEvents.Error;
            }
            if (FakeMonitorTaps.RxSync(_adapter, kring)) kring.FinalizeSync();
            else ready |= NetmapPollEvents.Error;   // the driver failed (an orphaned monitor)
            if (kring.RCur != kring.RTail)
            {
                ready |= NetmapPollEvents.Receive;
                found = true;
            }
        }
        return found;
    }
}
