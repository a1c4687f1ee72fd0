using Netmap.Dynamic.Native;

namespace Netmap.Dynamic.Tests.Native;

/// <summary>
/// The native driver's sync and wait logic with real libc poll and real eventfds. An eventfd
/// stands in for the netmap fd: it is readable while its counter is above 0 and always writable,
/// so "Receive" is controlled by writing to it. A test knows a waiter is blocked inside poll by
/// reading /proc/self/task/*/syscall (the pollfd array it passed names our fd), not by sleeping.
/// </summary>
[Platform(Include = "Linux")]
public sealed unsafe class NativePortDriverTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    private sealed class Harness : IDisposable
    {
        public Harness()
        {
            Fd = NativeTables.Libc.eventfd(0, 0);
            Assert.That(Fd, Is.GreaterThanOrEqualTo(0));
            Driver = new NativePortDriver(NativeTables.Libc, Fd, "stand-in", Interop.NetmapIoctl.NIOCTXSYNC, Interop.NetmapIoctl.NIOCRXSYNC, () =>
            {
                Interlocked.Increment(ref Releases);
                NativeTables.Libc.close(Fd);
            });
        }

        public int Fd { get; }
        public NativePortDriver Driver { get; }
        public int Releases;

        public void MakeReadable()
        {
            ulong one = 1;
            NativeTables.Libc.write(Fd, &one, sizeof(ulong));
        }

        public void Dispose() => Driver.Close();
    }

    [Test]
    public void Poll_reports_what_the_fd_is_ready_for()
    {
        using Harness h = new();

        NetmapPollEvents writable = h.Driver.Poll(NetmapPollEvents.Transmit | NetmapPollEvents.Receive, TimeSpan.Zero);
        NetmapPollEvents nothing = h.Driver.Poll(NetmapPollEvents.Receive, TimeSpan.FromMilliseconds(20));
        h.MakeReadable();
        NetmapPollEvents readable = h.Driver.Poll(NetmapPollEvents.Receive, Timeout.InfiniteTimeSpan);

        Assert.Multiple(() =>
        {
            Assert.That(writable, Is.EqualTo(NetmapPollEvents.Transmit));
            Assert.That(nothing, Is.EqualTo(NetmapPollEvents.None), "timeout");
            Assert.That(readable, Is.EqualTo(NetmapPollEvents.Receive));
        });
    }

    [Test]
    public void Sync_errors_become_NetmapExceptions_naming_the_operation()
    {
        using Harness h = new();

        NetmapException tx = Assert.Throws<NetmapException>(() => h.Driver.TxSync())!;
        NetmapException rx = Assert.Throws<NetmapException>(() => h.Driver.RxSync())!;

        Assert.Multiple(() =>
        {
            Assert.That(tx.Errno, Is.EqualTo(Errno.ENOTTY), "an eventfd knows no NIOCTXSYNC");
            Assert.That(tx.Operation, Is.EqualTo("txsync"));
            Assert.That(tx.PortName, Is.EqualTo("stand-in"));
            Assert.That(rx.Operation, Is.EqualTo("rxsync"));
        });
    }

    [Test]
    public void Close_wakes_a_blocked_poll_which_then_throws_ObjectDisposedException()
    {
        Harness h = new();
        Task<Exception?> waiter = Task.Factory.StartNew(() =>
        {
            try { h.Driver.Poll(NetmapPollEvents.Receive, Timeout.InfiniteTimeSpan); return null; }
            catch (Exception e) { return e; }
        }, TaskCreationOptions.LongRunning);
        WaitUntilBlockedInPoll(h.Fd, waiter);

        h.Driver.Close();

        Assert.Multiple(() =>
        {
            Assert.That(waiter.Wait(Guard), Is.True, "the waiter woke");
            Assert.That(waiter.Result, Is.InstanceOf<ObjectDisposedException>());
            Assert.That(h.Releases, Is.EqualTo(1), "released once, after the waiter left");
            Assert.Throws<ObjectDisposedException>(() => h.Driver.TxSync());
            Assert.Throws<ObjectDisposedException>(() => h.Driver.Poll(NetmapPollEvents.Receive, TimeSpan.Zero));
        });
        h.Driver.Close();
        Assert.That(h.Releases, Is.EqualTo(1), "a second Close does nothing");
    }

    [Test]
    public void Close_wakes_a_blocked_WaitAsync()
    {
        Harness h = new();
        ValueTask<NetmapPollEvents> wait = h.Driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None);
        Task<NetmapPollEvents> task = wait.AsTask();
        WaitUntilBlockedInPoll(h.Fd, task);

        h.Driver.Close();

        Assert.That(() => task.Wait(Guard), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<ObjectDisposedException>());
        Assert.That(h.Releases, Is.EqualTo(1));
    }

    [Test]
    public void Cancellation_wakes_a_blocked_WaitAsync_and_leaves_the_port_usable()
    {
        using Harness h = new();
        using CancellationTokenSource cts = new();
        int fdsBefore = NativeTables.OpenFdCount("anon_inode:[eventfd]");
        Task<NetmapPollEvents> task = h.Driver.WaitAsync(NetmapPollEvents.Receive, cts.Token).AsTask();
        WaitUntilBlockedInPoll(h.Fd, task);

        cts.Cancel();

        Assert.That(() => task.Wait(Guard), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<OperationCanceledException>());
        Assert.That(task.IsCanceled, Is.True);
        Assert.That(NativeTables.OpenFdCount("anon_inode:[eventfd]"), Is.EqualTo(fdsBefore), "the wait's own eventfd is closed");
        h.MakeReadable();
        Assert.That(h.Driver.Poll(NetmapPollEvents.Receive, Timeout.InfiniteTimeSpan), Is.EqualTo(NetmapPollEvents.Receive));
    }

    [Test]
    public void WaitAsync_completes_when_the_fd_becomes_ready()
    {
        using Harness h = new();
        Task<NetmapPollEvents> task = h.Driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None).AsTask();
        WaitUntilBlockedInPoll(h.Fd, task);

        h.MakeReadable();

        Assert.That(task.Wait(Guard), Is.True);
        Assert.That(task.Result, Is.EqualTo(NetmapPollEvents.Receive));
    }

    [Test]
    public void WaitAsync_returns_synchronously_when_the_fd_is_already_ready()
    {
        using Harness h = new();
        ValueTask<NetmapPollEvents> wait = h.Driver.WaitAsync(NetmapPollEvents.Transmit, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(wait.IsCompletedSuccessfully, Is.True);
            Assert.That(wait.Result, Is.EqualTo(NetmapPollEvents.Transmit));
        });
    }

    [Test]
    public void An_already_cancelled_token_throws_at_once()
    {
        using Harness h = new();
        Assert.That(() => h.Driver.WaitAsync(NetmapPollEvents.Receive, new CancellationToken(true)), Throws.InstanceOf<OperationCanceledException>());
    }

    /// <summary>
    /// Returns once some thread of this process is inside poll/ppoll with <paramref name="fd"/> in its
    /// pollfd array. Fails if <paramref name="waiter"/> ends first or the guard passes.
    /// </summary>
    internal static void WaitUntilBlockedInPoll(int fd, Task waiter)
    {
        DateTime deadline = DateTime.UtcNow + Guard;
        SpinWait spin = default;
        while (ThreadSyscalls.BlockedInPollOn(fd) == 0)
        {
            Assert.That(waiter.IsCompleted, Is.False, () => $"the waiter ended before blocking: {waiter.Exception}");
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "no thread blocked in poll on the fd");
            spin.SpinOnce();
        }
    }
}
