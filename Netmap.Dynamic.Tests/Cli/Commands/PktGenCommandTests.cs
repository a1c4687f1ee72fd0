using System.Text.Json;
using Netmap.Dynamic.Cli.Shared;
using Netmap.Dynamic.Cli;
using Netmap.Dynamic.Cli.Commands;
using Netmap.Dynamic.Cli.PktGen;
using Netmap.Dynamic.Fake;
using Netmap.Dynamic.Tests.Cli.Shared;
using Netmap.Dynamic.Tests.Loading;

namespace Netmap.Dynamic.Tests.Cli.Commands;

/// <summary>`netmap pkt-gen` end to end on the fake backend, in-process, with small counts.</summary>
public class PktGenCommandTests
{
    private static JsonElement Json(string stdout)
    {
        using JsonDocument doc = JsonDocument.Parse(stdout);
        return doc.RootElement.Clone();
    }

    [Test]
    public void Default_txrx_over_the_pipe_delivers_every_frame()
    {
        (int exit, string stdout, string stderr) = CliRunner.Run("pkt-gen", "--backend", "fake", "-n", "20000", "--json", "--rate-interval", "0");
        Assert.That(exit, Is.EqualTo(ExitCodes.Success), stderr);
        JsonElement j = Json(stdout);
        Assert.Multiple(() =>
        {
            Assert.That(j.GetProperty("backend").GetString(), Is.EqualTo("fake"));
            Assert.That(j.GetProperty("mode").GetString(), Is.EqualTo("txrx"));
            Assert.That(j.GetProperty("port").GetString(), Is.EqualTo("netmap:pktgen{1"));
            Assert.That(j.GetProperty("peer").GetString(), Is.EqualTo("netmap:pktgen}1"));
            Assert.That(j.GetProperty("size").GetInt32(), Is.EqualTo(60));
            Assert.That(j.GetProperty("sent").GetInt64(), Is.EqualTo(20000));
            Assert.That(j.GetProperty("received").GetInt64(), Is.EqualTo(20000));
            Assert.That(j.GetProperty("lost").GetInt64(), Is.Zero);
            Assert.That(j.GetProperty("outOfOrder").GetInt64(), Is.Zero);
            Assert.That(j.GetProperty("corrupt").GetInt64(), Is.Zero);
            Assert.That(j.GetProperty("seconds").GetDouble(), Is.GreaterThan(0));
            Assert.That(j.GetProperty("mpps").GetDouble(), Is.GreaterThan(0));
            Assert.That(j.GetProperty("gbps").GetDouble(), Is.GreaterThan(0));
        });
    }

    [Test]
    public void Short_aliases_set_size_batch_and_port_and_the_peer_is_the_other_pipe_end()
    {
        (int exit, string stdout, string stderr) = CliRunner.Run("pkt-gen", "--backend", "fake", "-f", "txrx", "-i", "netmap:t{7", "-n", "3000", "-l", "1514", "-b", "7", "--json", "--rate-interval", "0");
        Assert.That(exit, Is.EqualTo(ExitCodes.Success), stderr);
        JsonElement j = Json(stdout);
        Assert.That(j.GetProperty("peer").GetString(), Is.EqualTo("netmap:t}7"));
        Assert.That(j.GetProperty("size").GetInt32(), Is.EqualTo(1514));
        Assert.That(j.GetProperty("received").GetInt64(), Is.EqualTo(3000));
        // gbps is frame bytes × 8 / seconds: check it against the reported frames and time.
        double expected = 3000 * 1514 * 8 / j.GetProperty("seconds").GetDouble() / 1e9;
        Assert.That(j.GetProperty("gbps").GetDouble(), Is.EqualTo(expected).Within(expected * 0.01 + 1e-3));
    }

    [Test]
    public void Frames_longer_than_a_buffer_cross_a_pipe_in_several_slots_each()
    {
        (int exit, string stdout, string stderr) = CliRunner.Run("pkt-gen", "--backend", "fake", "-f", "txrx", "-i", "netmap:j{1", "-n", "2000", "-l", "9000", "--json", "--rate-interval", "0");
        Assert.That(exit, Is.EqualTo(ExitCodes.Success), stderr);
        JsonElement j = Json(stdout);
        Assert.Multiple(() =>
        {
            Assert.That(j.GetProperty("size").GetInt32(), Is.EqualTo(9000));
            Assert.That(j.GetProperty("received").GetInt64(), Is.EqualTo(2000), "frames, not slots");
            Assert.That(j.GetProperty("corrupt").GetInt64(), Is.Zero);
            Assert.That(j.GetProperty("outOfOrder").GetInt64(), Is.Zero);
        });
    }

