using System.Runtime.InteropServices;
using static Netmap.Dynamic.Native.NativePortDriver;

namespace Netmap.Dynamic.Native;

/// <summary>
/// A <see cref="NetmapPoller"/> on the native backend. <see cref="Poll"/> is one libc <c>poll()</c>
/// over the ports' fds, as netmap's C programs make it, plus each port's close eventfd and the
/// poller's own, so that disposing a port or the poller wakes it. <see cref="WaitAsync"/> first
/// polls without blocking, then waits on the library's epoll reactor (one registration per port,
/// one completion for the set: <see cref="ReactorSetWait"/>); without a reactor (no epoll) a
/// thread-pool thread blocks in the same <c>poll()</c>.
/// </summary>
/// <remarks>
/// Every port's <see cref="CallGate"/> counts the poll as a call inside it, so a port disposed
/// meanwhile closes its fd only after the poll has left. The <c>pollfd</c> array is made once per
/// set and pinned per call: a wait allocates nothing.
/// </remarks>
internal sealed class NativePollerDriver(LibcFunctions libc, NativeReactor? reactor) : PollerDriver
{
    private static readonly int EFD_CLOEXEC = OperatingSystem.IsFreeBSD() ? 0x100000 : 0x80000;

    private readonly LibcFunctions _libc = libc;
    private readonly NativeReactor? _reactor = reactor;
    private readonly List<NativePortDriver> _ports = [];
    private readonly CallGate _calls = new();
    private PollFd[] _fds = new PollFd[8];
    private ReactorSetWait? _set;
    private int _wakeFd = -1;
    private bool _allRegistered = true;

    /// <inheritdoc/>
    public override bool CanAdd(PortDriver port) =>
        port is NativePortDriver native && native.Reactor == _reactor;

    /// <inheritdoc/>
    public override unsafe void Add(PortDriver port)
    {
        var native = (NativePortDriver)port;
        if (_wakeFd < 0)
        {
            _wakeFd = _libc.eventfd(0, EFD_CLOEXEC);
            if (_wakeFd < 0)
                throw NetmapException.FromErrno(Marshal.GetLastSystemError(), "eventfd", native.Name, "no eventfd to wake the poller");
        }
        _ports.Add(native);
        if (_fds.Length < (2 * _ports.Count) + 2)
            Array.Resize(ref _fds, _fds.Length * 2);
        if (native.Registration is { } registration)
            (_set ??= new ReactorSetWait(_reactor!.InlineCompletions)).Add(registration);
        else
            _allRegistered = false;
    }

    /// <inheritdoc/>
    public override int Poll(ReadOnlySpan<NetmapPollEvents> interest, Span<NetmapPollEvents> ready, TimeSpan timeout) =>
        PollCore(interest, ready, timeout, cancelFd: -1, out _);

    /// <inheritdoc/>
    public override ValueTask<int> WaitAsync(NetmapPollEvents[] interest, NetmapPollEvents[] ready, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        int count = PollCore(interest.AsSpan(0, _ports.Count), ready.AsSpan(0, _ports.Count), TimeSpan.Zero, -1, out _);
        if (count > 0 || timeout == TimeSpan.Zero)
            return ValueTask.FromResult(count);
        if (_allRegistered && _set is not null)
            return _set.Start(interest, ready, timeout, cancellationToken);
        return new ValueTask<int>(WaitOnPoolAsync(interest, ready, timeout, cancellationToken));
    }

    /// <inheritdoc/>
    public override unsafe void Dispose()
    {
        if (!_calls.Close())
            return;
        _set?.Dispose();
        if (_wakeFd >= 0)
        {
            ulong one = 1;
            _libc.write(_wakeFd, &one, sizeof(ulong));   // level-triggered, never read back: wakes a blocked poll
        }
        _calls.WaitIdle();
        if (_wakeFd >= 0)
            _libc.close(_wakeFd);
    }

