using System.Text.Json;
using Netmap.Dynamic.Cli.Shared;
using Netmap.Dynamic.Cli;
using Netmap.Dynamic.Cli.Commands;
using Netmap.Dynamic.Cli.PktGen;
using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Tests.Cli.PktGen;

/// <summary>
/// `-f rx` facing a sender that is not this tool (netmap's C pkt-gen): by default it counts
/// frames and bytes and passes, as netmap's pkt-gen does; `--verify` checks them against this
/// tool's frames and fails.
/// </summary>
public class PktGenForeignFrameTests
{
    private static (int Exit, JsonElement Json, string Stderr) ReceiveOn(FakeNetmapBackend backend, PktGenOptions options, PktGenRunner? runner = null)
    {
        using StringWriter stdout = new();
        using StringWriter stderr = new();
        int exit = PktGenCommand.Execute(options with { Json = true, RateIntervalSeconds = 0 }, backend, stdout, stderr, CancellationToken.None, runner);
        using JsonDocument doc = JsonDocument.Parse(stdout.ToString());
        return (exit, doc.RootElement.Clone(), stderr.ToString());
    }

    // 100 frames as C pkt-gen lays them out, half of them 60 bytes and half 1514.
    private static void SendForeignFrames(FakeNetmapBackend backend, NetmapPort sender)
    {
        CPktGenFrames.Send(sender, Enumerable.Range(0, 100).Select(i => CPktGenFrames.Build(i % 2 == 0 ? 60 : 1514)));
    }

    [Test]
    public void Rx_counts_frames_of_netmaps_pkt_gen_and_exits_0()
    {
        using FakeNetmapBackend backend = new();
        using NetmapPort sender = backend.OpenPort("netmap:c{1");
        SendForeignFrames(backend, sender);

        (int exit, JsonElement j, string stderr) = ReceiveOn(backend, new PktGenOptions { Mode = PktGenMode.Rx, Port = "netmap:c}1", Count = 100 });

        Assert.That(exit, Is.EqualTo(ExitCodes.Success), stderr);
        Assert.Multiple(() =>
        {
            Assert.That(j.GetProperty("received").GetInt64(), Is.EqualTo(100));
            Assert.That(j.GetProperty("bytes").GetInt64(), Is.EqualTo((50 * 60) + (50 * 1514)), "bytes are the frames' own lengths");
            Assert.That(j.GetProperty("corrupt").GetInt64(), Is.Zero);
            Assert.That(j.GetProperty("lost").GetInt64(), Is.Zero);
            Assert.That(j.GetProperty("verify").GetBoolean(), Is.False);
            Assert.That(j.GetProperty("passed").GetBoolean(), Is.True);
        });
    }

    [Test]
    public void Rx_with_verify_finds_foreign_frames_corrupt_and_exits_1()
    {
        using FakeNetmapBackend backend = new();
        using NetmapPort sender = backend.OpenPort("netmap:c{2");
        SendForeignFrames(backend, sender);

        (int exit, JsonElement j, _) = ReceiveOn(backend, new PktGenOptions { Mode = PktGenMode.Rx, Port = "netmap:c}2", Count = 100, Verify = true });

        Assert.That(exit, Is.EqualTo(ExitCodes.Failure));
        Assert.That(j.GetProperty("received").GetInt64(), Is.EqualTo(100));
        Assert.That(j.GetProperty("corrupt").GetInt64(), Is.EqualTo(100));
        Assert.That(j.GetProperty("verify").GetBoolean(), Is.True);
    }

    [Test]
    public void Rx_stop_when_idle_ends_after_the_frames_stop_coming()
    {
        using FakeNetmapBackend backend = new();
        using NetmapPort sender = backend.OpenPort("netmap:c{3");
        SendForeignFrames(backend, sender);
        PktGenRunner runner = new() { IdleTimeout = TimeSpan.FromMilliseconds(50) };

        // No --count and no --duration: without -W this would run until Ctrl+C.
        (int exit, JsonElement j, string stderr) = ReceiveOn(backend, new PktGenOptions { Mode = PktGenMode.Rx, Port = "netmap:c}3", StopWhenIdle = true }, runner);

        Assert.That(exit, Is.EqualTo(ExitCodes.Success), stderr);
        Assert.That(j.GetProperty("received").GetInt64(), Is.EqualTo(100));
        Assert.That(j.GetProperty("interrupted").GetBoolean(), Is.False);
    }

    [Test]
    public void Pong_with_verify_answers_foreign_frames_but_counts_them_corrupt()
    {
        using FakeNetmapBackend backend = new();
        using NetmapPort pinger = backend.OpenPort("netmap:c{4");
        CPktGenFrames.Send(pinger, Enumerable.Range(0, 10).Select(_ => CPktGenFrames.Build(60)));

        (int verifiedExit, JsonElement verified, _) = ReceiveOn(backend, new PktGenOptions { Mode = PktGenMode.Pong, Port = "netmap:c}4", Count = 5 });
        (int plainExit, JsonElement plain, _) = ReceiveOn(backend, new PktGenOptions { Mode = PktGenMode.Pong, Port = "netmap:c}4", Count = 5, Verify = false });

        Assert.That(verifiedExit, Is.EqualTo(ExitCodes.Failure), "pong checks by default: both ends are usually this tool");
        Assert.That(verified.GetProperty("sent").GetInt64(), Is.EqualTo(5), "answered all the same");
        Assert.That(verified.GetProperty("corrupt").GetInt64(), Is.EqualTo(5));
        Assert.That(plainExit, Is.EqualTo(ExitCodes.Success));
        Assert.That(plain.GetProperty("corrupt").GetInt64(), Is.Zero);
        pinger.RxSync();
        Assert.That(pinger.GetRxRing(pinger.FirstRxRing).Space, Is.EqualTo(10), "every frame came back");
    }
}
