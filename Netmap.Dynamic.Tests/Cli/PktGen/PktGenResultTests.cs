using System.Diagnostics;
using System.Text.Json;
using Netmap.Dynamic.Cli.PktGen;

namespace Netmap.Dynamic.Tests.Cli.PktGen;

public class PktGenResultTests
{
    private static PktGenResult Result(PktGenMode mode, long sent, long received, long lost = 0, long outOfOrder = 0, long corrupt = 0) => new()
    {
        Backend = "fake",
        Mode = mode,
        Port = "netmap:p{1",
        Peer = mode is PktGenMode.TxRx or PktGenMode.Ping ? "netmap:p}1" : null,
        Size = 60,
        Sent = sent,
        Received = received,
        Lost = lost,
        OutOfOrder = outOfOrder,
        Corrupt = corrupt,
        Seconds = 0.5,
    };

    [Test]
    public void Rates_follow_pkt_gen()
    {
        PktGenResult r = Result(PktGenMode.TxRx, 1_000_000, 1_000_000);
        // 1e6 frames in 0.5 s; 60 B each, 84 B with CRC, preamble and gap.
        Assert.That(r.Mpps, Is.EqualTo(2.0).Within(1e-9));
        Assert.That(r.Gbps, Is.EqualTo(1e6 * 60 * 8 / 0.5 / 1e9).Within(1e-9));
        Assert.That(r.WireGbps, Is.EqualTo(1e6 * 84 * 8 / 0.5 / 1e9).Within(1e-9));
        Assert.That(Result(PktGenMode.Tx, 500_000, 0).Mpps, Is.EqualTo(1.0).Within(1e-9), "tx rates count sent frames");
    }

    [Test]
    public void Json_has_every_field_named_by_the_issue()
    {
        PktGenResult r = Result(PktGenMode.TxRx, 10, 9, lost: 1);
        using JsonDocument doc = JsonDocument.Parse(r.ToJson());
        JsonElement root = doc.RootElement;
        foreach (string name in new[] { "backend", "mode", "port", "peer", "size", "sent", "received", "lost", "outOfOrder", "corrupt", "seconds", "mpps", "gbps" })
        {
            Assert.That(root.TryGetProperty(name, out _), Is.True, name);
        }
        Assert.That(root.GetProperty("backend").GetString(), Is.EqualTo("fake"));
        Assert.That(root.GetProperty("mode").GetString(), Is.EqualTo("txrx"));
        Assert.That(root.GetProperty("peer").GetString(), Is.EqualTo("netmap:p}1"));
        Assert.That(root.GetProperty("sent").GetInt64(), Is.EqualTo(10));
        Assert.That(root.GetProperty("lost").GetInt64(), Is.EqualTo(1));
        Assert.That(root.GetProperty("mpps").GetDouble(), Is.EqualTo(9 / 0.5 / 1e6).Within(1e-4));
        Assert.That(root.GetProperty("passed").GetBoolean(), Is.False);
    }

