using System.Buffers.Binary;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// Many frames through a pipe: order, content, no loss, no allocation. The fake moves a million
/// frames; the kernel in the (software-emulated) test VM a hundred thousand, which exercises the
/// same wrap-arounds a hundred times over.
/// </summary>
public sealed class PipeTrafficTests(BackendKind kind) : TwoBackendTest(kind)
{
    private NetmapPort _master = null!;
    private NetmapPort _slave = null!;

    private long Frames => IsNative ? 100_000 : 1_000_000;

    [SetUp]
    public void OpenThePipe()
    {
        (_master, _slave) = OpenPipe("pt");
    }

    [TearDown]
    public void ClosePipe()
    {
        _master?.Dispose();
        _slave?.Dispose();
    }

    /// <summary>Frame i: its sequence number, then bytes derived from it; length varies 8..71.</summary>
    private static int Write(Span<byte> buffer, long sequence)
    {
        int length = 8 + (int)(sequence % 64);
        BinaryPrimitives.WriteInt64LittleEndian(buffer, sequence);
        for (int i = 8; i < length; i++) buffer[i] = (byte)(sequence + i);
        return length;
    }

    private static bool Check(ReadOnlySpan<byte> frame, long expected)
    {
        if (frame.Length != 8 + (int)(expected % 64) || BinaryPrimitives.ReadInt64LittleEndian(frame) != expected) return false;
        for (int i = 8; i < frame.Length; i++)
            if (frame[i] != (byte)(expected + i)) return false;
        return true;
    }

    /// <summary>One thread moves frames TX→RX with syncs only; returns the frames checked (negative: the first bad one).</summary>
    private static long PumpOneThread(NetmapPort master, NetmapPort slave, long frames)
    {
        NetmapRing tx = master.GetTxRing(0), rx = slave.GetRxRing(0);
        long sent = 0, received = 0;
        while (received < frames)
        {
            while (sent < frames && !tx.IsEmpty)
            {
                int head = tx.Head;
                tx[head].Length = (ushort)Write(tx.GetBuffer(head), sent++);
                tx.Advance(1);
            }
            master.TxSync();
            slave.RxSync();
            while (rx.TryRead(out ReadOnlySpan<byte> frame))
            {
                if (!Check(frame, received)) return -received - 1;
                received++;
            }
            slave.RxSync();
            master.TxSync();
        }
        return received;
    }

    [Test]
    public void Frames_sent_with_syncs_arrive_in_order_and_intact()
    {
        Assert.That(PumpOneThread(_master, _slave, Frames), Is.EqualTo(Frames));
    }

    [Test]
    public void The_pipe_data_path_allocates_nothing()
    {
        PumpOneThread(_master, _slave, Frames / 5);   // warm up (JIT, tiering)
        long before = GC.GetAllocatedBytesForCurrentThread();
        long received = PumpOneThread(_master, _slave, Frames);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(received, Is.EqualTo(Frames));
        Assert.That(allocated, Is.Zero, $"{allocated} bytes allocated for {Frames} frames");
    }

    [Test]
    public void Poll_for_room_then_poll_for_frames_moves_every_frame()
    {
        // A sender learns about released slots only from its own sync: poll for room (which syncs
        // TX) before writing, never just look at Space.
        NetmapRing tx = _master.GetTxRing(0), rx = _slave.GetRxRing(0);
        int total = (int)(Frames / 10), sent = 0, received = 0;
        byte[] frame = new byte[60];
        while (received < total)
        {
            if (sent < total)
                Assert.That(_master.Poll(NetmapPollEvents.Transmit, Guard), Is.EqualTo(NetmapPollEvents.Transmit), $"room at {sent}");
            while (sent < total && tx.Space > 0)
            {
                BinaryPrimitives.WriteInt32LittleEndian(frame, sent);
                frame[59] = (byte)sent;
                Assert.That(tx.TryWrite(frame), Is.True);
                sent++;
            }
            _master.TxSync();
            Assert.That(_slave.Poll(NetmapPollEvents.Receive, Guard), Is.EqualTo(NetmapPollEvents.Receive), $"frames at {received}");
            while (rx.TryRead(out ReadOnlySpan<byte> packet))
            {
                Assert.That(packet.Length, Is.EqualTo(60));
                Assert.That(BinaryPrimitives.ReadInt32LittleEndian(packet), Is.EqualTo(received));
                Assert.That(packet[59], Is.EqualTo((byte)received));
                received++;
            }
            _slave.RxSync();
        }
        Assert.That(received, Is.EqualTo(total));
    }

    [Test]
    public void Frames_between_two_threads_with_poll_arrive_in_order_and_intact()
    {
        long frames = Frames, received = 0;
        string? failure = null;
        Task consumer = Task.Factory.StartNew(() =>
        {
            NetmapRing rx = _slave.GetRxRing(0);
            while (received < frames)
            {
                if (_slave.Poll(NetmapPollEvents.Receive, Guard) == NetmapPollEvents.None)
                {
                    failure = $"receiver starved at {received}";
                    return;
                }
                while (rx.TryRead(out ReadOnlySpan<byte> frame))
                {
                    if (!Check(frame, received))
                    {
                        failure = $"frame {received} wrong";
                        return;
                    }
                    received++;
                }
            }
            _slave.RxSync();   // give the last slots back
        }, TaskCreationOptions.LongRunning);

        NetmapRing tx = _master.GetTxRing(0);
        long sent = 0;
        byte[] scratch = new byte[128];
        while (sent < frames && failure is null && !consumer.IsCompleted)
        {
            if (tx.IsEmpty && _master.Poll(NetmapPollEvents.Transmit, Guard) == NetmapPollEvents.None)
                Assert.Fail($"sender stalled at {sent}, receiver at {received}");
            while (sent < frames && tx.TryWrite(scratch.AsSpan(0, Write(scratch, sent)))) sent++;
            _master.TxSync();
        }
        Assert.That(consumer.Wait(Guard), Is.True, "receiver finished");
        Assert.That(failure, Is.Null);
        Assert.That(received, Is.EqualTo(frames));
    }

    [Test]
    public async Task WaitAsync_receives_what_another_thread_sends()
    {
        using var cts = new CancellationTokenSource(Guard);
        int count = (int)(Frames / 50);
        Task sender = Task.Run(async () =>
        {
            NetmapRing tx = _master.GetTxRing(0);
            byte[] scratch = new byte[128];
            for (long i = 0; i < count;)
            {
                if (tx.IsEmpty) await _master.WaitAsync(NetmapPollEvents.Transmit, cts.Token);
                while (i < count && tx.TryWrite(scratch.AsSpan(0, Write(scratch, i)))) i++;
                _master.TxSync();
            }
        });
        NetmapRing rx = _slave.GetRxRing(0);
        long received = 0;
        while (received < count)
        {
            NetmapPollEvents ready = await _slave.WaitAsync(NetmapPollEvents.Receive, cts.Token);
            Assert.That(ready, Is.EqualTo(NetmapPollEvents.Receive));
            while (rx.TryRead(out ReadOnlySpan<byte> frame))
            {
                Assert.That(Check(frame, received), Is.True, $"frame {received}");
                received++;
            }
        }
        await sender;
        Assert.That(received, Is.EqualTo(count));
    }
}
