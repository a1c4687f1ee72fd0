using Netmap.Dynamic.Benchmarks;
using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Tests.Benchmarks;

/// <summary>
/// The thin loop (the VM benchmark's yardstick) on the batch ring API, over a fake pipe: runs that
/// cross the ring's last slot (where a batch stops) still send and take every frame.
/// </summary>
public class ThinLoopTests
{
    [Test]
    public void Transmit_and_receive_cross_the_rings_end_and_every_frame_arrives_whole()
    {
        using FakeNetmapBackend backend = new();
        using NetmapPort tx = backend.OpenPort("netmap:thin{1");
        using NetmapPort rx = backend.OpenPort("netmap:thin}1");
        byte[] frame = BenchFrames.Frame();

        Assert.That(ThinLoop.Transmit(tx, 1000).Sent, Is.EqualTo(1000));
        Assert.That(ThinLoop.Receive(rx, 1000, idleTicks: long.MaxValue).Received, Is.EqualTo(1000));

        // Both heads are at slot 1000 now: the next 100 frames lie in slots 1000 .. 1023 and 0 .. 75.
        Assert.That(ThinLoop.Transmit(tx, 100).Sent, Is.EqualTo(100));
        rx.RxSync();
        NetmapRing ring = rx.GetRxRing(rx.FirstRxRing);
        List<(int Slot, byte[] Bytes)> seen = [];
        for (int i = ring.Head; i != ring.Tail; i = ring.Next(i)) seen.Add((i, ring.GetPacket(i).ToArray()));
        (long received, _, _) = ThinLoop.Receive(rx, 100, idleTicks: long.MaxValue);

        Assert.Multiple(() =>
        {
            Assert.That(seen.Select(f => f.Slot), Is.EqualTo(Enumerable.Range(1000, 24).Concat(Enumerable.Range(0, 76))));
            Assert.That(seen.All(f => f.Bytes.AsSpan().SequenceEqual(frame)), Is.True, "each buffer holds the frame, len set");
            Assert.That(received, Is.EqualTo(100));
            Assert.That(ring.Head, Is.EqualTo(76));
        });
    }
}
