namespace Netmap.Dynamic.Fake;

/// <summary>
/// Wake-ups for one port's waiters, used under the adapter lock: a waiter takes
/// <see cref="GetWaitTask"/> in the same critical section in which it found nothing ready, so a
/// <see cref="Set"/> from the peer can never fall between the check and the wait. No spinning: sync
/// waiters block on the task, async waiters await it. Pollers that hold the port listen too: every
/// <see cref="Set"/> raises their signal.
/// </summary>
internal sealed class FakeWaitSignal
{
    private TaskCompletionSource? _waiters;
    private FakePollerSignal[] _listeners = [];

    /// <summary>A task completed by the next <see cref="Set"/> (one shared task for all current waiters).</summary>
    public Task GetWaitTask() =>
        (_waiters ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>True when a waiter took <see cref="GetWaitTask"/> and has not been woken yet.</summary>
    public bool HasWaiters => _waiters is not null;

    /// <summary>Adds a poller that holds this port (under the adapter lock).</summary>
    public void AddListener(FakePollerSignal listener) => _listeners = [.. _listeners, listener];

    /// <summary>Removes a poller (under the adapter lock).</summary>
    public void RemoveListener(FakePollerSignal listener) => _listeners = [.. _listeners.Where(l => l != listener)];

    /// <summary>Wakes the current waiters and pollers; costs nothing when there are none.</summary>
    public void Set()
    {
        foreach (FakePollerSignal listener in _listeners)
            listener.Raise();
        TaskCompletionSource? waiters = _waiters;
        if (waiters is null) return;
        _waiters = null;
        waiters.TrySetResult();
    }
}