    [Test]
    public void Json_peer_is_null_without_a_peer()
    {
        using JsonDocument doc = JsonDocument.Parse(Result(PktGenMode.Rx, 0, 5).ToJson());
        Assert.That(doc.RootElement.GetProperty("peer").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public void Passed_needs_every_frame_back_intact_and_in_order()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Result(PktGenMode.TxRx, 10, 10).Passed, Is.True);
            Assert.That(Result(PktGenMode.TxRx, 10, 9, lost: 1).Passed, Is.False);
            Assert.That(Result(PktGenMode.TxRx, 10, 10, outOfOrder: 1).Passed, Is.False);
            Assert.That(Result(PktGenMode.TxRx, 10, 10, corrupt: 1).Passed, Is.False);
            Assert.That(Result(PktGenMode.TxRx, 0, 0).Passed, Is.False, "nothing sent proves nothing");
            Assert.That(Result(PktGenMode.Ping, 3, 2, lost: 1).Passed, Is.False);
            Assert.That(Result(PktGenMode.Rx, 0, 10, lost: 2).Passed, Is.False);
            Assert.That(Result(PktGenMode.Rx, 0, 10).Passed, Is.True);
            Assert.That(Result(PktGenMode.Tx, 10, 0).Passed, Is.True);
        });
    }

    [Test]
    public void Pong_fails_only_on_corrupt_frames()
    {
        Assert.That(Result(PktGenMode.Pong, 5, 5).Passed, Is.True);
        Assert.That(Result(PktGenMode.Pong, 5, 5, corrupt: 1).Passed, Is.False);
    }

    [Test]
    public void Measured_bytes_set_the_bit_rates()
    {
        // 1000 frames received, 500,000 bytes in all (not 60 each), in 0.5 s.
        PktGenResult r = Result(PktGenMode.Rx, 0, 1000) with { Bytes = 500_000 };
        Assert.That(r.Gbps, Is.EqualTo(500_000 * 8 / 0.5 / 1e9).Within(1e-12));
        Assert.That(r.WireGbps, Is.EqualTo((500_000 + (1000 * 24)) * 8 / 0.5 / 1e9).Within(1e-12));
        Assert.That(Result(PktGenMode.Rx, 0, 1000).RatedBytes, Is.EqualTo(60_000), "without a measured total: --size per frame");
    }

    [Test]
    public void Threads_combine_by_summing_counts_and_rates()
    {
        PktGenResult a = Result(PktGenMode.TxRx, 1000, 1000) with { Port = "netmap:p{1-0", Bytes = 60_000, Seconds = 0.5 };
        PktGenResult b = Result(PktGenMode.TxRx, 3000, 2999, lost: 1) with { Port = "netmap:p{1-1", Bytes = 179_940, Seconds = 1.0 };

        PktGenResult all = PktGenResult.Combine([a, b]);

        Assert.Multiple(() =>
        {
            Assert.That(all.Sent, Is.EqualTo(4000));
            Assert.That(all.Received, Is.EqualTo(3999));
            Assert.That(all.Lost, Is.EqualTo(1));
            Assert.That(all.Bytes, Is.EqualTo(239_940));
            Assert.That(all.Seconds, Is.EqualTo(1.0), "the longest thread");
            Assert.That(all.Mpps, Is.EqualTo((1000 / 0.5 / 1e6) + (2999 / 1.0 / 1e6)).Within(1e-12), "each thread's rate, summed");
            Assert.That(all.Passed, Is.False, "one thread lost a frame");
        });
        using JsonDocument doc = JsonDocument.Parse(all.ToJson());
        JsonElement[] threads = [.. doc.RootElement.GetProperty("threads").EnumerateArray()];
        Assert.That(threads.Select(t => t.GetProperty("port").GetString()), Is.EqualTo(new[] { "netmap:p{1-0", "netmap:p{1-1" }));
        Assert.That(threads[1].GetProperty("lost").GetInt64(), Is.EqualTo(1));
        Assert.That(all.ToText(), Does.Contain("2 threads").And.Contain("netmap:p{1-1"));
    }

    [Test]
    public void Latency_percentiles_are_nearest_rank()
    {
        LatencyRecorder recorder = new(capacity: 1000);
        long tick = Math.Max(1, Stopwatch.Frequency / 1_000_000);   // ticks per microsecond
        for (int i = 100; i >= 1; i--)
        {
            recorder.Record(i * tick);
        }
        LatencySummary s = recorder.Summarize()!;
        double us = tick * 1e6 / Stopwatch.Frequency;
        Assert.That(s.MinUs, Is.EqualTo(1 * us).Within(1e-9));
        Assert.That(s.MedianUs, Is.EqualTo(50 * us).Within(1e-9));
        Assert.That(s.P99Us, Is.EqualTo(99 * us).Within(1e-9));
        Assert.That(s.MaxUs, Is.EqualTo(100 * us).Within(1e-9));
        Assert.That(s.Samples, Is.EqualTo(100));
    }

    [Test]
    public void Latency_beyond_capacity_keeps_exact_extremes_and_a_sample()
    {
        LatencyRecorder recorder = new(capacity: 16);
        for (int i = 1; i <= 10_000; i++)
        {
            recorder.Record(i);
        }
        LatencySummary s = recorder.Summarize()!;
        double perTick = 1e6 / Stopwatch.Frequency;
        Assert.That(s.Samples, Is.EqualTo(10_000));
        Assert.That(s.MinUs, Is.EqualTo(1 * perTick).Within(1e-12));
        Assert.That(s.MaxUs, Is.EqualTo(10_000 * perTick).Within(1e-9));
        Assert.That(s.MedianUs, Is.InRange(s.MinUs, s.MaxUs));
        Assert.That(new LatencyRecorder(4).Summarize(), Is.Null);
    }
}
