using System.Threading.Tasks.Sources;

namespace Netmap.Dynamic.Native;

/// <summary>
/// The asynchronous wait of a <see cref="NetmapPoller"/> on the native backend: one
/// <see cref="ReactorSetMember"/> in the reactor registration of each port, one
/// <see cref="ValueTask{TResult}"/> for the set. The first port the reactor finds ready, a
/// cancellation, the timeout or a closing port ends the wait; before it completes, every other
/// port is withdrawn (out of the epoll set once nothing else waits on it), so no reactor thread
/// syncs the rings the application is about to use. Reused from wait to wait: nothing is
/// allocated per wait once the set is built.
/// </summary>
/// <remarks>
/// Two steps end a wait: the arming thread has armed every port, and something fired. Whichever
/// comes second finishes it, so the task never completes while a port is still being armed. A
/// member's outcome is delivered after its registration's lock is released and may arrive late,
/// after its wait has ended; each carries the number of the wait it belonged to and a late one is
/// ignored.
/// </remarks>
internal sealed class ReactorSetWait : IValueTaskSource<int>
{
    private readonly List<ReactorSetMember> _members = [];
    private readonly Lock _lock = new();   // orders Fire against the start of the next wait
    private readonly WaitTimeout _timeout;
    private ManualResetValueTaskSourceCore<int> _core;
    private NetmapPollEvents[] _ready = [];
    private CancellationTokenRegistration _cancellation;
    private int _wait;          // number of the running wait
    private bool _fired;        // something ended the running wait (under _lock)
    private int _steps;         // arming done + fired: the one that takes it to 0 finishes
    private int _firedIndex;
    private NetmapPollEvents _firedEvents;
    private Exception? _error;
    private bool _inUse;
    private bool _disposed;

    public ReactorSetWait(bool inlineCompletions)
    {
        _core = new() { RunContinuationsAsynchronously = !inlineCompletions };
        _timeout = new WaitTimeout(() => Fire(Volatile.Read(ref _wait), -1, NetmapPollEvents.None, null));
    }

    /// <summary>Adds the next port's registration.</summary>
    public void Add(ReactorRegistration registration) => _members.Add(new ReactorSetMember(this, _members.Count, registration));

    /// <summary>
    /// Arms every port with something in <paramref name="interest"/> and returns the set's task:
    /// 1 with the ready port's events in <paramref name="ready"/>, 0 on timeout; cancellation and
    /// closing fail it. The caller has already polled without blocking and found nothing.
    /// </summary>
    public ValueTask<int> Start(NetmapPollEvents[] interest, NetmapPollEvents[] ready, TimeSpan timeout, CancellationToken cancellationToken)
    {
        int wait;
        lock (_lock)
        {
            if (_inUse)
                throw new InvalidOperationException("The poller is already waiting: one wait at a time.");
            ObjectDisposedException.ThrowIf(_disposed, typeof(NetmapPoller));
            _inUse = true;
            wait = ++_wait;
            _fired = false;
            _steps = 2;
            _firedIndex = -1;
            _firedEvents = NetmapPollEvents.None;
            _error = null;
            _ready = ready;
        }
        short version = _core.Version;
        _timeout.Start(timeout);
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(
                static (state, token) => ((ReactorSetWait)state!).Cancel(token), this);
        }
        for (int i = 0; i < _members.Count && !HasFired(); i++)
        {
            if (interest[i] == NetmapPollEvents.None)
                continue;
            ReactorSetMember member = _members[i];
            member.Begin(interest[i], wait);
            try
            {
                member.Registration.Enlist(member);
            }
            catch (Exception e) when (e is ObjectDisposedException or NetmapException)
            {
                Fire(wait, -1, NetmapPollEvents.None, e);
            }
        }
        StepDone();
        return new ValueTask<int>(this, version);
    }

    /// <summary>The poller is disposed: a running wait fails with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        int wait;
        lock (_lock)
        {
            _disposed = true;
            wait = _wait;
        }
        Fire(wait, -1, NetmapPollEvents.None, new ObjectDisposedException(nameof(NetmapPoller), "The poller was disposed while waiting."));
        _timeout.Dispose();
    }

    /// <summary>A member's outcome, delivered by the reactor thread or a closing port.</summary>
    internal void Fire(int wait, int index, NetmapPollEvents events, Exception? error)
    {
        lock (_lock)
        {
            if (wait != _wait || _fired || !_inUse)
                return;   // a late outcome of an ended wait, or the second of two
            _fired = true;
            _firedIndex = index;
            _firedEvents = events;
            _error = error;
        }
        StepDone();
    }

    private void Cancel(CancellationToken token) =>
        Fire(Volatile.Read(ref _wait), -1, NetmapPollEvents.None, new OperationCanceledException(token));

    private bool HasFired()
    {
        lock (_lock)
            return _fired;
    }

    private void StepDone()
    {
        if (Interlocked.Decrement(ref _steps) == 0)
            Finish();
    }

    /// <summary>Withdraws every port, then completes the task (runs once per wait).</summary>
    private void Finish()
    {
        foreach (ReactorSetMember member in _members)
            member.Registration.Withdraw(member);
        _timeout.Stop();
        int count = _members.Count;
        Array.Clear(_ready, 0, count);
        if (_error is { } error)
        {
            _core.SetException(error);
            return;
        }
        if (_firedIndex >= 0)
            _ready[_firedIndex] = _firedEvents;
        _core.SetResult(_firedIndex >= 0 ? 1 : 0);
    }

    public int GetResult(short token)
    {
        if (token != _core.Version)
            throw new InvalidOperationException("This WaitAsync result was already read: a ValueTask is awaited once.");
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _cancellation.Dispose();   // waits for a callback that is running now; later ones never run
            _cancellation = default;
            _core.Reset();
            lock (_lock)
                _inUse = false;
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}

/// <summary>A <see cref="ReactorSetWait"/>'s place among one port's waits.</summary>
internal sealed class ReactorSetMember(ReactorSetWait set, int index, ReactorRegistration registration) : ReactorWait
{
    private int _wait;
    private int _decidedWait;
    private NetmapPollEvents _ready;
    private Exception? _error;

    public ReactorRegistration Registration { get; } = registration;

    /// <summary>Starts wait number <paramref name="wait"/> of the set (before the registration takes it).</summary>
    public void Begin(NetmapPollEvents interest, int wait)
    {
        Interest = interest;
        _wait = wait;
        IsPending = true;
    }

    /// <inheritdoc/>
    public override void Complete(NetmapPollEvents ready)
    {
        IsPending = false;
        _decidedWait = _wait;
        _ready = ready;
        _error = null;
    }

    /// <inheritdoc/>
    public override void Fail(Exception error)
    {
        IsPending = false;
        _decidedWait = _wait;
        _ready = NetmapPollEvents.None;
        _error = error;
    }

    /// <inheritdoc/>
    public override void Deliver() => set.Fire(_decidedWait, index, _ready, _error);
}
