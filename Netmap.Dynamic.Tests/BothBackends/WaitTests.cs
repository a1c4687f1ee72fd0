using Netmap.Dynamic.Native;
using Netmap.Dynamic.Tests.Native;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// How <see cref="NetmapPort.WaitAsync(NetmapPollEvents, CancellationToken)"/> wakes, on the fake and on the real kernel: on traffic,
/// with the rings already synced as after a poll, for receive and for transmit; and that many
/// waiting ports need no thread each (native: one epoll reactor thread; fake: no thread at all).
/// Cancellation and Dispose wake-ups are in PollRulesTests and DisposeStressTests.
/// </summary>
public sealed class WaitTests(BackendKind kind) : TwoBackendTest(kind)
{
    private static readonly byte[] Frame = [.. Enumerable.Range(0, 60).Select(i => (byte)i)];

    /// <summary>Fills the sender's TX ring and syncs: a pipe then has no room until the receiver releases.</summary>
    private static NetmapRing FillTx(NetmapPort sender)
    {
        NetmapRing tx = sender.GetTxRing(0);
        while (tx.TryWrite(Frame)) { }
        sender.TxSync();
        return tx;
    }

    /// <summary>Takes in and releases everything the receiver has (the sender's next sync gets the slots back).</summary>
    private static void ReleaseAll(NetmapPort receiver)
    {
        receiver.RxSync();
        NetmapRing rx = receiver.GetRxRing(0);
        rx.Advance(rx.Space);
        receiver.RxSync();
    }

