namespace Netmap.Dynamic;

/// <summary>
/// The seam between <see cref="NetmapPort"/> and a backend: the "system calls" a bound port makes
/// after registration. The fake backend implements it in managed code (its emulated kernel runs
/// inside these calls); the native backend implements it with <c>ioctl(NIOCTXSYNC/NIOCRXSYNC)</c>
/// and <c>poll</c> on the netmap file descriptor plus an eventfd for wake-ups.
/// </summary>
/// <remarks>
/// Contract for implementations:
/// <list type="bullet">
/// <item>Errors are thrown as <see cref="NetmapException"/> (errno, operation, port name).</item>
/// <item><see cref="TxSync"/>/<see cref="RxSync"/> sync every ring the port binds, like the ioctls.</item>
/// <item><see cref="Poll"/> and <see cref="WaitAsync(NetmapPollEvents, TimeSpan, CancellationToken)"/> block without spinning; <see cref="Close"/>
/// wakes them and they then throw <see cref="ObjectDisposedException"/> without touching ring memory.</item>
/// <item><see cref="Close"/> is called once, after the port's <see cref="PortLifetime"/> is marked
/// disposed; it may release the mapping only when no sync or poll of this port is still inside the driver.</item>
/// </list>
/// </remarks>
internal abstract class PortDriver
{
    /// <summary>NIOCTXSYNC: hand the slots in <c>[hwcur, head)</c> of every bound TX ring to the "kernel".</summary>
    public abstract void TxSync();

    /// <summary>NIOCRXSYNC: release <c>[hwcur, head)</c> and publish new packets on every bound RX ring.</summary>
    public abstract void RxSync();

    /// <summary><c>poll()</c> on the port: syncs like the kernel's <c>netmap_poll</c> and waits up to <paramref name="timeout"/>.</summary>
    public abstract NetmapPollEvents Poll(NetmapPollEvents events, TimeSpan timeout);

    /// <summary>Like <see cref="Poll"/> with no timeout, without blocking a thread where the backend can.</summary>
    public ValueTask<NetmapPollEvents> WaitAsync(NetmapPollEvents events, CancellationToken cancellationToken) =>
        WaitAsync(events, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>
    /// Like <see cref="Poll"/>, without blocking a thread where the backend can: None when
    /// <paramref name="timeout"/> passes first (<see cref="Timeout.InfiniteTimeSpan"/>: no limit).
    /// </summary>
    public abstract ValueTask<NetmapPollEvents> WaitAsync(NetmapPollEvents events, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Unregisters the port: wakes waiters, then releases what the registration held.</summary>
    public abstract void Close();

    /// <summary>A poller driver of this port's backend, empty (the <see cref="NetmapPoller"/>'s first port chooses it).</summary>
    public abstract PollerDriver CreatePoller();
}
