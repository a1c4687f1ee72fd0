using System.Runtime.CompilerServices;

namespace Netmap.Dynamic.Fake;

/// <summary>
/// A <see cref="NetmapPoller"/> on the fake backend: each wait looks at every port as the kernel's
/// <c>netmap_poll</c> does (under that port's adapter lock, syncing the same rings) and, when none
/// is ready, sleeps on one <see cref="FakePollerSignal"/> that every port of the set raises when its
/// rings change. The same rules as the native <c>poll()</c> over the ports' fds.
/// </summary>
internal sealed class FakePollerDriver : PollerDriver
{
    private readonly FakeNetmapBackend _backend;
    private readonly List<FakePortDriver> _ports = [];
    private readonly FakePollerSignal _signal = new();
    private readonly WaitTimeout _timeout;
    private volatile bool _expired;
    private volatile bool _disposed;

    public FakePollerDriver(FakeNetmapBackend backend)
    {
        _backend = backend;
        _timeout = new WaitTimeout(() =>
        {
            _expired = true;
            _signal.Raise();
        });
    }

    /// <summary>The signal the set sleeps on (for tests).</summary>
    internal FakePollerSignal Signal => _signal;

    public override bool CanAdd(PortDriver port) => port is FakePortDriver fake && fake.Backend == _backend;

    public override void Add(PortDriver port)
    {
        var fake = (FakePortDriver)port;
        fake.AddListener(_signal);
        _ports.Add(fake);
    }

    public override int Poll(ReadOnlySpan<NetmapPollEvents> interest, Span<NetmapPollEvents> ready, TimeSpan timeout)
    {
        long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue
            : Environment.TickCount64 + (long)Math.Ceiling(Math.Min(timeout.TotalMilliseconds, long.MaxValue / 4));
        while (true)
        {
            _signal.Reset();
            int count = Evaluate(interest, ready);
            if (count > 0 || timeout == TimeSpan.Zero)
                return count;
            long remaining = deadline == long.MaxValue ? -1 : deadline - Environment.TickCount64;
            if ((remaining <= 0 && deadline != long.MaxValue) || !_signal.Wait(remaining))
            {
                ready[.._ports.Count].Clear();
                return 0;
            }
            ThrowIfDisposed();
        }
    }

    public override ValueTask<int> WaitAsync(NetmapPollEvents[] interest, NetmapPollEvents[] ready, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        _signal.Reset();
        int count = Evaluate(interest, ready);
        if (count > 0 || timeout == TimeSpan.Zero)
            return ValueTask.FromResult(count);
        return WaitSlowAsync(interest, ready, timeout, cancellationToken);
    }

    public override void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (FakePortDriver port in _ports)
            port.RemoveListener(_signal);
        _signal.Raise();
        _timeout.Dispose();
    }

    // Pooled: the state machine of a wait that has to sleep is reused, so waiting allocates nothing.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> WaitSlowAsync(NetmapPollEvents[] interest, NetmapPollEvents[] ready, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        _expired = false;
        _timeout.Start(timeout);
        CancellationTokenRegistration registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((FakePollerSignal)state!).Raise(), _signal)
            : default;
        try
        {
            while (true)
            {
                await _signal.WaitAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                ThrowIfDisposed();
                if (_expired)
                {
                    Array.Clear(ready, 0, _ports.Count);
                    return 0;
                }
                _signal.Reset();
                int count = Evaluate(interest, ready);
                if (count > 0)
                    return count;
            }
        }
        finally
        {
            registration.Dispose();
            _timeout.Stop();
        }
    }

    private int Evaluate(ReadOnlySpan<NetmapPollEvents> interest, Span<NetmapPollEvents> ready)
    {
        ThrowIfDisposed();
        int count = 0;
        for (int i = 0; i < _ports.Count; i++)
        {
            NetmapPollEvents found = _ports[i].PollOnce(interest[i]);   // None: only what netmap_poll does with events 0
            ready[i] = found;
            if (found != NetmapPollEvents.None)
                count++;
        }
        return count;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, typeof(NetmapPoller));
}
