using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Tests.DataPlane;

/// <summary>
/// The helpers above the rings (<see cref="NetmapPortTransfers"/>, <see cref="NetmapZeroCopy.Forward"/>):
/// they wait, cross the ring's end and sync so that the caller does not, and keep zero copy and
/// 0 B per frame. Over a fake pipe of 8 slots (7 frames in flight), so every test crosses the ring's end.
/// </summary>
public sealed class NetmapPortTransfersTests
{
    private FakeNetmapBackend _backend = null!;
    private NetmapPort _master = null!;
    private NetmapPort _slave = null!;

    [SetUp]
    public void SetUp()
    {
        _backend = new FakeNetmapBackend();
        _master = _backend.OpenPort("netmap:h{1@conf:slots=8");
        _slave = _backend.OpenPort("netmap:h}1");
    }

    [TearDown]
    public void TearDown()
    {
        _master.Dispose();
        _slave.Dispose();
        _backend.Dispose();
    }

    private static ReadOnlyMemory<byte>[] Frames(int count, int first = 0) =>
        [.. Enumerable.Range(first, count).Select(n => (ReadOnlyMemory<byte>)BitConverter.GetBytes((long)n).Concat(new byte[52]).ToArray())];

    private static long Number(ReadOnlySpan<byte> frame) => BitConverter.ToInt64(frame);

    [Test]
    public void Receive_on_a_port_with_nothing_arrived_gives_an_empty_batch_that_can_be_released()
    {
        NetmapRxBatch batch = _slave.Receive(64);
        Assert.That((batch.Count, batch.Slots.Length), Is.EqualTo((0, 0)));
        batch.Release();
        NetmapRxBatch waited = _slave.Receive(64, TimeSpan.Zero);
        Assert.That(waited.IsEmpty, Is.True);
        Assert.Throws<ArgumentOutOfRangeException>(() => _slave.Receive(-1));
    }

    [Test]
    public void Send_then_Receive_deliver_frames_in_order_across_the_rings_end_syncing_as_needed()
    {
        List<long> seen = [];
        for (int round = 0; round < 5; round++)
        {
            Assert.That(_master.Send(Frames(5, round * 5), TimeSpan.Zero), Is.EqualTo(5), "five fit a ring of seven free slots");
            for (NetmapRxBatch batch = _slave.Receive(64); !batch.IsEmpty; batch = _slave.Receive(64))
            {
                for (int i = 0; i < batch.Count; i++) seen.Add(Number(batch.GetPacket(i)));
                batch.Release();
            }
            _master.TxSync();   // the sender learns of the released slots
        }
        Assert.That(seen, Is.EqualTo(Enumerable.Range(0, 25).Select(n => (long)n)));
    }

    [Test]
    public void Send_stops_at_the_timeout_when_the_receiver_never_makes_room()
    {
        int sent = _master.Send(Frames(20), TimeSpan.Zero);
        Assert.That(sent, Is.EqualTo(7), "a ring of 8 slots holds 7 frames");
    }

    [Test]
    public async Task SendAsync_waits_for_room_while_a_receiver_task_drains_the_pipe()
    {
        const int total = 1000;
        Task<List<long>> receiving = Task.Run(async () =>
        {
            List<long> got = [];
            while (got.Count < total && await _slave.WaitToReceiveAsync())
            {
                NetmapRxBatch batch = _slave.Receive(64);
                for (int i = 0; i < batch.Count; i++) got.Add(Number(batch.GetPacket(i)));
                batch.Release();
            }
            return got;
        });

        await _master.SendAsync(Frames(total));

        Assert.That(await receiving, Is.EqualTo(Enumerable.Range(0, total).Select(n => (long)n)));
    }

    [Test]
    public async Task WaitToReceiveAsync_completes_with_false_when_the_port_is_disposed_during_the_wait()
    {
        ValueTask<bool> waiting = _slave.WaitToReceiveAsync();
        Assert.That(waiting.IsCompleted, Is.False, "nothing has arrived");
        _slave.Dispose();
        Assert.That(await waiting, Is.False);
        Assert.That(await _slave.WaitToReceiveAsync(), Is.False, "and at once afterwards");
    }

