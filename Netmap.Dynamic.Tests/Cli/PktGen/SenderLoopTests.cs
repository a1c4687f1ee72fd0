using Netmap.Dynamic.Cli.PktGen;
using Netmap.Dynamic.Cli.Shared;
using Netmap.Dynamic.Fake;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.Cli.PktGen;

/// <summary>
/// The sender's per-frame work. By default (netmap pkt-gen's work) a buffer gets the frame the
/// first time a slot brings it round and afterwards only the slot's length is set, so what a
/// receiver does to a buffer it handed back shows in the next frames; a slot that comes back
/// with a different buffer gets the frame written again. With --verify every frame is written whole.
/// </summary>
public class SenderLoopTests
{
    private const int Slots = 1024;     // the fake pipe's default ring: 1023 frames fit
    private const int Fits = Slots - 1;

    private sealed class Pipe : IDisposable
    {
        public readonly FakeNetmapBackend Backend = new();
        public readonly NetmapPort Tx;
        public readonly NetmapPort Rx;

        public Pipe(string name)
        {
            Tx = Backend.OpenPort($"netmap:{name}{{1");
            Rx = Backend.OpenPort($"netmap:{name}}}1");
        }

        public void Dispose()
        {
            Rx.Dispose();
            Tx.Dispose();
            Backend.Dispose();
        }
    }

    private static long Send(NetmapPort port, FrameBuilder builder, long count, bool verify, TxBufferMemory? memory = null)
    {
        RunControl control = new(CancellationToken.None, durationSeconds: null);
        (long sent, _, _) = SenderLoop.Run(port, builder, count, batch: 512, verify, control, new PktGenCounters(), filled: memory);
        return sent;
    }

    // Reads every frame waiting on the receiver: (intact, sequence, length) per slot index, in order.
    private static List<(int Slot, bool Intact, ulong Sequence, int Length)> Receive(NetmapPort rx, FrameChecker checker)
    {
        rx.RxSync();
        NetmapRing ring = rx.GetRxRing(rx.FirstRxRing);
        List<(int, bool, ulong, int)> seen = [];
        for (int i = ring.Head; i != ring.Tail; i = ring.Next(i))
        {
            Span<byte> frame = ring.GetPacket(i);
            bool intact = checker.TryCheck(frame, out ulong sequence);
            seen.Add((i, intact, sequence, frame.Length));
        }
        return seen;
    }

    [Test]
    public void By_default_every_frame_is_the_same_intact_frame()
    {
        using Pipe pipe = new("sl1");
        FrameBuilder builder = new(60);

        Assert.That(Send(pipe.Tx, builder, 300, verify: false), Is.EqualTo(300));

        var seen = Receive(pipe.Rx, new FrameChecker(builder));
        Assert.That(seen, Has.Count.EqualTo(300));
        Assert.That(seen.All(f => f.Intact && f.Sequence == 0 && f.Length == 60), Is.True, "valid frames, all carrying sequence 0");
    }

    [Test]
    public void By_default_a_buffer_is_written_once_and_a_slot_with_a_new_buffer_gets_the_frame_again()
    {
        using Pipe pipe = new("sl2");
        FrameBuilder builder = new(60);
        FrameChecker checker = new(builder);
        TxBufferMemory memory = new(pipe.Tx);
        Send(pipe.Tx, builder, Fits, verify: false, memory);   // slots 0 .. 1022

        // The receiver scribbles on every frame it got (on a pipe, the very buffers the sender
        // filled), swaps the buffer of slot 7 for one of its own TX buffers (which holds no
        // frame), and hands everything back.
        var first = Receive(pipe.Rx, checker);
        Assert.That(first.All(f => f.Intact), Is.True);
        NetmapRing rx = pipe.Rx.GetRxRing(pipe.Rx.FirstRxRing);
        foreach (var f in first)
        {
            rx.GetPacket(f.Slot)[FrameLayout.PatternOffset] ^= 0xFF;
        }
        NetmapRing spare = pipe.Rx.GetTxRing(pipe.Rx.FirstTxRing);
        (rx[7].BufferIndex, spare[0].BufferIndex) = (spare[0].BufferIndex, rx[7].BufferIndex);
        rx[7].Flags |= NetmapSlotFlags.NS_BUF_CHANGED;
        rx.Advance(first.Count);
        pipe.Rx.RxSync();

        Send(pipe.Tx, builder, Fits, verify: false, memory);   // slot 1023 (never used), then 0 .. 1021

        var second = Receive(pipe.Rx, checker);
        Assert.That(second, Has.Count.EqualTo(Fits));
        Assert.That(second.All(f => f.Length == 60), Is.True, "every slot gets its length");
        Assert.That(second.Where(f => f.Intact).Select(f => f.Slot), Is.EquivalentTo(new uint[] { 1023, 7 }),
            "only the slot never used before and the slot with the new buffer were written; the rest still hold the receiver's scribble");
    }

    [Test]
    public void With_verify_every_frame_is_written_whole_with_its_own_number()
    {
        using Pipe pipe = new("sl3");
        FrameBuilder builder = new(60);
        FrameChecker checker = new(builder);
        Send(pipe.Tx, builder, Fits, verify: true);
        var first = Receive(pipe.Rx, checker);
        NetmapRing rx = pipe.Rx.GetRxRing(pipe.Rx.FirstRxRing);
        foreach (var f in first)
        {
            rx.GetPacket(f.Slot)[FrameLayout.PatternOffset] ^= 0xFF;
        }
        rx.Advance(first.Count);
        pipe.Rx.RxSync();

        Send(pipe.Tx, builder, Fits, verify: true);

        var second = Receive(pipe.Rx, checker);
        Assert.That(first.Select(f => f.Sequence), Is.EqualTo(Enumerable.Range(0, Fits).Select(i => (ulong)i)));
        Assert.That(second.All(f => f.Intact), Is.True, "the scribble is overwritten");
        Assert.That(second.Select(f => f.Sequence), Is.EqualTo(Enumerable.Range(0, Fits).Select(i => (ulong)i)), "a new run numbers from 0");
    }

    [Test]
    public void A_run_across_the_rings_end_fills_both_sides_in_order()
    {
        using Pipe pipe = new("sl4");
        FrameBuilder builder = new(60);
        FrameChecker checker = new(builder);
        Send(pipe.Tx, builder, 1000, verify: false);
        Receive(pipe.Rx, checker);
        NetmapRing rx = pipe.Rx.GetRxRing(pipe.Rx.FirstRxRing);
        rx.Advance(rx.Space);
        pipe.Rx.RxSync();   // the sender's head is at slot 1000 and every slot is free again

        Assert.That(Send(pipe.Tx, builder, 100, verify: true), Is.EqualTo(100));

        var seen = Receive(pipe.Rx, checker);
        Assert.Multiple(() =>
        {
            Assert.That(seen.Select(f => f.Slot), Is.EqualTo(Enumerable.Range(1000, 24).Concat(Enumerable.Range(0, 76)).Select(i => (uint)i)),
                "slots 1000 .. 1023, then 0 .. 75");
            Assert.That(seen.Select(f => f.Sequence), Is.EqualTo(Enumerable.Range(0, 100).Select(i => (ulong)i)), "numbered in order across the end");
            Assert.That(seen.All(f => f.Intact && f.Length == 60), Is.True);
        });
    }
}
