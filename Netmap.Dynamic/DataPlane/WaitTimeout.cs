namespace Netmap.Dynamic;

/// <summary>
/// The timeout of an asynchronous wait, reused from wait to wait: one <see cref="Timer"/> made on
/// first use and re-aimed with <see cref="Timer.Change(long, long)"/>, so a timed wait allocates
/// nothing in the steady state.
/// </summary>
/// <remarks>
/// A timer callback can run late (already queued when <see cref="Stop"/> ran) or early (timer
/// granularity). Each callback therefore compares the clock with the deadline of the wait running
/// now: before it, the timer is aimed again for the rest; a wait that has ended has no deadline.
/// So a late callback of an ended wait never expires the next one.
/// </remarks>
internal sealed class WaitTimeout(Action expired) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Action _expired = expired;
    private Timer? _timer;
    private long _deadline = long.MaxValue;   // Environment.TickCount64 of the running wait; MaxValue: none
    private bool _disposed;

    /// <summary>Starts the clock of a wait; <see cref="Timeout.InfiniteTimeSpan"/> starts nothing.</summary>
    public void Start(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
            return;
        long milliseconds = (long)Math.Ceiling(Math.Min(timeout.TotalMilliseconds, int.MaxValue));
        lock (_lock)
        {
            if (_disposed)
                return;
            _deadline = Environment.TickCount64 + milliseconds;
            _timer ??= new Timer(static state => ((WaitTimeout)state!).OnTimer(), this, Timeout.Infinite, Timeout.Infinite);
            _timer.Change(milliseconds, Timeout.Infinite);
        }
    }

    /// <summary>The wait ended: its deadline no longer applies.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            if (_deadline == long.MaxValue)
                return;
            _deadline = long.MaxValue;
            _timer?.Change(Timeout.Infinite, Timeout.Infinite);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _deadline = long.MaxValue;
            _timer?.Dispose();
        }
    }

    private void OnTimer()
    {
        lock (_lock)
        {
            if (_deadline == long.MaxValue || _disposed)
                return;
            long remaining = _deadline - Environment.TickCount64;
            if (remaining > 0)
            {
                _timer!.Change(remaining, Timeout.Infinite);
                return;
            }
            _deadline = long.MaxValue;
        }
        _expired();
    }
}