    [Test]
    public void Ping_refuses_frames_longer_than_a_buffer()
    {
        (int exit, _, string stderr) = CliRunner.Run("pkt-gen", "--backend", "fake", "-f", "ping", "-i", "netmap:j{2", "-n", "10", "-l", "9000", "--rate-interval", "0");
        Assert.That(exit, Is.EqualTo(ExitCodes.Failure));
        Assert.That(stderr, Does.Contain("one slot per frame"));
    }

    [Test]
    public void Txrx_through_a_vale_switch()
    {
        (int exit, string stdout, string stderr) = CliRunner.Run("pkt-gen", "--backend", "fake", "-i", "vale0:a", "--peer", "vale0:b", "-n", "5000", "--json", "--rate-interval", "0");
        Assert.That(exit, Is.EqualTo(ExitCodes.Success), stderr);
        Assert.That(Json(stdout).GetProperty("received").GetInt64(), Is.EqualTo(5000));
    }

    [Test]
    public void Txrx_without_verify_counts_and_passes_when_every_frame_arrived()
    {
        (int exit, string stdout, string stderr) = CliRunner.Run("pkt-gen", "--backend", "fake", "-n", "20000", "--verify", "false", "--json", "--rate-interval", "0");
        Assert.That(exit, Is.EqualTo(ExitCodes.Success), stderr);
        JsonElement j = Json(stdout);
        Assert.That(j.GetProperty("verify").GetBoolean(), Is.False);
        Assert.That(j.GetProperty("received").GetInt64(), Is.EqualTo(20000));
        Assert.That(j.GetProperty("bytes").GetInt64(), Is.EqualTo(20000 * 60));
    }

    [TestCase("txrx", true)]
    [TestCase("tx", false)]
    public void Verify_defaults_to_on_only_where_both_ends_are_this_tool(string mode, bool expected)
    {
        (int exit, string stdout, string stderr) = CliRunner.Run("pkt-gen", "--backend", "fake", "-f", mode, "-n", "100", "--json", "--rate-interval", "0");
        Assert.That(exit, Is.EqualTo(ExitCodes.Success), stderr);
        Assert.That(Json(stdout).GetProperty("verify").GetBoolean(), Is.EqualTo(expected));
        (_, string flagged, _) = CliRunner.Run("pkt-gen", "--backend", "fake", "-f", mode, "-n", "100", "--json", "--rate-interval", "0", "--verify");
        Assert.That(Json(flagged).GetProperty("verify").GetBoolean(), Is.True, "--verify alone turns it on");
    }

    [Test]
    public void Text_summary_without_json()
    {
        (int exit, string stdout, _) = CliRunner.Run("pkt-gen", "--backend", "fake", "-n", "1000", "--rate-interval", "0");
        Assert.That(exit, Is.EqualTo(ExitCodes.Success));
        Assert.That(stdout, Does.Contain("sent 1000, received 1000, lost 0").And.Contain("Mpps").And.Contain("Gbps"));
    }

    [Test]
    public void Ping_pong_measures_round_trips()
    {
        (int exit, string stdout, string stderr) = CliRunner.Run("pkt-gen", "--backend", "fake", "-f", "ping", "-n", "200", "--json", "--rate-interval", "0");
        Assert.That(exit, Is.EqualTo(ExitCodes.Success), stderr);
        JsonElement j = Json(stdout);
        Assert.That(j.GetProperty("sent").GetInt64(), Is.EqualTo(200));
        Assert.That(j.GetProperty("received").GetInt64(), Is.EqualTo(200));
        JsonElement l = j.GetProperty("latencyUs");
        Assert.That(l.GetProperty("samples").GetInt64(), Is.EqualTo(200));
        Assert.That(l.GetProperty("min").GetDouble(), Is.GreaterThan(0));
        Assert.That(l.GetProperty("min").GetDouble(), Is.LessThanOrEqualTo(l.GetProperty("median").GetDouble()));
        Assert.That(l.GetProperty("median").GetDouble(), Is.LessThanOrEqualTo(l.GetProperty("p99").GetDouble()));
        Assert.That(l.GetProperty("p99").GetDouble(), Is.LessThanOrEqualTo(l.GetProperty("max").GetDouble()));
    }

