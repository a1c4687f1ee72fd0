using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Native;

/// <summary>
/// One thread that waits with <c>epoll</c> for every port of a <see cref="NetmapLibrary"/> whose
/// <see cref="NetmapPort.WaitAsync(NetmapPollEvents, CancellationToken)"/> found nothing ready, the way .NET's socket engine waits for
/// all sockets: a registration per port fd (<see cref="ReactorRegistration"/>), one
/// <c>epoll_wait</c> loop, and completions that run on the thread pool. An application waiting
/// on 64 rings uses this one thread, not 64 blocked in <c>poll</c>.
/// </summary>
/// <remarks>
/// <para>
/// What an epoll wait on a netmap fd does (netmap_poll in sys/dev/netmap/netmap.c, reached
/// through the fd's <c>poll</c> file operation): epoll calls it when a registration is armed
/// (<c>EPOLL_CTL_ADD/MOD</c>, in the arming thread) and again, in this thread, whenever the
/// port's wait queues are woken, to find out what is ready. Each call <em>syncs</em> as a
/// <c>poll()</c> does: TX rings with something pending (all of them for <c>POLLOUT</c>), and every
/// bound RX ring for <c>POLLIN</c>. So a reported <c>EPOLLIN</c> means the RX ring's tail has already
/// moved over the new packets: the woken waiter needs no follow-up sync, exactly as after a
/// <c>poll()</c>.
/// </para>
/// <para>
/// Because of those syncs, a registration must be armed only while a waiter is waiting (the
/// application does not touch the rings then): registrations are <c>EPOLLONESHOT</c>, armed by
/// <c>WaitAsync</c>, disarmed by the kernel when the event is reported, and removed
/// (<c>EPOLL_CTL_DEL</c>, which waits for an <c>epoll_wait</c> that is inside netmap_poll for it)
/// when the last waiter is cancelled or the port closes. Edge-triggered registrations kept for a
/// port's life, as the socket engine uses, would make this thread sync rings while the
/// application works on them.
/// </para>
/// <para>
/// The thread starts with the first registration that is armed and stops in <see cref="Dispose"/>
/// (the library's Dispose, after every port is closed); it closes the epoll fd itself as it
/// leaves. Every <c>epoll_ctl</c> goes through a <see cref="CallGate"/> that Dispose closes and
/// drains first, so the epoll fd is never closed under a call. Woken waits continue on the
/// thread pool (one more thread hand-off per wake-up than a thread blocked in poll), or on this
/// thread with <see cref="NetmapLoadOptions.InlineWaitCompletions"/>. Linux only: elsewhere (and
/// where libc lacks epoll) the port driver falls back to a blocking <c>poll</c> per waiter.
/// </para>
/// </remarks>
internal sealed unsafe class NativeReactor : IDisposable
{
    /// <summary>
    /// The name a disposed library's calls report (<see cref="ObjectDisposedException.ObjectName"/>): the
    /// public type users hold. A string, because NetmapLibrary lives in NativeLibrary/, above this folder.
    /// </summary>
    internal const string LibraryName = "NetmapLibrary";

    private const int MaxEvents = 64;
    private const ulong StopData = 0;   // the epoll data of the stop eventfd; registrations have ids >= 1
    private static readonly int EFD_CLOEXEC = 0x80000;

    private readonly LibcFunctions _libc;
    private readonly Lock _lock = new();
    private readonly Dictionary<uint, ReactorRegistration> _registrations = [];
    private readonly CallGate _calls = new();
    private uint _lastId;
    private int _epollFd = -1;
    private int _stopFd = -1;
    private Thread? _thread;
    private int _failedErrno;

    /// <param name="libc">The libc function table (with epoll).</param>
    /// <param name="inlineCompletions">Run a woken wait's continuation on the reactor thread (see <see cref="NetmapLoadOptions.InlineWaitCompletions"/>).</param>
    public NativeReactor(LibcFunctions libc, bool inlineCompletions = false)
    {
        _libc = libc;
        InlineCompletions = inlineCompletions;
    }

    /// <summary>Whether woken waits continue on the reactor thread instead of the thread pool.</summary>
    public bool InlineCompletions { get; }

    /// <summary>True where the reactor can run: Linux with epoll in libc.</summary>
    public static bool IsSupported(in LibcFunctions libc) => OperatingSystem.IsLinux() && libc.HasEpoll;

    /// <summary>Threads this reactor has started: 0 before the first armed wait, then 1.</summary>
    public int ThreadCount
    {
        get
        {
            lock (_lock)
                return _thread is null ? 0 : 1;
        }
    }

    /// <summary>The reactor's thread, once started (for tests and diagnostics).</summary>
    internal Thread? Thread
    {
        get
        {
            lock (_lock)
                return _thread;
        }
    }

    /// <summary>The epoll fd (-1 before the thread starts), for tests that read its /proc fdinfo.</summary>
    internal int EpollFileDescriptor
    {
        get
        {
            lock (_lock)
                return _epollFd;
        }
    }

    /// <summary>Ports registered now.</summary>
    public int RegistrationCount
    {
        get
        {
            lock (_lock)
                return _registrations.Count;
        }
    }

