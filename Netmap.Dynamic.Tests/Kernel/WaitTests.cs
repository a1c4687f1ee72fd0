using Netmap.Dynamic.Native;
using Netmap.Dynamic.Tests.Native;

namespace Netmap.Dynamic.Tests.Kernel;

/// <summary>
/// How <see cref="NetmapPort.WaitAsync"/> wakes, on the fake and on the real kernel: on traffic,
/// with the rings already synced as after a poll, for receive and for transmit; and that many
/// waiting ports need no thread each (native: one epoll reactor thread; fake: no thread at all).
/// Cancellation and Dispose wake-ups are in PollRulesTests and DisposeStressTests.
/// </summary>
public sealed class WaitTests(BackendKind kind) : TwoBackendTest(kind)
{
    private static readonly byte[] Frame = [.. Enumerable.Range(0, 60).Select(i => (byte)i)];

    [Test]
    public async Task A_receive_wait_wakes_when_the_peer_syncs_and_the_frame_is_already_on_the_ring()
    {
        using PipePair pipe = OpenPipe("wt");
        (NetmapPort master, NetmapPort slave) = pipe;
        ValueTask<NetmapPollEvents> waiting = slave.WaitAsync(NetmapPollEvents.Receive);
        Assert.That(waiting.IsCompleted, Is.False, "nothing to receive yet");

        Assert.That(master.GetTxRing(0).TryWrite(Frame), Is.True);
        master.TxSync();

        Assert.That(await waiting.AsTask().WaitAsync(Guard), Is.EqualTo(NetmapPollEvents.Receive));
        // No RxSync here: the wake-up synced the RX ring, as netmap_poll does inside poll() and epoll.
        Assert.That(slave.GetRxRing(0).TryRead(out ReadOnlySpan<byte> got), Is.True);
        Assert.That(got.ToArray(), Is.EqualTo(Frame));
    }

    [Test]
    public async Task A_transmit_wait_on_a_full_pipe_wakes_when_the_receiver_releases()
    {
        using PipePair pipe = OpenPipe("wt");
        (NetmapPort master, NetmapPort slave) = pipe;
        NetmapRing tx = master.GetTxRing(0);
        while (tx.TryWrite(Frame)) { }
        master.TxSync();
        ValueTask<NetmapPollEvents> waiting = master.WaitAsync(NetmapPollEvents.Transmit);
        Assert.That(waiting.IsCompleted, Is.False, "a pipe frees no slot before the receiver releases");

        slave.RxSync();
        NetmapRing rx = slave.GetRxRing(0);
        rx.Advance(rx.Space);
        slave.RxSync();

        Assert.That(await waiting.AsTask().WaitAsync(Guard), Is.EqualTo(NetmapPollEvents.Transmit));
        Assert.That(tx.IsEmpty, Is.False, "the wake-up synced the TX ring: its tail moved");
    }

    [Test]
    public async Task Sixty_four_waiting_ports_need_no_thread_each_and_all_wake()
    {
        const int Pipes = 64;
        // 64 slots per ring: each pipe gets its own region, about 8.8 MB instead of 42 MB by default.
        string[] names = [.. Enumerable.Range(0, Pipes).Select(_ => Unique("wm"))];
        NetmapPort[] senders = [.. names.Select(n => Backend.OpenPort($"netmap:{n}{{1@conf:slots=64"))];
        NetmapPort[] receivers = [.. names.Select(n => Backend.OpenPort($"netmap:{n}}}1"))];
        try
        {
            int threadsBefore = OperatingSystem.IsLinux() ? ThreadSyscalls.ThreadCount() : 0;
            Task<NetmapPollEvents>[] waits = [.. receivers.Select(p => p.WaitAsync(NetmapPollEvents.Receive).AsTask())];

            Assert.That(waits.Any(w => w.IsCompleted), Is.False);
            if (IsNative)
            {
                NativeReactor reactor = Library.Backend.Reactor!;
                Assert.That(receivers.All(p => ((NativePortDriver)p.Driver).UsesReactor), Is.True);
                Assert.That(reactor.ThreadCount, Is.EqualTo(1));
                ThreadSyscalls.WaitFor(() => ThreadSyscalls.BlockedInEpollWait(reactor.EpollFileDescriptor) == 1, "the reactor waits in epoll_wait", Guard);
                Assert.That(receivers.Sum(p => ThreadSyscalls.BlockedInPollOn(((NativePortDriver)p.Driver).FileDescriptor)), Is.Zero);
            }
            if (OperatingSystem.IsLinux())
                Assert.That(ThreadSyscalls.ThreadCount() - threadsBefore, Is.LessThan(Pipes / 4), "no thread per waiting port");

            foreach (NetmapPort sender in senders)
            {
                Assert.That(sender.GetTxRing(0).TryWrite(Frame), Is.True);
                sender.TxSync();
            }
            NetmapPollEvents[] woken = await Task.WhenAll(waits).WaitAsync(Guard);
            Assert.That(woken, Is.All.EqualTo(NetmapPollEvents.Receive));
        }
        finally
        {
            foreach (NetmapPort port in senders.Concat(receivers)) port.Dispose();
        }
    }
}
