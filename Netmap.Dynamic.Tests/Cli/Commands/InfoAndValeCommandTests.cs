using System.Text.Json;
using Netmap.Dynamic.Cli.Shared;
using Netmap.Dynamic.Cli;
using Netmap.Dynamic.Tests.Cli.Shared;
using Netmap.Dynamic.Tests.Loading;

namespace Netmap.Dynamic.Tests.Cli.Commands;

public class InfoAndValeCommandTests
{
    [Test]
    public void Info_json_reports_the_pipe_geometry()
    {
        (int exit, string stdout, string stderr) = CliRunner.Run("info", "netmap:i{1", "--backend", "fake", "--json");
        Assert.That(exit, Is.EqualTo(ExitCodes.Success), stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        JsonElement j = doc.RootElement;
        // netmap-kernel-facts: a pipe end has 1 TX + 1 RX ring of 1024 slots and 2048-byte buffers.
        Assert.Multiple(() =>
        {
            Assert.That(j.GetProperty("backend").GetString(), Is.EqualTo("fake"));
            Assert.That(j.GetProperty("port").GetString(), Is.EqualTo("netmap:i{1"));
            Assert.That(j.GetProperty("txRings").GetInt32(), Is.EqualTo(1));
            Assert.That(j.GetProperty("rxRings").GetInt32(), Is.EqualTo(1));
            Assert.That(j.GetProperty("txSlots").GetInt32(), Is.EqualTo(1024));
            Assert.That(j.GetProperty("rxSlots").GetInt32(), Is.EqualTo(1024));
            Assert.That(j.GetProperty("bufferSize").GetInt32(), Is.EqualTo(2048));
            Assert.That(j.GetProperty("regionSize").GetInt64(), Is.GreaterThan(1024L * 2048));
            Assert.That(j.GetProperty("lastTxRing").GetInt32() - j.GetProperty("firstTxRing").GetInt32(), Is.EqualTo(1));
        });
    }

    [Test]
    public void Info_text_names_every_figure()
    {
        (int exit, string stdout, _) = CliRunner.Run("info", "vale0:x", "--backend", "fake");
        Assert.That(exit, Is.EqualTo(ExitCodes.Success));
        Assert.That(stdout, Does.Contain("tx rings").And.Contain("rx rings").And.Contain("buffer size").And.Contain("memory id").And.Contain("region size"));
    }

    [Test]
    public void Info_reports_the_offsets_a_port_was_opened_with()
    {
        (int exit, string stdout, string stderr) = CliRunner.Run("info", "netmap:io{1@offset=128", "--backend", "fake", "--json");
        Assert.That(exit, Is.EqualTo(ExitCodes.Success), stderr);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        Assert.That(doc.RootElement.GetProperty("maxOffset").GetInt32(), Is.EqualTo(128));
        (_, string text, _) = CliRunner.Run("info", "netmap:io{1@offset=128", "--backend", "fake");
        Assert.That(text, Does.Contain("offsets      per slot, up to 128 bytes"));
        (_, string plain, _) = CliRunner.Run("info", "netmap:io{1", "--backend", "fake", "--json");
        Assert.That(plain, Does.Not.Contain("maxOffset"));
    }

    [Test]
    public void Info_on_a_missing_port_exits_1()
    {
        (int exit, _, string stderr) = CliRunner.Run("info", "netmap:doesnotexist", "--backend", "fake");
        Assert.That(exit, Is.EqualTo(ExitCodes.Failure));
        Assert.That(stderr, Does.Contain("doesnotexist"));
    }

    [Test]
    public void Info_usage_errors_exit_2()
    {
        Assert.That(CliRunner.Run("info").Exit, Is.EqualTo(ExitCodes.Usage), "no spec");
        Assert.That(CliRunner.Run("info", "netmap:", "--backend", "fake").Exit, Is.EqualTo(ExitCodes.Usage), "malformed spec");
    }

    [Test]
    public void Info_native_unavailable_exits_3()
    {
        // "No netmap" is arranged, not assumed: a device path that does not exist.
        (int exit, _, string stderr) = CliRunner.Run("info", "netmap:eth0", "--backend", "native", "--device", NativeTestFiles.MissingDevice);
        Assert.That(exit, Is.EqualTo(ExitCodes.Unavailable));
        Assert.That(stderr, Does.Contain("DeviceNotFound").And.Contain(NativeTestFiles.MissingDevice));
    }

    [Test]
    public void Vale_native_unavailable_exits_3()
    {
        (int exit, _, string stderr) = CliRunner.Run("vale", "list", "--device", NativeTestFiles.MissingDevice);
        Assert.That(exit, Is.EqualTo(ExitCodes.Unavailable));
        Assert.That(stderr, Does.Contain("DeviceNotFound"));
    }

    [TestCase("list")]
    [TestCase("attach", "vale0:eth0")]
    [TestCase("detach", "vale0:eth0")]
    [TestCase("newif", "myif0")]
    [TestCase("delif", "myif0")]
    public void Vale_on_the_fake_says_why_and_exits_3(params string[] args)
    {
        (int exit, _, string stderr) = CliRunner.Run(["vale", .. args, "--backend", "fake"]);
        Assert.That(exit, Is.EqualTo(ExitCodes.Unavailable));
        Assert.That(stderr, Does.Contain("native"));
    }

    [Test]
    public void Vale_usage_errors_exit_2()
    {
        Assert.That(CliRunner.Run("vale", "attach").Exit, Is.EqualTo(ExitCodes.Usage), "missing SWITCH:NIC");
        Assert.That(CliRunner.Run("vale", "frobnicate").Exit, Is.EqualTo(ExitCodes.Usage));
    }
}
