using Netmap.Dynamic.Cli.Bridge;
using Netmap.Dynamic.Fake;
using Netmap.Dynamic.Interop;
using Netmap.Dynamic.Tests.Cli.Pcap;

namespace Netmap.Dynamic.Tests.Cli.Bridge;

/// <summary>What one forwarding step does to the slots of an RX and a TX ring.</summary>
public class BridgeLoopTests
{
    private sealed class Setup : IDisposable
    {
        public readonly FakeNetmapBackend Backend = new();
        public readonly NetmapPort Sender, Source, Destination;

        public Setup(string destination)
        {
            Sender = Backend.OpenPort("netmap:bl{1");
            Source = Backend.OpenPort("netmap:bl}1");
            Destination = Backend.OpenPort(destination);
            NetmapRing tx = Sender.GetTxRing(0);
            for (int i = 0; i < 3; i++) Assert.That(tx.TryWrite(TestFrames.Make(i, 60 + i)), Is.True);
            Sender.TxSync();
            Source.RxSync();
        }

        public NetmapRing Rx => Source.GetRxRing(0);
        public NetmapRing Tx => Destination.GetTxRing(0);

        public void Dispose() => Backend.Dispose();
    }

    [Test]
    public void Zero_copy_swaps_the_buffers_marks_both_slots_changed_and_carries_morefrag()
    {
        using Setup s = new("netmap:bl{2");
        NetmapRing rx = s.Rx, tx = s.Tx;
        int j = rx.Head, k = tx.Head;
        rx[j].Flags |= NetmapSlotFlags.NS_MOREFRAG;
        uint[] rxBuffers = [rx[j].BufferIndex, rx[rx.Next(j)].BufferIndex];
        uint[] txBuffers = [tx[k].BufferIndex, tx[tx.Next(k)].BufferIndex];
        long bytes = 0;

        uint moved = BridgeLoop.MoveRing(rx, tx, limit: 2, zeroCopy: true, ref bytes);

        Assert.Multiple(() =>
        {
            Assert.That(moved, Is.EqualTo(2), "the limit, not the three frames waiting");
            Assert.That(bytes, Is.EqualTo(60 + 61));
            Assert.That(new[] { tx[k].BufferIndex, tx[tx.Next(k)].BufferIndex }, Is.EqualTo(rxBuffers), "TX slots hold the received buffers");
            Assert.That(new[] { rx[j].BufferIndex, rx[rx.Next(j)].BufferIndex }, Is.EqualTo(txBuffers), "RX slots hold the TX slots' old buffers");
            Assert.That((tx[k].Length, tx[tx.Next(k)].Length), Is.EqualTo(((ushort)60, (ushort)61)));
            Assert.That(tx[k].Flags, Is.EqualTo(NetmapSlotFlags.NS_BUF_CHANGED | NetmapSlotFlags.NS_MOREFRAG));
            Assert.That(tx[tx.Next(k)].Flags, Is.EqualTo(NetmapSlotFlags.NS_BUF_CHANGED), "no MOREFRAG where the RX slot had none");
            Assert.That(rx[j].Flags & NetmapSlotFlags.NS_BUF_CHANGED, Is.EqualTo(NetmapSlotFlags.NS_BUF_CHANGED));
            Assert.That((rx.Head, tx.Head), Is.EqualTo((rx.Next(rx.Next(j)), tx.Next(tx.Next(k)))), "both rings advanced by two");
            Assert.That(rx.Space, Is.EqualTo(1), "one frame still waits");
        });
    }

    [Test]
    public void Copy_puts_the_bytes_in_the_tx_slots_own_buffer()
    {
        using Setup s = new("netmap:other{1");
        NetmapRing rx = s.Rx, tx = s.Tx;
        int k = tx.Head;
        uint txBuffer = tx[k].BufferIndex;
        long bytes = 0;

        uint moved = BridgeLoop.MoveRing(rx, tx, limit: 10, zeroCopy: false, ref bytes);

        Assert.Multiple(() =>
        {
            Assert.That((moved, bytes), Is.EqualTo((3u, 60L + 61 + 62)));
            Assert.That(tx[k].BufferIndex, Is.EqualTo(txBuffer), "no swap");
            Assert.That(tx.GetPacket(k).ToArray(), Is.EqualTo(TestFrames.Make(0, 60)));
            Assert.That(tx[k].Flags & NetmapSlotFlags.NS_BUF_CHANGED, Is.EqualTo(NetmapSlotFlags.None));
        });
    }