    /// <summary>
    /// One <c>poll</c>: the ports' fds first (a port asked for nothing with events 0: netmap still
    /// flushes its pending frames, as for C's poll), then, when it may block, their close eventfds,
    /// the poller's and a cancel eventfd.
    /// </summary>
    private unsafe int PollCore(ReadOnlySpan<NetmapPollEvents> interest, Span<NetmapPollEvents> ready, TimeSpan timeout, int cancelFd,
        out bool cancelled)
    {
        cancelled = false;
        if (!_calls.TryEnter())
            throw new ObjectDisposedException(nameof(NetmapPoller));
        int n = _ports.Count, entered = 0;
        try
        {
            for (; entered < n; entered++)
            {
                if (!_ports[entered].TryEnterCall())
                    throw PortDisposed(_ports[entered]);
            }
            bool blocks = timeout != TimeSpan.Zero;
            for (int i = 0; i < n; i++)
            {
                _fds[i] = new PollFd { Fd = _ports[i].FileDescriptor, Events = ToPoll(interest[i]) };
                _fds[n + i] = new PollFd { Fd = _ports[i].WakeFileDescriptor, Events = POLLIN };
            }
            _fds[2 * n] = new PollFd { Fd = _wakeFd, Events = POLLIN };
            _fds[(2 * n) + 1] = new PollFd { Fd = cancelFd, Events = POLLIN };
            nuint total = (nuint)(!blocks ? n : cancelFd >= 0 ? (2 * n) + 2 : (2 * n) + 1);
            long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue
                : Environment.TickCount64 + (long)Math.Ceiling(Math.Min(timeout.TotalMilliseconds, long.MaxValue / 4));
            fixed (PollFd* fds = _fds)
            {
                while (true)
                {
                    int milliseconds = deadline == long.MaxValue ? -1 : (int)Math.Clamp(deadline - Environment.TickCount64, 0, int.MaxValue);
                    int rc = _libc.poll(fds, total, milliseconds);
                    if (rc >= 0)
                        break;
                    int errno = Marshal.GetLastSystemError();
                    if (errno != Errno.EINTR)
                        throw NetmapException.FromErrno(errno, "poll", _ports.Count > 0 ? _ports[0].Name : "poller");
                }
            }
            if (blocks)
            {
                for (int i = 0; i < n; i++)
                {
                    if (_fds[n + i].Revents != 0)
                        throw PortDisposed(_ports[i]);
                }
                if (_fds[2 * n].Revents != 0)
                    throw new ObjectDisposedException(nameof(NetmapPoller), "The poller was disposed while waiting.");
                if (cancelFd >= 0 && _fds[(2 * n) + 1].Revents != 0)
                {
                    cancelled = true;
                    ready[..n].Clear();
                    return 0;
                }
            }
            int count = 0;
            for (int i = 0; i < n; i++)
            {
                short revents = _fds[i].Revents;
                if ((revents & POLLNVAL) != 0)
                    throw NetmapException.FromErrno(Errno.EBADF, "poll", _ports[i].Name, "the port's file descriptor is not open");
                NetmapPollEvents found = FromPoll(revents) & (interest[i] | NetmapPollEvents.Error);
                ready[i] = found;
                if (found != NetmapPollEvents.None)
                    count++;
            }
            return count;
        }
        finally
        {
            for (int i = 0; i < entered; i++)
                _ports[i].ExitCall();
            _calls.Exit();
        }
    }

    // Without epoll (FreeBSD): a pool thread blocks in poll, with a cancel eventfd the token's callback writes.
    private async Task<int> WaitOnPoolAsync(NetmapPollEvents[] interest, NetmapPollEvents[] ready, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        int cancelFd = CreateEventFd(_libc);
        if (cancelFd < 0)
            throw NetmapException.FromErrno(Marshal.GetLastSystemError(), "eventfd", "poller", "no eventfd for the cancellable wait");
        CancellationTokenRegistration registration = cancellationToken.UnsafeRegister(static state =>
        {
            var (libc, fd) = ((LibcFunctions, int))state!;
            Signal(libc, fd);
        }, (_libc, cancelFd));
        try
        {
            int count = await Task.Run(() =>
            {
                int found = PollCore(interest.AsSpan(0, _ports.Count), ready.AsSpan(0, _ports.Count), timeout, cancelFd, out bool cancelled);
                return cancelled ? -1 : found;
            }, CancellationToken.None).ConfigureAwait(false);
            if (count < 0)
                throw new OperationCanceledException(cancellationToken);
            return count;
        }
        finally
        {
            await registration.DisposeAsync().ConfigureAwait(false);
            CloseFd(_libc, cancelFd);
        }
    }

    private static unsafe int CreateEventFd(LibcFunctions libc) => libc.eventfd(0, EFD_CLOEXEC);

    private static unsafe void CloseFd(LibcFunctions libc, int fd) => libc.close(fd);

    private static unsafe void Signal(LibcFunctions libc, int fd)
    {
        ulong one = 1;
        libc.write(fd, &one, sizeof(ulong));
    }

    private static ObjectDisposedException PortDisposed(NativePortDriver port) =>
        new(nameof(NetmapPort), $"netmap port '{port.Name}' is disposed.");
}
