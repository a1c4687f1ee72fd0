using Netmap.Dynamic.Benchmarks;
using Netmap.Dynamic.Cli.PktGen;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Tests.Cli.PktGen;

/// <summary>
/// The receiver's per-frame work on the batch ring API: a batch stops at the ring's last slot, so
/// frames that lie across it are read in two batches; the count stops the loop mid-batch and
/// leaves the rest waiting.
/// </summary>
public class ReceiverLoopTests
{
    private const int Slots = 1024;   // the fake pipe's default ring

    private sealed class Pipe(string name) : IDisposable
    {
        private readonly FakePipePair _ends = new(name);

        public NetmapPort Tx => _ends.Master;
        public NetmapPort Rx => _ends.Slave;

        public NetmapRing RxRing => Rx.GetRxRing(Rx.FirstRxRing);

        // Sends frames `first .. first + count - 1` built by `builder`, sizes from `size(i)`; returns their bytes.
        public long Send(FrameBuilder builder, ulong first, int count, Func<int, int> size)
        {
            Tx.TxSync();   // takes back the slots the receiver released
            NetmapRing ring = Tx.GetTxRing(Tx.FirstTxRing);
            long bytes = 0;
            for (int i = 0; i < count; i++)
            {
                int head = ring.Head;
                builder.Write(ring.GetBuffer(head), first + (ulong)i);
                ring[head].Length = (ushort)size(i);
                bytes += size(i);
                ring.Advance(1);
            }
            Tx.TxSync();
            return bytes;
        }

        // Moves the receiver's head to `slot` by receiving and releasing that many frames.
        public void MoveHeadTo(int slot)
        {
            Send(new FrameBuilder(60), 0, slot, _ => 60);
            Assert.That(Receive(this, null, slot).Received, Is.EqualTo(slot));
            Assert.That(RxRing.Head, Is.EqualTo((uint)slot));
        }

        public void Dispose() => _ends.Dispose();
    }

    private static ReceiverTotals Receive(Pipe pipe, FrameChecker? checker, long count) =>
        ReceiverLoop.Run(pipe.Rx, checker, count, new RunControl(CancellationToken.None, durationSeconds: null), new PktGenCounters(),
            new ReceiverStop(FollowsSender: false, TimeSpan.Zero, IdleTimeout: null));

    [Test]
    public void Frames_across_the_rings_end_are_all_counted_with_their_bytes()
    {
        using Pipe pipe = new("rl1");
        pipe.MoveHeadTo(Slots - 24);
        FrameBuilder builder = new(60);
        long bytes = pipe.Send(builder, 0, 100, i => 60 + i);   // slots 1000 .. 1023, then 0 .. 75

        ReceiverTotals totals = Receive(pipe, null, 100);

        Assert.Multiple(() =>
        {
            Assert.That(totals.Received, Is.EqualTo(100));
            Assert.That(totals.Bytes, Is.EqualTo(bytes), "every slot's len, on both sides of the ring's end");
            Assert.That(pipe.RxRing.Head, Is.EqualTo(76), "released up to the last frame");
            Assert.That(pipe.RxRing.IsEmpty, Is.True);
        });
    }

    [Test]
    public void With_verify_frames_across_the_rings_end_are_checked_in_order()
    {
        using Pipe pipe = new("rl2");
        pipe.MoveHeadTo(Slots - 10);
        FrameBuilder builder = new(60);
        pipe.Send(builder, 0, 30, _ => 60);

        ReceiverTotals totals = Receive(pipe, new FrameChecker(builder), 30);

        Assert.Multiple(() =>
        {
            Assert.That(totals.Received, Is.EqualTo(30));
            Assert.That(totals.Bytes, Is.EqualTo(30 * 60));
            Assert.That((totals.Corrupt, totals.Gaps, totals.OutOfOrder), Is.EqualTo((0L, 0L, 0L)), "0 .. 29 in order, none damaged");
        });
    }

    [Test]
    public void The_count_stops_the_loop_mid_batch_and_leaves_the_rest_waiting()
    {
        using Pipe pipe = new("rl3");
        pipe.MoveHeadTo(Slots - 5);
        FrameBuilder builder = new(60);
        pipe.Send(builder, 0, 50, i => 60 + i);

        ReceiverTotals totals = Receive(pipe, new FrameChecker(builder), 12);   // 5 before the ring's end, 7 after

        NetmapRing ring = pipe.RxRing;
        Assert.Multiple(() =>
        {
            Assert.That(totals.Received, Is.EqualTo(12));
            Assert.That(totals.Bytes, Is.EqualTo(Enumerable.Range(0, 12).Sum(i => 60L + i)));
            Assert.That(ring.Head, Is.EqualTo(7));
            Assert.That(ring.Space, Is.EqualTo(38), "the other 38 frames still wait");
            Assert.That(ring.GetPacket(ring.Head).Length, Is.EqualTo(60 + 12), "the next one is frame 12");
        });
    }
}
