using System.Threading.Tasks.Sources;

namespace Netmap.Dynamic.Native;

/// <summary>
/// One pending <see cref="NetmapPort.WaitAsync(NetmapPollEvents, CancellationToken)"/> on the reactor: the <see cref="IValueTaskSource{TResult}"/>
/// behind its <see cref="ValueTask{TResult}"/>. Its outcome is decided by the reactor thread, a
/// cancellation callback or the port's Close, under the registration's lock and exactly once per
/// wait, and delivered after that lock is released. Continuations run on the thread pool, or, with
/// <see cref="NetmapLoadOptions.InlineWaitCompletions"/>, on the thread that delivers (the reactor
/// thread for a wake-up). After its result has been
/// read it goes back to its registration and serves the next wait, so waiting allocates nothing
/// in the steady state. Like every <see cref="ValueTask{TResult}"/>, the task must be awaited (or
/// turned into a Task with AsTask) once, not blocked on.
/// </summary>
internal sealed class ReactorWaiter(ReactorRegistration owner, bool inlineCompletions) : ReactorWait, IValueTaskSource<NetmapPollEvents>
{
    private ManualResetValueTaskSourceCore<NetmapPollEvents> _core = new() { RunContinuationsAsynchronously = !inlineCompletions };
    private NetmapPollEvents _result;
    private Exception? _error;

    public ReactorRegistration Owner { get; } = owner;

    /// <summary>The wait's cancellation callback, disposed when the result is read.</summary>
    public CancellationTokenRegistration Cancellation { get; set; }

    private WaitTimeout? _timeout;   // made on the first timed wait, reused by the next ones

    /// <summary>Starts the clock of a timed wait: when it runs out, the wait completes with None.</summary>
    public void StartTimeout(TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
            return;
        _timeout ??= new WaitTimeout(() => Owner.Expire(this));
        _timeout.Start(timeout);
    }

    /// <summary>Starts a wait; returns the token its ValueTask carries.</summary>
    public short Begin(NetmapPollEvents interest)
    {
        Interest = interest;
        IsPending = true;
        return _core.Version;
    }

    /// <inheritdoc/>
    public override void Complete(NetmapPollEvents ready)
    {
        IsPending = false;
        _result = ready;
        _error = null;
    }

    /// <inheritdoc/>
    public override void Fail(Exception error)
    {
        IsPending = false;
        _error = error;
    }

    /// <summary>
    /// Completes the task with the outcome decided before, outside every lock of the reactor: with
    /// inline completions the awaiting code runs right here, and it may wait again on this port.
    /// </summary>
    public override void Deliver()
    {
        Exception? error = _error;
        _error = null;
        if (error is null)
            _core.SetResult(_result);
        else
            _core.SetException(error);
    }

    /// <summary>The wait never started (arming failed): ready for the next one.</summary>
    public void Abandon()
    {
        IsPending = false;
        _core.Reset();
        Owner.Return(this);
    }

    public NetmapPollEvents GetResult(short token)
    {
        if (token != _core.Version)
            throw new InvalidOperationException("This WaitAsync result was already read: a ValueTask is awaited once.");
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            Cancellation.Dispose();   // waits for a callback that is running now; later ones never run
            Cancellation = default;
            _timeout?.Stop();
            _core.Reset();
            Owner.Return(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