    /// <summary>A registration for <paramref name="fd"/>; nothing is asked of the kernel until a wait arms it.</summary>
    public ReactorRegistration Register(int fd, string name)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_calls.IsClosed, this);
            uint id;
            do id = ++_lastId;
            while (id == 0 || _registrations.ContainsKey(id));
            ReactorRegistration registration = new(this, fd, name, id);
            _registrations.Add(id, registration);
            return registration;
        }
    }

    /// <summary>Forgets a closed registration: a late event with its id is then ignored.</summary>
    internal void Unregister(ReactorRegistration registration)
    {
        lock (_lock)
            _registrations.Remove(registration.Id);
    }

    /// <summary>
    /// <c>epoll_ctl(op, fd, events, data)</c>, starting the thread on first use. Returns 0 or the
    /// errno; throws <see cref="ObjectDisposedException"/> once the reactor is disposed.
    /// </summary>
    internal int Control(int op, int fd, uint events, ulong data)
    {
        if (!_calls.TryEnter())
            throw new ObjectDisposedException(LibraryName, "The netmap library (and its wait reactor) is disposed.");
        try
        {
            int epollFd = EnsureStarted();
            byte* entry = stackalloc byte[16];
            EpollEvent.Write(entry, events, data);
            return _libc.epoll_ctl(epollFd, op, fd, entry) == 0 ? 0 : Marshal.GetLastSystemError();
        }
        finally
        {
            _calls.Exit();
        }
    }

    /// <summary>
    /// Stops the thread (it wakes at once), which closes the epoll fd as it leaves, after the last
    /// <see cref="Control"/> call. Waits for it, unless called on the reactor thread itself (from an
    /// inline continuation): the thread then stops when that continuation returns. A wait still
    /// pending (the library closes every port first, so only a port opened in a race with Dispose
    /// can have one) fails with <see cref="ObjectDisposedException"/> instead of never ending.
    /// </summary>
    public void Dispose()
    {
        if (!_calls.Close())
            return;
        _calls.WaitIdle();   // a Control call in flight may still start the thread: wait for it first
        FailAll(static name => new ObjectDisposedException(LibraryName, $"The netmap library was disposed while port '{name}' was waiting."));
        Thread? thread;
        lock (_lock)
            thread = _thread;
        if (thread is null)
            return;
        ulong one = 1;
        _libc.write(_stopFd, &one, sizeof(ulong));   // level-triggered and never read: the loop sees it at once
        if (thread != Thread.CurrentThread)
            thread.Join();
    }

    private int EnsureStarted()
    {
        lock (_lock)
        {
            if (_failedErrno != 0)
                throw NetmapException.FromErrno(_failedErrno, "epoll_wait", "reactor", "the wait reactor stopped");
            if (_thread is not null)
                return _epollFd;
            int epollFd = _libc.epoll_create1(EpollEvent.EPOLL_CLOEXEC);
            if (epollFd < 0)
                throw NetmapException.FromErrno(Marshal.GetLastSystemError(), "epoll_create1", "reactor");
            int stopFd = _libc.eventfd(0, EFD_CLOEXEC);
            if (stopFd < 0)
            {
                int errno = Marshal.GetLastSystemError();
                _libc.close(epollFd);
                throw NetmapException.FromErrno(errno, "eventfd", "reactor");
            }
            byte* entry = stackalloc byte[16];
            EpollEvent.Write(entry, EpollEvent.EPOLLIN, StopData);
            if (_libc.epoll_ctl(epollFd, EpollEvent.EPOLL_CTL_ADD, stopFd, entry) != 0)
            {
                int errno = Marshal.GetLastSystemError();
                _libc.close(stopFd);
                _libc.close(epollFd);
                throw NetmapException.FromErrno(errno, "epoll_ctl", "reactor");
            }
            _epollFd = epollFd;
            _stopFd = stopFd;
            _thread = new Thread(Run) { IsBackground = true, Name = "netmap reactor" };
            _thread.UnsafeStart();   // no ExecutionContext to carry: the loop runs library code only
            return _epollFd;
        }
    }

    private void Run()
    {
        try
        {
            Loop();
        }
        finally
        {
            _libc.close(_epollFd);   // every Control call has left (Dispose waited) or will be refused
            _libc.close(_stopFd);
        }
    }

    private void Loop()
    {
        byte* events = stackalloc byte[MaxEvents * 16];
        List<ReactorWait> completed = [];   // this thread's: waits to deliver outside the registrations' locks
        while (true)
        {
            int count = _libc.epoll_wait(_epollFd, events, MaxEvents, -1);
            if (count < 0)
            {
                int errno = Marshal.GetLastSystemError();
                if (errno == Errno.EINTR)
                    continue;
                Fail(errno);
                return;
            }
            for (int i = 0; i < count; i++)
            {
                ulong data = EpollEvent.Data(events, i);
                if (data == StopData)
                    return;
                ReactorRegistration? registration;
                lock (_lock)
                    _registrations.TryGetValue((uint)(data >> 32), out registration);
                registration?.OnReady((uint)data, EpollEvent.Events(events, i), completed);
            }
        }
    }

    /// <summary>epoll_wait failed for good (never seen; EBADF or EINVAL would be a bug): fail every waiter.</summary>
    private void Fail(int errno)
    {
        lock (_lock)
            _failedErrno = errno;
        FailAll(name => NetmapException.FromErrno(errno, "epoll_wait", name, "the wait reactor stopped"));
    }

    /// <summary>Fails the pending waits of every registration with the error made for its port's name.</summary>
    private void FailAll(Func<string, Exception> error)
    {
        ReactorRegistration[] all;
        lock (_lock)
            all = [.. _registrations.Values];
        foreach (ReactorRegistration registration in all)
            registration.FailWaiters(error(registration.Name));
    }
}
