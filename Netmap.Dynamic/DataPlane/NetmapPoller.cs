namespace Netmap.Dynamic;

/// <summary>
/// Waits on several ports at once, each for receive and/or transmit, and tells which are ready:
/// netmap's own programs' one <c>poll()</c> over several descriptors (which also does the syncs),
/// as a typed, allocation-free <c>Socket.Select</c>. Add the ports once, then wait again and again.
/// </summary>
/// <remarks>
/// <para>
/// A wait syncs each port as <see cref="NetmapPort.Poll"/> does (the kernel's <c>netmap_poll</c>):
/// the TX rings with something to send (every TX ring when <see cref="NetmapPollEvents.Transmit"/> is
/// asked), the RX rings when <see cref="NetmapPollEvents.Receive"/> is asked. A port asked for
/// <see cref="NetmapPollEvents.None"/> is polled as C's <c>poll</c> with events 0: its pending frames
/// still go out (unless <c>NR_NO_TX_POLL</c>), and it is reported only for an error.
/// </para>
/// <para>
/// The native backend makes one <c>poll()</c> over the ports' fds for <see cref="Poll"/>, and for
/// <see cref="WaitAsync(CancellationToken)"/> arms each port's registration in the library's epoll
/// reactor and completes once for the set, taking the other ports out of the epoll set again before
/// it completes (so no thread syncs their rings while the application works on them).
/// </para>
/// <para>
/// Rules: one wait at a time, on one thread (or one pending task); while it runs, the ports' rings
/// belong to the wait, as during <see cref="NetmapPort.Poll"/>. <see cref="Add"/> and
/// <see cref="SetEvents"/> between waits. <see cref="Dispose"/> may come from any thread and wakes a
/// wait with <see cref="ObjectDisposedException"/>; so does disposing a port of the set. The poller
/// never disposes its ports. All ports must come from one backend (one <see cref="NetmapLibrary"/>,
/// or one <see cref="Fake.FakeNetmapBackend"/>).
/// </para>
/// </remarks>
public sealed class NetmapPoller : IDisposable
{
    private NetmapPort[] _ports = new NetmapPort[4];
    private NetmapPollEvents[] _interest = new NetmapPollEvents[4];
    private NetmapPollEvents[] _ready = new NetmapPollEvents[4];
    private PollerDriver? _driver;
    private int _count;
    private volatile bool _disposed;

    /// <summary>The backend's side of the set (null before the first port), for tests.</summary>
    internal PollerDriver? Driver => _driver;

    /// <summary>Ports in the set.</summary>
    public int Count => _count;

    /// <summary>
    /// Adds <paramref name="port"/>, to be waited for with <paramref name="events"/>
    /// (<see cref="NetmapPollEvents.Receive"/>, <see cref="NetmapPollEvents.Transmit"/>, both, or
    /// <see cref="NetmapPollEvents.None"/>: nothing to wait for now, only its pending frames to push). Returns its index in the set.
    /// </summary>
    /// <exception cref="ArgumentException">The port is already in the set, or comes from another backend.</exception>
    public int Add(NetmapPort port, NetmapPollEvents events)
    {
        ArgumentNullException.ThrowIfNull(port);
        ObjectDisposedException.ThrowIf(_disposed, this);
        ObjectDisposedException.ThrowIf(port.IsDisposed, port);
        CheckEvents(events);
        if (Array.IndexOf(_ports, port, 0, _count) >= 0)
            throw new ArgumentException($"Port '{port.Name}' is already in this poller.", nameof(port));
        PollerDriver driver = _driver ?? port.Driver.CreatePoller();
        if (!driver.CanAdd(port.Driver))
            throw new ArgumentException($"Port '{port.Name}' comes from another backend than the poller's other ports.", nameof(port));
        _driver = driver;
        if (_count == _ports.Length)
        {
            Array.Resize(ref _ports, _count * 2);
            Array.Resize(ref _interest, _count * 2);
            Array.Resize(ref _ready, _count * 2);
        }
        driver.Add(port.Driver);
        _ports[_count] = port;
        _interest[_count] = events;
        _ready[_count] = NetmapPollEvents.None;
        return _count++;
    }

