using Netmap.Dynamic.Cli.Shared;
using Netmap.Dynamic.Cli;
using Netmap.Dynamic.Cli.Pcap;
using Netmap.Dynamic.Cli.PktGen;
using Netmap.Dynamic.Cli.Replay;
using Netmap.Dynamic.Fake;
using Netmap.Dynamic.Tests.Cli.Pcap;

namespace Netmap.Dynamic.Tests.Cli.Replay;

/// <summary>When a replay sends each frame: the pacer's arithmetic, and the loop held to it on a virtual clock.</summary>
public class ReplayPacingTests
{
    [Test]
    public void As_fast_as_possible_every_frame_is_due_at_once()
    {
        ReplayPacer pacer = ReplayPacer.AsFastAsPossible();
        Assert.That((pacer.IsPaced, pacer.DueAfterStart(123_456_789, 1000, 3)), Is.EqualTo((false, 0L)));
    }

    [Test]
    public void A_fixed_rate_spaces_frames_evenly_over_all_loops()
    {
        ReplayPacer pacer = ReplayPacer.FixedRate(2.0);   // 2 Mpps: one frame every 500 ns
        Assert.That(new[] { 0L, 1, 2, 1000 }.Select(n => pacer.DueAfterStart(0, n, 0)), Is.EqualTo(new[] { 0L, 500, 1000, 500_000 }));
    }

    [Test]
    public void The_files_pace_keeps_its_gaps_divided_by_the_speed_and_loops_after_one_mean_gap()
    {
        // Frames at 10 s, 11 s, 13 s: 3 s long, mean gap 1.5 s, so a loop lasts 4.5 s.
        const long s = 1_000_000_000;
        ReplayPacer pacer = ReplayPacer.FileTimes(speed: 2, firstTimestamp: 10 * s, lastTimestamp: 13 * s, frames: 3);
        Assert.Multiple(() =>
        {
            Assert.That(pacer.DueAfterStart(10 * s, 0, 0), Is.Zero);
            Assert.That(pacer.DueAfterStart(11 * s, 1, 0), Is.EqualTo(s / 2));
            Assert.That(pacer.DueAfterStart(13 * s, 2, 0), Is.EqualTo(3 * s / 2));
            Assert.That(pacer.DueAfterStart(10 * s, 3, 1), Is.EqualTo(9 * s / 4));
            Assert.That(pacer.DueAfterStart(13 * s, 5, 1), Is.EqualTo(15 * s / 4));
            Assert.That(pacer.DueAfterStart(9 * s, 0, 0), Is.Zero, "a frame stamped before the first one is due at once");
        });
    }

    [TestCase("2x", 2.0)]
    [TestCase("0.5X", 0.5)]
    [TestCase("3", 3.0)]
    [TestCase("0x", null)]
    [TestCase("-1x", null)]
    [TestCase("fast", null)]
    [TestCase("NaNx", null)]
    public void Speed_is_read_with_or_without_its_x(string text, double? speed) =>
        Assert.That(ReplayOptions.ParseSpeed(text), Is.EqualTo(speed));

    [Test]
    public void The_loop_sends_each_frame_when_it_is_due_and_not_before()
    {
        const long s = 1_000_000_000;
        byte[][] frames = TestFrames.Many(4);
        byte[] file = new PcapFileBuilder().Record(50, 0, frames[0]).Record(50, 250_000_000, frames[1]).Record(51, 0, frames[2]).Record(53, 0, frames[3]).ToArray();
        using FakeNetmapBackend backend = new();
        using NetmapPort port = backend.OpenPort("netmap:pace{1");
        using NetmapPort peer = backend.OpenPort("netmap:pace}1");
        using PcapReader reader = PcapReader.Open(new MemoryStream(file), "pace.pcap");
        PcapSummary summary = PcapSummary.Scan(reader);
        TrafficCounters counters = new();
        VirtualClock clock = new() { Observe = () => counters.Frames };
        ReplayPacer pacer = ReplayPacer.FileTimes(1, summary.FirstTimestamp, summary.LastTimestamp, summary.Frames);

        ReplayTotals totals = ReplayLoop.Run(port, reader, pacer, loops: 2, batch: 64, new RunControl(CancellationToken.None, null), counters, clock);

        // Due times: 0, 0.25, 1, 3 s, then (loop period 3 s + mean gap 1 s) 4, 4.25, 5, 7 s.
        long[] due = [0, s / 4, s, 3 * s, 4 * s, (4 * s) + (s / 4), 5 * s, 7 * s];
        Assert.That(totals.Sent, Is.EqualTo(8));
        Assert.That(clock.Elapsed, Is.EqualTo(7 * s), "the last frame is due at 7 s");
        foreach ((long from, long sentSoFar) in clock.Waits)
            Assert.That(sentSoFar, Is.EqualTo(due.Count(d => d <= from)), $"frames sent by {from} ns");
        Assert.That(clock.Waits.Select(w => w.From), Is.SupersetOf(due[..^1]), "it waited at every due time before the last");
        peer.RxSync();
        Assert.That(peer.GetRxRing(0).Space, Is.EqualTo(8));
    }
}
