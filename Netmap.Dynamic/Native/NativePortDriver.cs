using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Native;

/// <summary>
/// The native side of a bound port: <c>ioctl(NIOCTXSYNC/NIOCRXSYNC)</c> and <c>poll</c> on the
/// port's file descriptor, straight through the libc function table (no shim hop). An eventfd
/// that <see cref="Close"/> makes readable sits in every poll set, so closing the port wakes a
/// blocked <see cref="Poll"/>. <see cref="WaitAsync(NetmapPollEvents, TimeSpan, CancellationToken)"/> waits on the library's
/// <see cref="NativeReactor"/> (one epoll thread for all ports) where there is one; without it, a
/// thread-pool thread blocks in <c>poll</c>, and a cancellable wait adds its own eventfd, written by
/// the token's callback.
/// </summary>
/// <remarks>
/// The driver only needs a pollable fd: tests hand it an eventfd standing in for the netmap fd.
/// Every call counts itself in a <see cref="CallGate"/>; <see cref="Close"/> closes the gate,
/// wakes the waiters, waits until no call is inside, and only then runs the release action (close
/// the fd, unmap the region), so no call can ever use a closed fd or unmapped memory.
/// </remarks>
internal sealed class NativePortDriver : PortDriver
{
    // poll(2) event bits: the same values on Linux and FreeBSD.
    internal const short POLLIN = 0x1;
    internal const short POLLOUT = 0x4;
    internal const short POLLERR = 0x8;
    internal const short POLLHUP = 0x10;
    internal const short POLLNVAL = 0x20;

    private static readonly int EFD_CLOEXEC = OperatingSystem.IsFreeBSD() ? 0x100000 : 0x80000;

    private readonly LibcFunctions _libc;
    private readonly int _fd;
    private readonly int _wakeFd;
    private readonly nuint _txSync;
    private readonly nuint _rxSync;
    private readonly string _name;
    private readonly Action _release;
    private readonly CallGate _calls = new();
    private readonly ReactorRegistration? _registration;   // null: WaitAsync blocks a pool thread in poll

    /// <summary>
    /// Takes over <paramref name="fd"/>: <paramref name="release"/> runs once, after the last call has left.
    /// With a <paramref name="reactor"/>, <see cref="WaitAsync(NetmapPollEvents, TimeSpan, CancellationToken)"/> waits on it instead of on a blocked thread.
    /// </summary>
    public unsafe NativePortDriver(LibcFunctions libc, int fd, string name, ulong txSyncRequest, ulong rxSyncRequest, Action release,
        NativeReactor? reactor = null)
    {
        _libc = libc;
        _fd = fd;
        _name = name;
        _txSync = (nuint)txSyncRequest;
        _rxSync = (nuint)rxSyncRequest;
        _release = release;
        _wakeFd = libc.eventfd(0, EFD_CLOEXEC);
        if (_wakeFd < 0)
            throw NetmapException.FromErrno(Marshal.GetLastSystemError(), "eventfd", name, "no eventfd to wake waiters");
        _registration = reactor?.Register(fd, name);
        Reactor = reactor;
    }

    /// <summary>True when <see cref="WaitAsync(NetmapPollEvents, TimeSpan, CancellationToken)"/> waits on the reactor rather than on a blocked pool thread.</summary>
    public bool UsesReactor => _registration is not null;

    /// <summary>The port's reactor registration (null without a reactor), for tests.</summary>
    internal ReactorRegistration? Registration => _registration;

    /// <summary>The port's file descriptor.</summary>
    public int FileDescriptor => _fd;

    /// <summary>True once <see cref="Close"/> has started.</summary>
    public bool IsClosed => _calls.IsClosed;

    /// <summary>The eventfd <see cref="Close"/> makes readable: a poller polls it with the port's fd.</summary>
    internal int WakeFileDescriptor => _wakeFd;

    /// <summary>The libc table the port calls through.</summary>
    internal LibcFunctions Libc => _libc;

    /// <summary>The reactor the port waits on (null: none).</summary>
    internal NativeReactor? Reactor { get; }

