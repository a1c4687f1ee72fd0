using Netmap.Dynamic.Cli.Bridge;
using Netmap.Dynamic.Fake;
using Netmap.Dynamic.Interop;
using Netmap.Dynamic.Tests.Cli.Pcap;

namespace Netmap.Dynamic.Tests.Cli.Tools;

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
        uint j = rx.Head, k = tx.Head;
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
        uint k = tx.Head;
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
}
