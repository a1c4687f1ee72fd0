using System.Text.Json;
using Netmap.Dynamic.Cli.Shared;
using Netmap.Dynamic.Cli;
using Netmap.Dynamic.Tests.Cli.Shared;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// `netmap pkt-gen -l 9000` over VALE ports with the default 2048-byte buffers, on both backends:
/// every frame spans five slots joined by NS_MOREFRAG, and the receiver gets each one whole, in
/// order and intact. The CLI opens its own backend of the fixture's kind; the switch is one no
/// other test uses.
/// </summary>
public sealed class JumboPktGenTests(BackendKind kind) : TwoBackendTest(kind)
{
    [Test]
    public void Jumbo_frames_cross_a_vale_switch_with_2048_byte_buffers_whole_and_in_order()
    {
        string vale = UniqueSwitch();
        using (NetmapPort probe = Backend.OpenPort(vale + ":probe"))
            Assert.That(probe.BufferSize, Is.EqualTo(2048), "the default buffers, so a 9000-byte frame needs five slots");

        (int exit, string stdout, string stderr) = CliRunner.Run("pkt-gen", "--backend", IsNative ? "native" : "fake",
            "-f", "txrx", "-i", vale + ":j", "--peer", vale + ":k", "-n", "2000", "-l", "9000", "--json", "--rate-interval", "0");

        Assert.That(exit, Is.EqualTo(ExitCodes.Success), stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        JsonElement j = doc.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(j.GetProperty("size").GetInt32(), Is.EqualTo(9000));
            Assert.That(j.GetProperty("verify").GetBoolean(), Is.True, "txrx checks every frame's bytes");
            Assert.That(j.GetProperty("sent").GetInt64(), Is.EqualTo(2000));
            Assert.That(j.GetProperty("received").GetInt64(), Is.EqualTo(2000), "frames, not slots");
            Assert.That(j.GetProperty("bytes").GetInt64(), Is.EqualTo(2000L * 9000));
            Assert.That(j.GetProperty("lost").GetInt64(), Is.Zero);
            Assert.That(j.GetProperty("outOfOrder").GetInt64(), Is.Zero);
            Assert.That(j.GetProperty("corrupt").GetInt64(), Is.Zero);
        });
    }
}