    [Test]
    public async Task WaitToSendAsync_is_true_at_once_with_room_and_again_once_the_receiver_released()
    {
        Assert.That(await _master.WaitToSendAsync(), Is.True);
        _master.Send(Frames(7), TimeSpan.Zero);
        ValueTask<bool> full = _master.WaitToSendAsync();
        Assert.That(full.IsCompleted, Is.False, "all seven slots are in flight");
        NetmapRxBatch batch = _slave.Receive(64);
        batch.Release();
        _slave.RxSync();
        Assert.That(await full, Is.True);
    }

    [Test]
    public void GetSendBatch_gives_free_slots_and_nothing_leaves_before_the_sync()
    {
        NetmapTxBatch batch = _master.GetSendBatch(3, TimeSpan.Zero);
        Assert.That(batch.Count, Is.EqualTo(3));
        for (int i = 0; i < 3; i++) batch.Write(i, Frames(1, i)[0].Span);
        batch.Commit();
        Assert.That(_slave.Receive(64).IsEmpty, Is.True, "committed, not yet synced");
        _master.TxSync();
        Assert.That(_slave.Receive(64).Count, Is.EqualTo(3));
    }

    [Test]
    public void Forward_swaps_buffers_between_batches_and_leaves_the_rest_for_the_next_receive()
    {
        using NetmapPort outA = _backend.OpenPort("netmap:h{2@conf:slots=8");
        using NetmapPort outB = _backend.OpenPort("netmap:h}2");
        _master.Send(Frames(5), TimeSpan.Zero);
        NetmapRxBatch received = _slave.Receive(64);
        uint firstBuffer = received[0].BufferIndex;
        NetmapTxBatch send = outA.GetSendBatch(3, TimeSpan.Zero);

        int forwarded = NetmapZeroCopy.Forward(ref received, ref send);
        outA.TxSync();

        Assert.That(forwarded, Is.EqualTo(3));
        NetmapRxBatch arrived = outB.Receive(64);
        Assert.That((arrived.Count, arrived[0].BufferIndex, Number(arrived.GetPacket(2))), Is.EqualTo((3, firstBuffer, 2L)),
            "three frames, in the very buffers (not copies)");
        NetmapRxBatch rest = _slave.Receive(64);
        Assert.That(Number(rest.GetPacket(0)), Is.EqualTo(3), "frames 3 and 4 wait for the next round");
    }

    [Test]
    public void Send_and_Receive_allocate_nothing_in_steady_state()
    {
        ReadOnlyMemory<byte>[] frames = Frames(5);
        long allocated = long.MaxValue, received = 0;
        // The least of three runs: a one-off runtime allocation on this thread shows in one at most.
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int round = 0; round < 10_000; round++)
            {
                _master.Send(frames, TimeSpan.Zero);
                for (NetmapRxBatch batch = _slave.Receive(64, TimeSpan.Zero); !batch.IsEmpty; batch = _slave.Receive(64, TimeSpan.Zero))
                {
                    received += batch.Count;
                    batch.Release();
                }
                _master.TxSync();
            }
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.That(received, Is.EqualTo(3 * 10_000 * 5));
        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public async Task The_async_waits_allocate_nothing_when_frames_or_room_are_there()
    {
        ReadOnlyMemory<byte>[] frames = Frames(5);
        long allocated = long.MaxValue, received = 0, waited = 0;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int round = 0; round < 10_000; round++)
            {
                ValueTask send = _master.SendAsync(frames);
                if (!send.IsCompletedSuccessfully) waited++;   // room for five: completes at once
                await send;
                ValueTask<bool> wait = _slave.WaitToReceiveAsync();
                if (!wait.IsCompletedSuccessfully) waited++;   // frames are there: completes at once
                if (!await wait) break;
                for (NetmapRxBatch batch = _slave.Receive(64); !batch.IsEmpty; batch = _slave.Receive(64))
                {
                    received += batch.Count;
                    batch.Release();
                }
                _master.TxSync();
            }
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.That((received, waited), Is.EqualTo((3 * 10_000 * 5, 0)), "every frame, and no wait had to suspend");
        Assert.That(allocated, Is.Zero);
    }
}
