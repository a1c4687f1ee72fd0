using System.Threading.Tasks.Sources;

namespace Netmap.Dynamic.Fake;

/// <summary>
/// The one signal a fake <see cref="NetmapPoller"/> sleeps on: every port of the set raises it
/// when its rings change (<see cref="FakeWaitSignal"/>), as does the poller's timeout or Dispose.
/// Reset before the ports are looked at, so a raise that comes after the look is never lost. A
/// blocked <see cref="Wait"/> sleeps on a monitor, an async wait on a reused
/// <see cref="IValueTaskSource{TResult}"/>: neither allocates.
/// </summary>
internal sealed class FakePollerSignal : IValueTaskSource<bool>
{
    private readonly object _gate = new();   // Monitor.Wait/PulseAll
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private bool _raised;
    private bool _asyncPending;
    private int _blocked;

    /// <summary>True while a thread sleeps in <see cref="Wait"/> or an async wait is pending (for tests).</summary>
    internal bool IsWaiting
    {
        get
        {
            lock (_gate)
                return _blocked > 0 || _asyncPending;
        }
    }

    /// <summary>Forgets earlier raises: call before looking at the ports.</summary>
    public void Reset()
    {
        lock (_gate)
            _raised = false;
    }

    /// <summary>Something changed: wakes the waiter.</summary>
    public void Raise()
    {
        bool complete;
        lock (_gate)
        {
            _raised = true;
            complete = _asyncPending;
            _asyncPending = false;
            Monitor.PulseAll(_gate);
        }
        if (complete)
            _core.SetResult(true);
    }

    /// <summary>Blocks until raised (true) or until <paramref name="milliseconds"/> pass (false; -1: no limit).</summary>
    public bool Wait(long milliseconds)
    {
        long deadline = milliseconds < 0 ? long.MaxValue : Environment.TickCount64 + milliseconds;
        lock (_gate)
        {
            while (!_raised)
            {
                long remaining = deadline == long.MaxValue ? Timeout.Infinite : deadline - Environment.TickCount64;
                if (deadline != long.MaxValue && remaining <= 0)
                    return false;
                _blocked++;
                Monitor.Wait(_gate, (int)Math.Min(remaining, int.MaxValue));
                _blocked--;
            }
            return true;
        }
    }

    /// <summary>Completes when raised (the poller's cancellation and timeout raise it too).</summary>
    public ValueTask<bool> WaitAsync()
    {
        lock (_gate)
        {
            if (_raised)
                return new ValueTask<bool>(true);
            _asyncPending = true;
            return new ValueTask<bool>(this, _core.Version);
        }
    }

    public bool GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