    /// <summary>The port at <paramref name="index"/>.</summary>
    public NetmapPort GetPort(int index) => _ports[CheckIndex(index)];

    /// <summary>What the port at <paramref name="index"/> is waited for.</summary>
    public NetmapPollEvents GetEvents(int index) => _interest[CheckIndex(index)];

    /// <summary>Changes what the port at <paramref name="index"/> is waited for (<see cref="NetmapPollEvents.None"/>: nothing, as C's events 0).</summary>
    public void SetEvents(int index, NetmapPollEvents events)
    {
        CheckEvents(events);
        _interest[CheckIndex(index)] = events;
    }

    /// <summary>
    /// What the last wait found ready on the port at <paramref name="index"/> (among what it was
    /// waited for, plus <see cref="NetmapPollEvents.Error"/>); <see cref="NetmapPollEvents.None"/> when
    /// it was not ready or the wait timed out.
    /// </summary>
    public NetmapPollEvents GetReady(int index) => _ready[CheckIndex(index)];

    /// <summary>True when the last wait found <paramref name="events"/> (any of them) ready on the port at <paramref name="index"/>.</summary>
    public bool IsReady(int index, NetmapPollEvents events) => (_ready[CheckIndex(index)] & events) != 0;

    /// <summary>
    /// One <c>poll()</c> over every port: syncs them as the kernel's poll does and waits until one is
    /// ready or <paramref name="timeout"/> passes (<see cref="Timeout.InfiniteTimeSpan"/>: no limit,
    /// <see cref="TimeSpan.Zero"/>: no wait). Returns how many ports are ready (their
    /// <see cref="GetReady"/> says what), 0 on timeout.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The poller, or a port of the set, is (or was, while waiting) disposed.</exception>
    public int Poll(TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckTimeout(timeout);
        if (_driver is null)
            return WaitWithoutPorts(timeout);
        return _driver.Poll(_interest.AsSpan(0, _count), _ready.AsSpan(0, _count), timeout);
    }

    /// <summary>
    /// Like <see cref="Poll"/> without a timeout, as a task that blocks no thread; completes
    /// synchronously (no allocation) when a port is ready at once.
    /// </summary>
    /// <remarks>
    /// Natively the wait may report fewer ports than are ready: it completes with the first port
    /// the reactor finds ready; the next wait finds the others at once. Await the returned task once.
    /// </remarks>
    public ValueTask<int> WaitAsync(CancellationToken cancellationToken = default) =>
        WaitAsync(Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Like <see cref="WaitAsync(CancellationToken)"/>, ending with 0 when <paramref name="timeout"/> passes first.</summary>
    public ValueTask<int> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckTimeout(timeout);
        cancellationToken.ThrowIfCancellationRequested();
        if (_driver is null)
            throw new InvalidOperationException("Add a port before waiting on the poller.");
        return _driver.WaitAsync(_interest, _ready, timeout, cancellationToken);
    }

    /// <summary>Wakes a waiting <see cref="Poll"/> or <see cref="WaitAsync(CancellationToken)"/> (<see cref="ObjectDisposedException"/>). The ports stay open.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _driver?.Dispose();
    }

    private int WaitWithoutPorts(TimeSpan timeout) =>
        timeout == TimeSpan.Zero ? 0 : throw new InvalidOperationException("Add a port before waiting on the poller.");

    private int CheckIndex(int index)
    {
        if ((uint)index >= (uint)_count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The poller has {_count} ports.");
        return index;
    }

    private static void CheckEvents(NetmapPollEvents events)
    {
        if ((events & ~(NetmapPollEvents.Receive | NetmapPollEvents.Transmit)) != 0)
            throw new ArgumentOutOfRangeException(nameof(events), events, "Wait for Receive, Transmit, both or None.");
    }

    private static void CheckTimeout(TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "Use a non-negative timeout or Timeout.InfiniteTimeSpan.");
    }
}
