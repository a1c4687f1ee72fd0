using System.Buffers.Binary;
using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Tests.Fake;

/// <summary>A million frames through a pipe: order, content, no loss, no allocation.</summary>
public class FakePipeTrafficTests
{
    private const int Frames = 1_000_000;
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(30);

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

    /// <summary>One thread moves frames TX→RX with syncs only; returns the frames checked.</summary>
    private static long PumpOneThread(NetmapPort master, NetmapPort slave, long frames)
    {
        NetmapRing tx = master.GetTxRing(0), rx = slave.GetRxRing(0);
        long sent = 0, received = 0;
        while (received < frames)
        {
            while (sent < frames && !tx.IsEmpty)
            {
                uint head = tx.Head;
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
    public void A_million_frames_in_one_thread_arrive_in_order_and_intact()
    {
        using var backend = new FakeNetmapBackend();
        using NetmapPort master = backend.OpenPipe("1", master: true);
        using NetmapPort slave = backend.OpenPipe("1", master: false);
        Assert.That(PumpOneThread(master, slave, Frames), Is.EqualTo(Frames));
    }

    [Test]
    public void The_pipe_data_path_allocates_nothing()
    {
        using var backend = new FakeNetmapBackend();
        using NetmapPort master = backend.OpenPipe("1", master: true);
        using NetmapPort slave = backend.OpenPipe("1", master: false);
        PumpOneThread(master, slave, 200_000);   // warm up (JIT, tiering)
        long before = GC.GetAllocatedBytesForCurrentThread();
        long received = PumpOneThread(master, slave, Frames);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(received, Is.EqualTo(Frames));
        Assert.That(allocated, Is.Zero, $"{allocated} bytes allocated for {Frames} frames");
    }

    [Test]
    public void A_million_frames_between_two_threads_with_poll()
    {
        using var backend = new FakeNetmapBackend();
        using NetmapPort master = backend.OpenPipe("1", master: true);
        using NetmapPort slave = backend.OpenPipe("1", master: false);
        long received = 0;
        string? failure = null;
        Task consumer = Task.Factory.StartNew(() =>
        {
            NetmapRing rx = slave.GetRxRing(0);
            while (received < Frames)
            {
                if (slave.Poll(NetmapPollEvents.Receive, s_guard) == NetmapPollEvents.None)
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
            slave.RxSync();   // give the last slots back
        }, TaskCreationOptions.LongRunning);

        NetmapRing tx = master.GetTxRing(0);
        long sent = 0;
        byte[] scratch = new byte[128];
        while (sent < Frames && failure is null)
        {
            if (tx.IsEmpty && master.Poll(NetmapPollEvents.Transmit, s_guard) == NetmapPollEvents.None)
                Assert.Fail($"sender stalled at {sent}, receiver at {received}");
            while (sent < Frames && tx.TryWrite(scratch.AsSpan(0, Write(scratch, sent)))) sent++;
            master.TxSync();
        }
        Assert.That(consumer.Wait(s_guard), Is.True, "receiver finished");
        Assert.That(failure, Is.Null);
        Assert.That(received, Is.EqualTo(Frames));
    }

    [Test]
    public async Task WaitAsync_receives_what_another_thread_sends()
    {
        using var backend = new FakeNetmapBackend();
        using NetmapPort master = backend.OpenPipe("1", master: true);
        using NetmapPort slave = backend.OpenPipe("1", master: false);
        using var cts = new CancellationTokenSource(s_guard);
        const int count = 20_000;
        Task sender = Task.Run(async () =>
        {
            NetmapRing tx = master.GetTxRing(0);
            byte[] scratch = new byte[128];
            for (long i = 0; i < count;)
            {
                if (tx.IsEmpty) await master.WaitAsync(NetmapPollEvents.Transmit, cts.Token);
                while (i < count && tx.TryWrite(scratch.AsSpan(0, Write(scratch, i)))) i++;
                master.TxSync();
            }
        });
        NetmapRing rx = slave.GetRxRing(0);
        long received = 0;
        while (received < count)
        {
            NetmapPollEvents ready = await slave.WaitAsync(NetmapPollEvents.Receive, cts.Token);
            Assert.That(ready, Is.EqualTo(NetmapPollEvents.Receive));
            while (TryReadChecked(rx, received)) received++;
        }
        await sender;
        Assert.That(received, Is.EqualTo(count));
    }

    private static bool TryReadChecked(NetmapRing rx, long expected)
    {
        if (!rx.TryRead(out ReadOnlySpan<byte> frame)) return false;
        Assert.That(Check(frame, expected), Is.True, $"frame {expected}");
        return true;
    }
}
