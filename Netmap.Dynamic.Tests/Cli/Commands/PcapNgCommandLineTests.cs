using System.Text.Json;
using Netmap.Dynamic.Cli.Shared;
using Netmap.Dynamic.Cli.Pcap;
using Netmap.Dynamic.Tests.Cli.Pcap;
using Netmap.Dynamic.Tests.Cli.Shared;

namespace Netmap.Dynamic.Tests.Cli.Commands;

/// <summary>pcapng on the command line: broken files give one line and exit 2 before a port opens; `capture --format pcapng` writes a pcapng file.</summary>
public class PcapNgCommandLineTests
{
    private string _dir = "";

    [SetUp]
    public void MakeDirectory() => _dir = Directory.CreateTempSubdirectory("netmap-pcapng-cli-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private static IEnumerable<TestCaseData> BrokenFiles()
    {
        byte[] good = new PcapNgFileBuilder().Interface().Enhanced(0, 1, TestFrames.Make(0, 60)).Enhanced(0, 2, TestFrames.Make(1, 60)).ToArray();
        yield return new TestCaseData("truncated section header", good[..16], "truncated pcapng file");
        yield return new TestCaseData("truncated packet block", good[..^10], "truncated pcapng file: block at offset 140");
        yield return new TestCaseData("truncated block header", good.Concat(new byte[] { 6, 0, 0, 0, 0x20 }).ToArray(), "5 of its 8 bytes");
        yield return new TestCaseData("block length not a multiple of 4", new PcapNgFileBuilder().Interface().Block(6, new byte[80], length: 90).ToArray(), "has length 90");
        yield return new TestCaseData("block lengths differ", new PcapNgFileBuilder().Interface().Block(6, new byte[80], trailingLength: 12).ToArray(), "ends with length 12");
        byte[] badMagic = new PcapNgFileBuilder().ToArray();
        badMagic[9] = 0;
        yield return new TestCaseData("bad byte-order magic", badMagic, "byte-order magic");
        yield return new TestCaseData("huge block length", new PcapNgFileBuilder().Interface().Block(6, new byte[80], length: 0x7FFF_FFFC).ToArray(), "more than 1048576 bytes");
        yield return new TestCaseData("huge skipped block", new PcapNgFileBuilder().Interface().Block(0xBAD, new byte[80], length: 0x7FFF_FFFC).ToArray(), "of its 2147483644 bytes");
        yield return new TestCaseData("huge captured length", new PcapNgFileBuilder().Interface().Enhanced(0, 1, new byte[60], capturedLength: 0xFFFF_FFFF).ToArray(), "captured length 4294967295");
        yield return new TestCaseData("not Ethernet", new PcapNgFileBuilder().Interface(linkType: 127).Enhanced(0, 1, new byte[60]).ToArray(), "link type 127, not Ethernet");
    }

    [TestCaseSource(nameof(BrokenFiles))]
    public void Replay_of_a_broken_pcapng_file_prints_one_line_and_exits_2(string name, byte[] bytes, string expected)
    {
        string path = Path.Combine(_dir, "bad.pcapng");
        File.WriteAllBytes(path, bytes);
        (int exit, string stdout, string stderr) = CliRunner.Run("replay", path, "-i", "netmap:bad{1", "--backend", "fake");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(ExitCodes.Usage), name);
            Assert.That(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), stderr);
            Assert.That(stderr, Does.StartWith($"netmap replay: {path}: ").And.Contain(expected));
            Assert.That(stdout, Is.Empty);
        });
    }

    [Test]
    public void Replay_of_a_pcapng_file_on_the_fake_sends_every_frame()
    {
        PcapNgFileBuilder file = new PcapNgFileBuilder().Interface(tsresol: 9);
        for (int i = 0; i < 10; i++) file.Enhanced(0, (ulong)i, TestFrames.Make(i, 100));
        string path = file.WriteTo(Path.Combine(_dir, "ok.pcapng"));

        (int exit, string stdout, string stderr) = CliRunner.Run("replay", path, "-i", "vale0:ng", "--backend", "fake", "--json", "--rate-interval", "0");

        Assert.That(exit, Is.Zero, stderr);
        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.That((json.RootElement.GetProperty("fileFrames").GetInt64(), json.RootElement.GetProperty("sent").GetInt64(), json.RootElement.GetProperty("bytes").GetInt64()),
            Is.EqualTo((10L, 10L, 1000L)));
    }

    [Test]
    public void Capture_with_format_pcapng_writes_a_pcapng_file_named_in_its_summary()
    {
        string path = Path.Combine(_dir, "c.pcapng");
        (int exit, string stdout, string stderr) = CliRunner.Run("capture", "-i", "netmap:ng}1", "-w", path, "--format", "pcapng",
            "--backend", "fake", "--duration", "0.01", "--rate-interval", "0", "--json");

        Assert.That(exit, Is.Zero, stderr);
        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.That(json.RootElement.GetProperty("format").GetString(), Is.EqualTo("pcapng"));
        using IFrameFileReader reader = FrameFiles.Open(path);
        Assert.That((reader.Format, reader.TryReadFrame(out _, out _, out _)), Is.EqualTo(("pcapng", false)));
    }

    [Test]
    public void Capture_refuses_an_unknown_format()
    {
        (int exit, _, string stderr) = CliRunner.Run("capture", "-i", "netmap:ng}1", "-w", Path.Combine(_dir, "x"), "--format", "erf", "--backend", "fake");
        Assert.That(exit, Is.EqualTo(ExitCodes.Usage));
        Assert.That(stderr, Does.Contain("erf"));
    }
}
