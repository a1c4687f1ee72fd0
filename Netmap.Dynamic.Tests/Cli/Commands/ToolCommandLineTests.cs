using System.Text.Json;
using Netmap.Dynamic.Cli.Shared;
using Netmap.Dynamic.Cli;
using Netmap.Dynamic.Cli.Commands;
using Netmap.Dynamic.Tests.Cli.Pcap;
using Netmap.Dynamic.Tests.Cli.Shared;
using Netmap.Dynamic.Tests.Loading;

namespace Netmap.Dynamic.Tests.Cli.Commands;

/// <summary>The command lines of bridge, capture and replay: usage errors, bad files (one line, exit 2), and short runs on the fake.</summary>
public class ToolCommandLineTests
{
    private string _dir = "";

    [SetUp]
    public void MakeDirectory() => _dir = Directory.CreateTempSubdirectory("netmap-cli-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private string File(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static JsonElement Json(string stdout)
    {
        using JsonDocument doc = JsonDocument.Parse(stdout);
        return doc.RootElement.Clone();
    }

    // --- replay: bad files -------------------------------------------------------------------

    private static IEnumerable<TestCaseData> BadFiles()
    {
        byte[] good = new PcapFileBuilder().Record(1, 0, TestFrames.Make(0, 60)).Record(2, 0, TestFrames.Make(1, 60)).ToArray();
        yield return new TestCaseData("empty", Array.Empty<byte>(), "empty file");
        yield return new TestCaseData("wrong magic", "<html><body>not a capture</body></html>"u8.ToArray(), "not a pcap file");
        yield return new TestCaseData("truncated header", good[..20], "truncated pcap file header");
        yield return new TestCaseData("truncated record header", good[..(24 + 76 + 9)], "frame 2");
        yield return new TestCaseData("truncated frame", good[..^1], "59 of its 60 captured bytes");
        yield return new TestCaseData("absurd length", new PcapFileBuilder().Record(0, 0, new byte[60], capturedLength: 0xffff_ffff).ToArray(), "captured length 4294967295");
        yield return new TestCaseData("not Ethernet", new PcapFileBuilder(linkType: 113).Record(0, 0, new byte[60]).ToArray(), "link type 113 is not Ethernet");
    }

    [TestCaseSource(nameof(BadFiles))]
    public void Replay_of_a_bad_file_prints_one_line_and_exits_2_before_opening_a_port(string name, byte[] bytes, string expected)
    {
        string path = File("bad.pcap", bytes);
        (int exit, string stdout, string stderr) = CliRunner.Run("replay", path, "-i", "netmap:bad{1", "--backend", "fake");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Usage), name);
            Assert.That(Lines(stderr), Has.Length.EqualTo(1), stderr);
            Assert.That(stderr, Does.StartWith($"netmap replay: {path}: ").And.Contain(expected));
            Assert.That(stdout, Is.Empty);
        });
    }

    [Test]
    public void Replay_of_a_missing_file_exits_2_with_one_line()
    {
        string path = Path.Combine(_dir, "nope.pcap");
        (int exit, _, string stderr) = CliRunner.Run("replay", path, "-i", "netmap:bad{1", "--backend", "fake");
        Assert.That((exit, Lines(stderr).Length), Is.EqualTo((ExitCodes.Usage, 1)), stderr);
        Assert.That(stderr, Does.Contain(path));
    }

    [TestCase("--speed", "2x", "--rate", "1", "not both")]
    [TestCase("--speed", "fast", null, null, "--speed must be a positive factor")]
    [TestCase("--rate", "0", null, null, "--rate must be a positive number")]
    [TestCase("--loop", "-1", null, null, "--loop must be 0")]
    [TestCase("-i", "netmap:x{1/R", null, null, "binds only RX rings")]
    public void Replay_usage_errors_exit_2(string option, string value, string? option2, string? value2, string expected)
    {
        string path = File("ok.pcap", new PcapFileBuilder().Record(1, 0, TestFrames.Make(0, 60)).ToArray());
        List<string> args = ["replay", path, "-i", "netmap:u{1", "--backend", "fake"];
        int at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value; else args.AddRange([option, value]);
        if (option2 is not null) args.AddRange([option2, value2!]);
        (int exit, _, string stderr) = CliRunner.Run([.. args]);
        Assert.That(exit, Is.EqualTo(ExitCodes.Usage), stderr);
        Assert.That(stderr, Does.Contain(expected));
    }

    [Test]
    public void Replay_into_a_fake_vale_port_sends_the_file_loop_times()
    {
        string path = File("v.pcap", new PcapFileBuilder().Record(1, 0, TestFrames.Make(0, 60)).Record(1, 5, TestFrames.Make(1, 1514)).ToArray());
        (int exit, string stdout, string stderr) = CliRunner.Run("replay", path, "-i", "vale0:r", "--backend", "fake", "--loop", "50", "--json", "--rate-interval", "0");
        Assert.That(exit, Is.EqualTo(ExitCodes.Success), stderr);
        JsonElement j = Json(stdout);
        Assert.Multiple(() =>
        {
            Assert.That(j.GetProperty("fileFrames").GetInt64(), Is.EqualTo(2));
            Assert.That(j.GetProperty("sent").GetInt64(), Is.EqualTo(100));
            Assert.That(j.GetProperty("bytes").GetInt64(), Is.EqualTo(50 * (60 + 1514)));
            Assert.That(j.GetProperty("passes").GetInt64(), Is.EqualTo(50));
            Assert.That(j.GetProperty("pace").GetString(), Is.EqualTo("fast"));
        });
    }

    [Test]
    public void Replay_skips_frames_longer_than_the_ports_buffers_and_says_so()
    {
        string path = File("big.pcap", new PcapFileBuilder().Record(1, 0, TestFrames.Make(0, 60)).Record(1, 0, TestFrames.Make(1, 9000)).ToArray());
        (int exit, string stdout, string stderr) = CliRunner.Run("replay", path, "-i", "vale0:big", "--backend", "fake", "--json", "--rate-interval", "0");
        Assert.That(exit, Is.EqualTo(ExitCodes.Success), stderr);
        Assert.That(stderr, Does.Contain("frames of up to 9000 bytes"));
        Assert.That((Json(stdout).GetProperty("sent").GetInt64(), Json(stdout).GetProperty("skipped").GetInt64()), Is.EqualTo((1L, 1L)));
    }

    // --- capture -------------------------------------------------------------------------------

    [TestCase("--snaplen", "0", "--snaplen must be 1 to 262144")]
    [TestCase("--count", "0", "--count must be at least 1")]
    [TestCase("-i", "netmap:c}1/T", "binds only TX rings")]
    [TestCase("-i", "netmap:bad-name{1", "invalid port spec")]
    public void Capture_usage_errors_exit_2(string option, string value, string expected)
    {
        List<string> args = ["capture", "-i", "netmap:c}1", "-w", Path.Combine(_dir, "c.pcap"), "--backend", "fake"];
        int at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value; else args.AddRange([option, value]);
        (int exit, _, string stderr) = CliRunner.Run([.. args]);
        Assert.That(exit, Is.EqualTo(ExitCodes.Usage), stderr);
        Assert.That(stderr, Does.Contain(expected));
    }

    [Test]
    public void Capture_without_a_file_is_a_usage_error()
    {
        (int exit, _, string stderr) = CliRunner.Run("capture", "-i", "netmap:c}1", "--backend", "fake");
        Assert.That(exit, Is.EqualTo(ExitCodes.Usage));
        Assert.That(stderr, Does.Contain("--write"));
    }

    [Test]
    public void Capture_into_a_directory_that_does_not_exist_fails_with_the_path()
    {
        string path = Path.Combine(_dir, "no", "such", "dir.pcap");
        (int exit, _, string stderr) = CliRunner.Run("capture", "-i", "netmap:cd}1", "-w", path, "--backend", "fake", "--duration", "0.01", "--rate-interval", "0");
        Assert.That(exit, Is.EqualTo(ExitCodes.Failure));
        Assert.That(stderr, Does.Contain(path));
    }

    // --- bridge --------------------------------------------------------------------------------

    [TestCase(new string[0], "give two ports")]
    [TestCase(new[] { "netmap:a{1", "netmap:b{1", "netmap:c{1" }, "Unrecognized command or argument 'netmap:c{1'")]
    [TestCase(new[] { "netmap:a{1" }, "one port alone must be a plain NIC")]
    [TestCase(new[] { "netmap:a{1", "netmap:a{1" }, "must differ")]
    [TestCase(new[] { "netmap:a{1/R", "netmap:b{1" }, "binds only one direction")]
    [TestCase(new[] { "netmap:a{1", "-b", "0", "netmap:b{1" }, "--batch must be 1 to 8192")]
    public void Bridge_usage_errors_exit_2(string[] ports, string expected)
    {
        (int exit, _, string stderr) = CliRunner.Run(["bridge", "--backend", "fake", .. ports]);
        Assert.That(exit, Is.EqualTo(ExitCodes.Usage), stderr);
        Assert.That(stderr, Does.Contain(expected));
    }

    [Test]
    public void Bridge_takes_its_ports_from_i_like_netmaps_bridge_and_one_nic_goes_to_its_host_stack()
    {
        Assert.That(BridgeCommand.TryPair(["netmap:eth0"], out string a, out string b, out _), Is.True);
        Assert.That((a, b), Is.EqualTo(("netmap:eth0^", "netmap:eth0")));
        (int exit, string stdout, string stderr) = CliRunner.Run("bridge", "-i", "netmap:i{1", "-i", "netmap:i}2", "--backend", "fake", "--duration", "0.05", "--json", "--rate-interval", "0");
        Assert.That(exit, Is.EqualTo(ExitCodes.Success), stderr);
        JsonElement j = Json(stdout);
        Assert.Multiple(() =>
        {
            Assert.That(j.GetProperty("portA").GetString(), Is.EqualTo("netmap:i{1"));
            Assert.That(j.GetProperty("portB").GetString(), Is.EqualTo("netmap:i}2"));
            Assert.That(j.GetProperty("zeroCopy").GetBoolean(), Is.True);
            Assert.That(j.GetProperty("aToB").GetProperty("frames").GetInt64(), Is.Zero);
            Assert.That(j.GetProperty("interrupted").GetBoolean(), Is.False);
        });
    }

    [Test]
    public void The_new_commands_refuse_the_native_backend_where_netmap_is_missing()
    {
        // "Missing" is arranged with a device path that does not exist, so this runs on netmap hosts too.
        string missing = NativeTestFiles.MissingDevice;
        string pcap = File("n.pcap", new PcapFileBuilder().Record(1, 0, TestFrames.Make(0, 60)).ToArray());
        Assert.Multiple(() =>
        {
            Assert.That(CliRunner.Run("bridge", "netmap:n{1", "netmap:n}1", "--backend", "native", "--device", missing).Exit, Is.EqualTo(ExitCodes.Unavailable));
            Assert.That(CliRunner.Run("capture", "-i", "netmap:n}1", "-w", Path.Combine(_dir, "n2.pcap"), "--backend", "native", "--device", missing).Exit, Is.EqualTo(ExitCodes.Unavailable));
            Assert.That(CliRunner.Run("replay", pcap, "-i", "netmap:n{1", "--backend", "native", "--device", missing).Exit, Is.EqualTo(ExitCodes.Unavailable));
        });
    }
}