    [Test]
    public void Tx_alone_sends_what_the_ring_holds()
    {
        (int exit, string stdout, string stderr) = CliRunner.Run("pkt-gen", "--backend", "fake", "-f", "tx", "-n", "500", "--json", "--rate-interval", "0");
        Assert.That(exit, Is.EqualTo(ExitCodes.Success), stderr);
        Assert.That(Json(stdout).GetProperty("sent").GetInt64(), Is.EqualTo(500));
    }

    [Test]
    public void Rx_with_verify_counts_a_gap_in_the_sequence_as_lost()
    {
        using FakeNetmapBackend backend = new();
        using NetmapPort sender = backend.OpenPort("netmap:g{1");
        FrameBuilder builder = new(60);
        NetmapRing ring = sender.GetTxRing(sender.FirstTxRing);
        foreach (ulong sequence in new ulong[] { 0, 1, 2, 4, 5 })   // 3 never sent
        {
            int i = ring.Head;
            builder.Write(ring.GetBuffer(i), sequence);
            ring[i].Length = 60;
            ring.Advance(1);
        }
        sender.TxSync();

        using StringWriter stdout = new();
        using StringWriter stderr = new();
        PktGenOptions options = new() { Mode = PktGenMode.Rx, Port = "netmap:g}1", Count = 5, Verify = true, Json = true, RateIntervalSeconds = 0 };
        int exit = PktGenCommand.Execute(options, backend, stdout, stderr, CancellationToken.None);

        Assert.That(exit, Is.EqualTo(ExitCodes.Failure), stderr.ToString());
        JsonElement j = Json(stdout.ToString());
        Assert.That(j.GetProperty("received").GetInt64(), Is.EqualTo(5));
        Assert.That(j.GetProperty("lost").GetInt64(), Is.EqualTo(1));
        Assert.That(j.GetProperty("outOfOrder").GetInt64(), Is.Zero);
        Assert.That(j.GetProperty("corrupt").GetInt64(), Is.Zero);
    }

    [Test]
    public void Ctrl_c_stops_cleanly_with_the_summary_so_far()
    {
        using FakeNetmapBackend backend = new();
        using CancellationTokenSource interrupt = new();
        using StringWriter stdout = new();
        // The first rate line proves traffic is flowing; "press Ctrl+C" then.
        using CancelOnFirstLine stderr = new(interrupt);
        PktGenOptions options = new() { Peer = PktGenOptions.DefaultPeer, Count = long.MaxValue, Json = true, RateIntervalSeconds = 0.02 };

        int exit = PktGenCommand.Execute(options, backend, stdout, stderr, interrupt.Token);

        JsonElement j = Json(stdout.ToString());
        Assert.That(j.GetProperty("interrupted").GetBoolean(), Is.True);
        Assert.That(j.GetProperty("sent").GetInt64(), Is.GreaterThan(0));
        Assert.That(j.GetProperty("received").GetInt64(), Is.EqualTo(j.GetProperty("sent").GetInt64()), "the receiver collects what was in flight");
        Assert.That(exit, Is.EqualTo(ExitCodes.Success));
    }

