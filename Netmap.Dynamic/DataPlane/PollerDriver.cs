namespace Netmap.Dynamic;

/// <summary>
/// The backend's side of a <see cref="NetmapPoller"/>: one wait over several ports of one backend.
/// The native backend makes one <c>poll()</c> over the ports' fds (blocking) or arms each port's
/// registration in the library's epoll reactor and completes once for the set (async); the fake
/// evaluates each port as its <c>netmap_poll</c> does and sleeps on one signal that every port of
/// the set raises.
/// </summary>
/// <remarks>
/// Contract: <c>interest[i]</c> is what port <c>i</c> is asked for (<see cref="NetmapPollEvents.None"/>:
/// polled with events 0, which still flushes its TX rings); <c>ready[i]</c> receives what it reported (with
/// <see cref="NetmapPollEvents.Error"/>). Both return the number of ports with something ready, 0 on
/// timeout. A port of the set that is disposed, or the poller itself, ends a wait with
/// <see cref="ObjectDisposedException"/>. One wait at a time; <see cref="Dispose"/> may come from
/// another thread and wakes it.
/// </remarks>
internal abstract class PollerDriver : IDisposable
{
    /// <summary>True when <paramref name="port"/> belongs to the same backend (and, natively, the same library).</summary>
    public abstract bool CanAdd(PortDriver port);

    /// <summary>Adds a port at the next index (<see cref="CanAdd"/> was true).</summary>
    public abstract void Add(PortDriver port);

    /// <summary>One <c>poll()</c> over the set, up to <paramref name="timeout"/>.</summary>
    public abstract int Poll(ReadOnlySpan<NetmapPollEvents> interest, Span<NetmapPollEvents> ready, TimeSpan timeout);

    /// <summary>
    /// The same without blocking a thread; completes synchronously when a port is ready at once.
    /// <paramref name="ready"/> is written before the task completes (the array outlives the wait).
    /// </summary>
    public abstract ValueTask<int> WaitAsync(NetmapPollEvents[] interest, NetmapPollEvents[] ready, TimeSpan timeout,
        CancellationToken cancellationToken);

    /// <summary>Wakes a waiter (it throws <see cref="ObjectDisposedException"/>), then releases what the set holds.</summary>
    public abstract void Dispose();
}