    /// <summary>The port's name, for messages.</summary>
    internal string Name => _name;

    /// <summary>Counts a poller's call in, as the port's own calls are (false once closing: the port is disposed).</summary>
    internal bool TryEnterCall() => _calls.TryEnter();

    /// <summary>Counts a poller's call out.</summary>
    internal void ExitCall() => _calls.Exit();

    /// <inheritdoc/>
    public override PollerDriver CreatePoller() => new NativePollerDriver(_libc, Reactor);

    /// <inheritdoc/>
    public override void TxSync() => Sync(_txSync, "txsync");

    /// <inheritdoc/>
    public override void RxSync() => Sync(_rxSync, "rxsync");

    /// <inheritdoc/>
    public override NetmapPollEvents Poll(NetmapPollEvents events, TimeSpan timeout)
    {
        Enter();
        try
        {
            return PollCore(events, timeout, cancelFd: -1, out _);
        }
        finally
        {
            Exit();
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Tries a non-blocking poll first (no allocation when something is ready). Otherwise, with a
    /// reactor, arms the port's epoll registration and returns a task the reactor thread completes
    /// (the pending wait does not count as a call inside the driver: Close fails it and removes the
    /// fd from the epoll set before it closes the fd). Without one, a thread-pool thread blocks in
    /// <c>poll</c> until the port is ready, the port is closed or the token is cancelled (its
    /// callback writes the wait's own eventfd).
    /// </remarks>
    public override unsafe ValueTask<NetmapPollEvents> WaitAsync(NetmapPollEvents events, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Enter();
        bool handedOver = false;
        try
        {
            NetmapPollEvents ready = PollCore(events, TimeSpan.Zero, cancelFd: -1, out _);
            if (ready != NetmapPollEvents.None || timeout == TimeSpan.Zero)
                return ValueTask.FromResult(ready);
            if (_registration is not null)
                return _registration.WaitAsync(events, timeout, cancellationToken);
            int cancelFd = -1;
            if (cancellationToken.CanBeCanceled)
            {
                cancelFd = _libc.eventfd(0, EFD_CLOEXEC);
                if (cancelFd < 0)
                    throw NetmapException.FromErrno(Marshal.GetLastSystemError(), "eventfd", _name, "no eventfd for the cancellable wait");
            }
            Task<NetmapPollEvents> wait = WaitOnPoolAsync(events, timeout, cancelFd, cancellationToken);
            handedOver = true;   // WaitBlocking leaves the driver and closes cancelFd
            return new ValueTask<NetmapPollEvents>(wait);
        }
        finally
        {
            if (!handedOver)
                Exit();
        }
    }

    /// <inheritdoc/>
    public override unsafe void Close()
    {
        if (!_calls.Close())
            return;
        _registration?.Close();   // out of the epoll set and its waiters failed, before the fd can close
        ulong one = 1;
        _libc.write(_wakeFd, &one, sizeof(ulong));   // level-triggered: never read back, wakes every waiter
        _calls.WaitIdle();
        _libc.close(_wakeFd);
        _release();
    }

    private unsafe void Sync(nuint request, string operation)
    {
        Enter();
        try
        {
            // Without the GC transition: why that is safe for the sync ioctls, see LibcFunctions.SyncIoctl.
            if (_libc.SyncIoctl(_fd, request, null) < 0)
                throw NetmapException.FromErrno(Marshal.GetLastSystemError(), operation, _name);
        }
        finally
        {
            Exit();
        }
    }

    // Started with CancellationToken.None so that WaitBlocking always runs (it owns cleanup); the
    // await turns its OperationCanceledException into a cancelled task.
    private async Task<NetmapPollEvents> WaitOnPoolAsync(NetmapPollEvents events, TimeSpan timeout, int cancelFd, CancellationToken cancellationToken) =>
        await Task.Factory.StartNew(() => WaitBlocking(events, timeout, cancelFd, cancellationToken),
            CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default).ConfigureAwait(false);

    private unsafe NetmapPollEvents WaitBlocking(NetmapPollEvents events, TimeSpan timeout, int cancelFd, CancellationToken cancellationToken)
    {
        CancellationTokenRegistration registration = default;
        try
        {
            if (cancelFd >= 0)
                registration = cancellationToken.UnsafeRegister(static state => ((CancelSignal)state!).Raise(), new CancelSignal(_libc, cancelFd));
            NetmapPollEvents ready = PollCore(events, timeout, cancelFd, out bool cancelled);
            if (cancelled)
                throw new OperationCanceledException(cancellationToken);
            return ready;
        }
        finally
        {
            registration.Dispose();   // waits for a running callback, so cancelFd is unused below
            if (cancelFd >= 0)
                _libc.close(cancelFd);
            Exit();
        }
    }

    /// <summary>
    /// One <c>poll</c> on the port fd, the close eventfd and, when given, a cancel eventfd.
    /// Throws <see cref="ObjectDisposedException"/> when woken by <see cref="Close"/>. A poll that
    /// does not block (timeout zero) asks about the port fd alone, as C's <c>poll</c> loop does:
    /// it returns at once, so there is nothing for Close to wake.
    /// </summary>
    private unsafe NetmapPollEvents PollCore(NetmapPollEvents events, TimeSpan timeout, int cancelFd, out bool cancelled)
    {
        cancelled = false;
        PollFd* fds = stackalloc PollFd[3];
        fds[0] = new PollFd { Fd = _fd, Events = ToPoll(events) };
        fds[1] = new PollFd { Fd = _wakeFd, Events = POLLIN };
        fds[2] = new PollFd { Fd = cancelFd, Events = POLLIN };
        nuint count = cancelFd >= 0 ? 3u : timeout == TimeSpan.Zero ? 1u : 2u;
        long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue
            : Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds);
        while (true)
        {
            int milliseconds = deadline == long.MaxValue ? -1 : (int)Math.Clamp(deadline - Environment.TickCount64, 0, int.MaxValue);
            int rc = _libc.poll(fds, count, milliseconds);
            if (rc < 0)
            {
                int errno = Marshal.GetLastSystemError();
                if (errno == Errno.EINTR)
                    continue;
                throw NetmapException.FromErrno(errno, "poll", _name);
            }
            if (count > 1 && fds[1].Revents != 0)
                throw new ObjectDisposedException(nameof(NetmapPort), $"netmap port '{_name}' was disposed while waiting.");
            if (count == 3 && fds[2].Revents != 0)
            {
                cancelled = true;
                return NetmapPollEvents.None;
            }
            short revents = fds[0].Revents;
            if ((revents & POLLNVAL) != 0)
                throw NetmapException.FromErrno(Errno.EBADF, "poll", _name, "the port's file descriptor is not open");
            return FromPoll(revents) & (events | NetmapPollEvents.Error);
        }
    }

    internal static short ToPoll(NetmapPollEvents events) =>
        (short)(((events & NetmapPollEvents.Receive) != 0 ? POLLIN : 0) | ((events & NetmapPollEvents.Transmit) != 0 ? POLLOUT : 0));

    internal static NetmapPollEvents FromPoll(short revents) =>
        ((revents & POLLIN) != 0 ? NetmapPollEvents.Receive : NetmapPollEvents.None)
        | ((revents & POLLOUT) != 0 ? NetmapPollEvents.Transmit : NetmapPollEvents.None)
        | ((revents & (POLLERR | POLLHUP)) != 0 ? NetmapPollEvents.Error : NetmapPollEvents.None);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Enter()
    {
        if (!_calls.TryEnter())
            ThrowDisposed();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Exit() => _calls.Exit();

    [DoesNotReturn]
    private void ThrowDisposed() => throw new ObjectDisposedException(nameof(NetmapPort), $"netmap port '{_name}' is disposed.");

    /// <summary><c>struct pollfd</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    /// <summary>What a cancellation callback needs to wake its wait.</summary>
    private sealed unsafe class CancelSignal(LibcFunctions libc, int fd)
    {
        public void Raise()
        {
            ulong one = 1;
            libc.write(fd, &one, sizeof(ulong));
        }
    }
}