    private sealed class CancelOnFirstLine(CancellationTokenSource source) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            source.Cancel();
        }
    }

    [TestCase("-l", "59")]
    [TestCase("-l", "65536")]
    [TestCase("--size", "abc")]
    [TestCase("-n", "0")]
    [TestCase("-b", "0")]
    [TestCase("-f", "bogus")]
    [TestCase("--backend", "dpdk")]
    [TestCase("--duration", "-1")]
    [TestCase("--rate-interval", "-1")]
    [TestCase("--no-such-option", "1")]
    public void Bad_options_exit_2_with_a_message(string option, string value)
    {
        (int exit, _, string stderr) = CliRunner.Run("pkt-gen", "--backend", "fake", option, value);
        Assert.That(exit, Is.EqualTo(ExitCodes.Usage));
        Assert.That(stderr, Is.Not.Empty);
    }

    [Test]
    public void Peer_rules_exit_2()
    {
        Assert.That(CliRunner.Run("pkt-gen", "--backend", "fake", "-f", "tx", "--peer", "netmap:x}1").Exit, Is.EqualTo(ExitCodes.Usage));
        (int exit, _, string stderr) = CliRunner.Run("pkt-gen", "--backend", "fake", "-i", "vale0:a");
        Assert.That(exit, Is.EqualTo(ExitCodes.Usage));
        Assert.That(stderr, Does.Contain("--peer"));
    }

    [Test]
    public void Malformed_port_spec_exits_2()
    {
        (int exit, _, string stderr) = CliRunner.Run("pkt-gen", "--backend", "fake", "-f", "tx", "-i", "netmap:", "-n", "1");
        Assert.That(exit, Is.EqualTo(ExitCodes.Usage), stderr);
    }

    [TestCase("tx", "netmap:x{1/R", null, "--port netmap:x{1/R")]
    [TestCase("rx", "netmap:x}1/T", null, "--port netmap:x}1/T")]
    [TestCase("txrx", "netmap:x{1/R", "netmap:x}1", "--port netmap:x{1/R")]
    [TestCase("txrx", "netmap:x{1", "netmap:x}1/T", "--peer netmap:x}1/T")]
    [TestCase("ping", "netmap:x{1", "netmap:x}1/R", "--peer netmap:x}1/R")]
    [TestCase("pong", "netmap:x}1/T", null, "--port netmap:x}1/T")]
    public void A_side_without_rings_in_its_direction_exits_2(string mode, string port, string? peer, string named)
    {
        // Without this check tx on a /R port waited for ever for a TX slot.
        List<string> args = ["pkt-gen", "--backend", "fake", "-f", mode, "-i", port, "-n", "10", "--rate-interval", "0"];
        if (peer is not null) args.AddRange(["--peer", peer]);
        (int exit, _, string stderr) = CliRunner.Run([.. args]);
        Assert.That(exit, Is.EqualTo(ExitCodes.Usage), stderr);
        Assert.That(stderr, Does.Contain(named));
    }

    [Test]
    public void Missing_port_exits_1()
    {
        (int exit, _, string stderr) = CliRunner.Run("pkt-gen", "--backend", "fake", "-f", "tx", "-i", "netmap:doesnotexist", "-n", "1");
        Assert.That(exit, Is.EqualTo(ExitCodes.Failure));
        Assert.That(stderr, Does.Contain("doesnotexist"));
    }

    [Test]
    public void Native_backend_unavailable_exits_3()
    {
        (int exit, _, string stderr) = CliRunner.Run("pkt-gen", "--backend", "native", "--device", NativeTestFiles.MissingDevice, "-n", "10");
        Assert.That(exit, Is.EqualTo(ExitCodes.Unavailable));
        Assert.That(stderr, Does.Contain("native").And.Contain("DeviceNotFound"));
    }

    [Test]
    public void Auto_falls_back_to_the_fake_with_one_note()
    {
        (int exit, string stdout, string stderr) = CliRunner.Run("pkt-gen", "--device", NativeTestFiles.MissingDevice, "-n", "100", "--json", "--rate-interval", "0");
        Assert.That(exit, Is.EqualTo(ExitCodes.Success), stderr);
        Assert.That(Json(stdout).GetProperty("backend").GetString(), Is.EqualTo("fake"));
        Assert.That(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1).And.Some.Contains("fake"));
    }
}

/// <summary>The lossy case: the fake drops frames in flight, pkt-gen must count them and exit 1.</summary>
public class PktGenLossTests
{

    [Test]
    public void Frames_dropped_in_flight_are_counted_lost_and_exit_1()
    {
        using FakeNetmapBackend backend = new();
        backend.DropFrames("vale1:tx", 37);   // the sender's next 37 frames vanish on the way
        using StringWriter stdout = new();
        using StringWriter stderr = new();
        PktGenOptions options = new() { Port = "vale1:tx", Peer = "vale1:rx", Count = 5000, Json = true, RateIntervalSeconds = 0 };

        int exit = PktGenCommand.Execute(options, backend, stdout, stderr, CancellationToken.None);

        Assert.That(exit, Is.EqualTo(ExitCodes.Failure), stderr.ToString());
        using JsonDocument doc = JsonDocument.Parse(stdout.ToString());
        JsonElement j = doc.RootElement;
        Assert.That(j.GetProperty("sent").GetInt64(), Is.EqualTo(5000));
        Assert.That(j.GetProperty("received").GetInt64(), Is.EqualTo(5000 - 37));
        Assert.That(j.GetProperty("lost").GetInt64(), Is.EqualTo(37));
        Assert.That(j.GetProperty("outOfOrder").GetInt64(), Is.Zero);
        Assert.That(j.GetProperty("corrupt").GetInt64(), Is.Zero);
        Assert.That(j.GetProperty("passed").GetBoolean(), Is.False);
    }

