using Netmap.Dynamic.Cli.Shared;
using Netmap.Dynamic.Cli;
using Netmap.Dynamic.Cli.Bridge;
using Netmap.Dynamic.Cli.Capture;
using Netmap.Dynamic.Cli.Pcap;
using Netmap.Dynamic.Cli.PktGen;
using Netmap.Dynamic.Cli.Replay;
using Netmap.Dynamic.Fake;
using Netmap.Dynamic.Tests.Cli.Pcap;

namespace Netmap.Dynamic.Tests.Cli.Shared;

/// <summary>
/// The hot loops of bridge, capture and replay allocate nothing per frame: a run 20 times
/// longer allocates far less than a byte per extra frame (as PktGenAllocationTests holds pkt-gen).
/// What may grow is a few dozen bytes per Poll that really blocks inside the fake.
/// </summary>
[NonParallelizable]
public class ToolAllocationTests
{
    private static readonly byte[] s_frame = TestFrames.Make(0, 60);

    private static long Allocated(Action run)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        run();
        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }

    private static void AssertFlat(Func<long, long> allocatedFor, string what)
    {
        allocatedFor(10_000);   // warm up: JIT, tiering, statics
        long small = allocatedFor(10_000);
        // The least of two long runs: an allocation per frame (200 kB and more) shows in both, while
        // the fake's blocking polls, whose count depends on how the threads were scheduled, rarely
        // push both over (one run of five went to 236 kB on a loaded host).
        long large = Math.Min(allocatedFor(200_000), allocatedFor(200_000));
        TestContext.Out.WriteLine($"{what}: {small} B for 10k frames, {large} B for 200k frames");
        Assert.That(large - small, Is.LessThan(190_000));
    }

    [Test]
    public void Bridge_forwarding_allocates_nothing_per_frame() => AssertFlat(frames =>
    {
        using FakeNetmapBackend backend = new();
        using NetmapPort left = backend.OpenPort("netmap:ba{1");
        using NetmapPort right = backend.OpenPort("netmap:ba}2");
        using CancellationTokenSource stop = new();
        using ManualResetEventSlim opened = new();
        Thread bridge = new(() => BridgeRunner.Run(new BridgeOptions { PortA = "netmap:ba}1", PortB = "netmap:ba{2", RateIntervalSeconds = 0 }, backend, TextWriter.Null, stop.Token, opened));
        bridge.Start();
        opened.Wait();
        long allocated = Allocated(() => PortTraffic.Exchange(left, right, frames, _ => s_frame));
        stop.Cancel();
        bridge.Join();
        return allocated;
    }, "bridge");

    [Test]
    public void Capture_allocates_nothing_per_frame() => AssertFlat(frames =>
    {
        using FakeNetmapBackend backend = new();
        using NetmapPort sender = backend.OpenPort("netmap:ca{1");
        using NetmapPort port = backend.OpenPort("netmap:ca}1");
        using PcapWriter writer = new(PcapBufferSink.Background(Stream.Null), PcapFormat.MaxSnapLength);
        TrafficCounters counters = new();
        UnixClock clock = new();
        long allocated = 0;
        Thread capture = new(() => allocated = Allocated(() => CaptureLoop.Run(port, writer, frames, new RunControl(CancellationToken.None, null), counters, clock)));
        capture.Start();
        NetmapRing tx = sender.GetTxRing(0);
        for (long sent = 0; sent < frames;)
        {
            while (sent < frames && tx.TryWrite(s_frame)) sent++;
            sender.TxSync();
            if (sent < frames) sender.Poll(NetmapPollEvents.Transmit, TimeSpan.FromMilliseconds(50));
        }
        capture.Join();
        Assert.That(counters.Frames, Is.EqualTo(frames));
        return allocated;
    }, "capture");

    [Test]
    public void Replay_allocates_nothing_per_frame() => AssertFlat(frames =>
    {
        // 100 frames, looped: the loop re-reads the file without allocating; a fake VALE port takes everything.
        PcapFileBuilder file = new();
        for (int i = 0; i < 100; i++) file.Record(1, (uint)i, TestFrames.Make(i, 60 + i));
        using FakeNetmapBackend backend = new();
        using NetmapPort port = backend.OpenPort("vale0:ra");
        using PcapReader reader = PcapReader.Open(new MemoryStream(file.ToArray()), "a.pcap");
        TrafficCounters counters = new();
        ReplayTotals totals = default;
        long allocated = Allocated(() => totals = ReplayLoop.Run(port, reader, ReplayPacer.AsFastAsPossible(), frames / 100, 512,
            new RunControl(CancellationToken.None, null), counters, SystemReplayClock.Instance));
        Assert.That(totals.Sent, Is.EqualTo(frames));
        return allocated;
    }, "replay");
}