    /// <summary>The next frame on the port's RX ring, with no sync first: it must already be there.</summary>
    private static byte[]? NextFrameOnTheRing(NetmapPort receiver) =>
        receiver.GetRxRing(0).TryRead(out ReadOnlySpan<byte> got) ? got.ToArray() : null;

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
        Assert.That(NextFrameOnTheRing(slave), Is.EqualTo(Frame));
    }

    [Test]
    public async Task A_transmit_wait_on_a_full_pipe_wakes_when_the_receiver_releases()
    {
        using PipePair pipe = OpenPipe("wt");
        (NetmapPort master, NetmapPort slave) = pipe;
        NetmapRing tx = FillTx(master);
        ValueTask<NetmapPollEvents> waiting = master.WaitAsync(NetmapPollEvents.Transmit);
        Assert.That(waiting.IsCompleted, Is.False, "a pipe frees no slot before the receiver releases");

        ReleaseAll(slave);

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
                // Every wait is armed in the reactor's epoll set before WaitAsync returned, so none needs
                // a thread of its own. (Counting threads blocked in poll here could not fail: a thread
                // per wait might not have reached poll yet.)
                Assert.That(receivers.Select(p => ((NativePortDriver)p.Driver).Registration?.WaiterCount ?? 0), Is.All.EqualTo(1));
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

    [Test]
    public async Task A_receive_and_a_transmit_wait_on_one_port_each_wake_on_their_own_event()
    {
        using PipePair pipe = OpenPipe("wt");
        (NetmapPort master, NetmapPort slave) = pipe;
        FillTx(master);
        Task<NetmapPollEvents> room = master.WaitAsync(NetmapPollEvents.Transmit).AsTask();
        Task<NetmapPollEvents> frames = master.WaitAsync(NetmapPollEvents.Receive).AsTask();
        Assert.That((room.IsCompleted, frames.IsCompleted), Is.EqualTo((false, false)), "a full TX ring and nothing to receive");

        ReleaseAll(slave);

        Assert.That(await room.WaitAsync(Guard), Is.EqualTo(NetmapPollEvents.Transmit));
        Assert.That(frames.IsCompleted, Is.False, "room to send does not wake the wait for frames");

        Assert.That(slave.GetTxRing(0).TryWrite(Frame), Is.True);
        slave.TxSync();

        Assert.That(await frames.WaitAsync(Guard), Is.EqualTo(NetmapPollEvents.Receive));
        Assert.That(NextFrameOnTheRing(master), Is.EqualTo(Frame));
    }

    [Test]
    public async Task A_cancel_racing_the_peers_frame_ends_each_wait_one_way_and_the_port_stays_usable()
    {
        using PipePair pipe = OpenPipe("wt");
        (NetmapPort master, NetmapPort slave) = pipe;
        NetmapRing rx = slave.GetRxRing(0);
        int rounds = IsNative ? 20 : 100, woken = 0, cancelled = 0;
        for (int round = 0; round < rounds; round++)
        {
            using CancellationTokenSource cts = new();
            Task<NetmapPollEvents> wait = slave.WaitAsync(NetmapPollEvents.Receive, cts.Token).AsTask();
            using Barrier start = new(2);
            Task sender = Task.Run(() =>
            {
                start.SignalAndWait();
                Assert.That(master.GetTxRing(0).TryWrite(Frame), Is.True);
                master.TxSync();
            });
            start.SignalAndWait();
            await cts.CancelAsync();
            await sender.WaitAsync(Guard);

            try
            {
                Assert.That(await wait.WaitAsync(Guard), Is.EqualTo(NetmapPollEvents.Receive), $"round {round}");
                woken++;
            }
            catch (OperationCanceledException)
            {
                cancelled++;
            }
            if (IsNative) Assert.That(((NativePortDriver)slave.Driver).Registration!.WaiterCount, Is.Zero, $"round {round}: no waiter left behind");
            slave.RxSync();
            Assert.That(rx.Space, Is.EqualTo(1), $"round {round}: the frame arrived, whoever won");
            rx.Advance(1);
            slave.RxSync();   // gives the slot back to the sender
        }
        Assert.That(woken + cancelled, Is.EqualTo(rounds));

        ValueTask<NetmapPollEvents> next = slave.WaitAsync(NetmapPollEvents.Receive);
        Assert.That(next.IsCompleted, Is.False, "no stale readiness from the raced rounds");
        Assert.That(master.GetTxRing(0).TryWrite(Frame), Is.True);
        master.TxSync();
        Assert.That(await next.AsTask().WaitAsync(Guard), Is.EqualTo(NetmapPollEvents.Receive));
    }

    [Test]
    public async Task Of_sixteen_waiting_ports_the_cancelled_ones_end_cancelled_and_the_others_wake_on_their_own_frames()
    {
        const int Pipes = 16;
        PipePair[] pipes = [.. Enumerable.Range(0, Pipes).Select(_ => OpenPipe("wc", "@conf:slots=64"))];
        CancellationTokenSource[] tokens = [.. pipes.Select(_ => new CancellationTokenSource())];
        try
        {
            Task<NetmapPollEvents>[] waits = [.. pipes.Select((p, i) => p.Slave.WaitAsync(NetmapPollEvents.Receive, tokens[i].Token).AsTask())];

            for (int i = 0; i < Pipes; i += 2) await tokens[i].CancelAsync();
            for (int i = 1; i < Pipes; i += 2)
            {
                Assert.That(pipes[i].Master.GetTxRing(0).TryWrite(Frame), Is.True);
                pipes[i].Master.TxSync();
            }

            try
            {
                await Task.WhenAll(waits).WaitAsync(Guard);
            }
            catch (OperationCanceledException)
            {
                // the cancelled half: checked below, wait by wait
            }
            Assert.That(waits.Where((_, i) => i % 2 == 0).Select(w => w.Status), Is.All.EqualTo(TaskStatus.Canceled));
            Assert.That(waits.Where((_, i) => i % 2 == 1).Select(w => w.Result), Is.All.EqualTo(NetmapPollEvents.Receive));

            // The cancelled ports wait again and wake on their own frames.
            Task<NetmapPollEvents>[] again = [.. pipes.Where((_, i) => i % 2 == 0).Select(p => p.Slave.WaitAsync(NetmapPollEvents.Receive).AsTask())];
            Assert.That(again.Any(w => w.IsCompleted), Is.False);
            for (int i = 0; i < Pipes; i += 2)
            {
                Assert.That(pipes[i].Master.GetTxRing(0).TryWrite(Frame), Is.True);
                pipes[i].Master.TxSync();
            }
            Assert.That(await Task.WhenAll(again).WaitAsync(Guard), Is.All.EqualTo(NetmapPollEvents.Receive));
        }
        finally
        {
            foreach (PipePair pair in pipes) pair.Dispose();
            foreach (CancellationTokenSource cts in tokens) cts.Dispose();
        }
    }

    [Test]
    public void Disposing_the_whole_backend_ends_a_pending_wait_with_ObjectDisposed()
    {
        // Native: a library of its own, so that the fixture's stays loaded.
        using NetmapLibrary? own = IsNative ? NetmapLibrary.Load() : null;
        INetmapBackend backend = own ?? Backend;
        string pipe = Unique("wd");
        NetmapPort master = backend.OpenPort($"netmap:{pipe}{{1");
        NetmapPort slave = backend.OpenPort($"netmap:{pipe}}}1");
        Task<NetmapPollEvents> wait = slave.WaitAsync(NetmapPollEvents.Receive).AsTask();
        Assert.That(wait.IsCompleted, Is.False);

        backend.Dispose();

        Assert.That(() => wait.Wait(Guard), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<ObjectDisposedException>());
        Assert.That(() => master.TxSync(), Throws.InstanceOf<ObjectDisposedException>());
    }
}