    [Test]
    public void Losing_the_last_frames_ends_after_the_drain_timeout()
    {
        using FakeNetmapBackend backend = new();
        using StringWriter stdout = new();
        using StringWriter stderr = new();
        // 100 frames fit in the receiver's ring; drop them all so the last sequence number never arrives.
        backend.DropFrames("vale2:tx", 100);
        PktGenOptions options = new() { Port = "vale2:tx", Peer = "vale2:rx", Count = 100, Json = true, RateIntervalSeconds = 0 };
        PktGenRunner runner = new() { DrainTimeout = TimeSpan.FromMilliseconds(100) };

        int exit = PktGenCommand.Execute(options, backend, stdout, stderr, CancellationToken.None, runner);

        Assert.That(exit, Is.EqualTo(ExitCodes.Failure), stderr.ToString());
        using JsonDocument doc = JsonDocument.Parse(stdout.ToString());
        Assert.That(doc.RootElement.GetProperty("received").GetInt64(), Is.Zero);
        Assert.That(doc.RootElement.GetProperty("lost").GetInt64(), Is.EqualTo(100));
    }
}

/// <summary>ping and pong against hand-made partners.</summary>
public class PingPongTests
{
    [Test]
    public void Pong_answers_each_frame_with_its_swapped_reply()
    {
        using FakeNetmapBackend backend = new();
        using NetmapPort pinger = backend.OpenPort("netmap:q{1");
        FrameBuilder builder = new(64);
        NetmapRing tx = pinger.GetTxRing(pinger.FirstTxRing);
        for (ulong s = 0; s < 10; s++)
        {
            int i = tx.Head;
            builder.Write(tx.GetBuffer(i), s);
            tx[i].Length = 64;
            tx.Advance(1);
        }
        pinger.TxSync();

        using StringWriter stdout = new();
        using StringWriter stderr = new();
        PktGenOptions options = new() { Mode = PktGenMode.Pong, Port = "netmap:q}1", Count = 10, Size = 64, Json = true, RateIntervalSeconds = 0 };
        Assert.That(PktGenCommand.Execute(options, backend, stdout, stderr, CancellationToken.None), Is.EqualTo(ExitCodes.Success), stderr.ToString());

        pinger.RxSync();
        NetmapRing rx = pinger.GetRxRing(pinger.FirstRxRing);
        FrameChecker replies = new(builder.Reversed());
        List<ulong> seen = [];
        while (rx.TryRead(out ReadOnlySpan<byte> frame))
        {
            Assert.That(replies.TryCheck(frame, out ulong sequence), Is.True, "a valid reply with addresses swapped");
            seen.Add(sequence);
        }
        Assert.That(seen, Is.EqualTo(Enumerable.Range(0, 10).Select(i => (ulong)i)));
    }

    [Test]
    public void Ping_without_answers_counts_every_ping_lost()
    {
        using FakeNetmapBackend backend = new();
        using NetmapPort silent = backend.OpenPort("netmap:s}1");   // the other end exists but never answers
        using StringWriter stdout = new();
        using StringWriter stderr = new();
        PktGenOptions options = new() { Mode = PktGenMode.Ping, Port = "netmap:s{1", Peer = null, Count = 3, Json = true, RateIntervalSeconds = 0 };
        PktGenRunner runner = new() { ReplyTimeout = TimeSpan.FromMilliseconds(20) };

        int exit = PktGenCommand.Execute(options, backend, stdout, stderr, CancellationToken.None, runner);

        Assert.That(exit, Is.EqualTo(ExitCodes.Failure));
        using JsonDocument doc = JsonDocument.Parse(stdout.ToString());
        Assert.That(doc.RootElement.GetProperty("sent").GetInt64(), Is.EqualTo(3));
        Assert.That(doc.RootElement.GetProperty("lost").GetInt64(), Is.EqualTo(3));
        Assert.That(doc.RootElement.TryGetProperty("latencyUs", out _), Is.False, "no round trip to report");
    }
}