    [Test]
    public void Swapping_between_different_regions_is_refused()
    {
        using Setup s = new("netmap:other{1");
        long bytes = 0;
        Assert.Throws<ArgumentException>(() => BridgeLoop.MoveRing(s.Rx, s.Tx, 10, zeroCopy: true, ref bytes));
    }

    // Source RX head at `rxHead`, destination TX head at `txHead` (every slot free again), then
    // `count` frames waiting on the source; returns the destination's peer, which receives what the
    // destination sends.
    private static NetmapPort Position(Setup s, int rxHead, int txHead, int count)
    {
        NetmapPort peer = s.Backend.OpenPort("netmap:bl}2");
        Pass(s.Sender, s.Source, rxHead, i => TestFrames.Make(i, 60));
        Pass(s.Destination, peer, txHead, i => TestFrames.Make(i, 60));
        NetmapRing tx = s.Sender.GetTxRing(0);
        for (int i = 0; i < count; i++) Assert.That(tx.TryWrite(TestFrames.Make(i, 60 + i)), Is.True);
        s.Sender.TxSync();
        s.Source.RxSync();
        return peer;
    }

    // Sends `count` frames from `from` to `to` and releases them there, so both heads move on by `count`.
    private static void Pass(NetmapPort from, NetmapPort to, int count, Func<int, byte[]> frame)
    {
        NetmapRing tx = from.GetTxRing(0);
        for (int i = 0; i < count; i++) Assert.That(tx.TryWrite(frame(i)), Is.True);
        from.TxSync();
        to.RxSync();
        to.GetRxRing(0).Advance(to.GetRxRing(0).Space);
        to.RxSync();
        from.TxSync();
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Frames_move_in_order_across_the_end_of_both_rings(bool zeroCopy)
    {
        using Setup s = new("netmap:bl{2");
        s.Source.GetRxRing(0).Advance(3);   // drop the setup's frames
        s.Source.RxSync();
        using NetmapPort peer = Position(s, rxHead: 1020 - 3, txHead: 1000, count: 40);
        Assert.That((s.Rx.Head, s.Tx.Head), Is.EqualTo((1020, 1000)));
        long bytes = 0;

        uint moved = BridgeLoop.MoveRing(s.Rx, s.Tx, limit: 512, zeroCopy, ref bytes);   // RX wraps after 4 frames, TX after 24

        s.Destination.TxSync();
        peer.RxSync();
        NetmapRing arrived = peer.GetRxRing(0);
        List<byte[]> frames = [];
        while (arrived.TryRead(out ReadOnlySpan<byte> frame)) frames.Add(frame.ToArray());
        Assert.Multiple(() =>
        {
            Assert.That(moved, Is.EqualTo(40));
            Assert.That(bytes, Is.EqualTo(Enumerable.Range(0, 40).Sum(i => 60L + i)));
            Assert.That((s.Rx.Head, s.Tx.Head), Is.EqualTo((36, 16)));
            Assert.That(frames, Is.EqualTo(Enumerable.Range(0, 40).Select(i => TestFrames.Make(i, 60 + i))), "every frame, whole and in order");
        });
    }

    [Test]
    public void No_more_frames_move_than_the_destination_has_room_for()
    {
        using Setup s = new("netmap:bl{2");
        NetmapRing tx = s.Tx;
        for (int i = 0; i < 1021; i++) Assert.That(tx.TryWrite(TestFrames.Make(i, 60)), Is.True);   // nobody receives them: 2 slots stay free
        long bytes = 0;

        uint moved = BridgeLoop.MoveRing(s.Rx, tx, limit: 512, zeroCopy: true, ref bytes);

        Assert.Multiple(() =>
        {
            Assert.That((moved, bytes), Is.EqualTo((2u, 60L + 61)));
            Assert.That(tx.Space, Is.EqualTo(0));
            Assert.That(s.Rx.Space, Is.EqualTo(1), "the third frame still waits");
        });
    }
}
