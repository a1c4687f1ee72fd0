using System.Globalization;
using Netmap.Dynamic.Cli.Pcap;

namespace Netmap.Dynamic.Tests.Cli.Pcap;

/// <summary>Our pcapng files against the real readers (tcpdump, tshark), and the real writers' pcapng (dumpcap, tshark) against our reader.</summary>
public class PcapNgToolTests
{
    private string _dir = "";

    [SetUp]
    public void MakeDirectory() => _dir = Directory.CreateTempSubdirectory("netmap-pcapng-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private static long Time(int i) => 1_700_000_000_000_000_000L + (i * 1_000_001L);

    private string WriteOurs(byte[][] frames, int snapLength, string port = "netmap:eth0")
    {
        string path = Path.Combine(_dir, "ours.pcapng");
        using PcapWriter writer = new(PcapBufferSink.Inline(File.Create(path)), snapLength, CaptureFileFormat.PcapNg, port);
        for (int i = 0; i < frames.Length; i++) writer.WriteFrame(frames[i], Time(i));
        writer.Complete();
        return path;
    }

    private string WriteClassic(byte[][] frames)
    {
        PcapFileBuilder file = new(nanoseconds: false);
        for (int i = 0; i < frames.Length; i++) file.Record((uint)(1_600_000_000 + i), (uint)(i * 7), frames[i]);
        return file.WriteTo(Path.Combine(_dir, "classic.pcap"));
    }

    private static void AssertReadsAs(string path, byte[][] frames, Func<int, long> time)
    {
        using IFrameFileReader reader = FrameFiles.Open(path);
        Assert.That(reader.Format, Is.EqualTo("pcapng"));
        for (int i = 0; i < frames.Length; i++)
        {
            Assert.That(reader.TryReadFrame(out ReadOnlySpan<byte> frame, out long ns, out int original), Is.True, $"frame {i}");
            Assert.That(frame.ToArray(), Is.EqualTo(frames[i]), $"bytes of frame {i}");
            Assert.That((ns, original), Is.EqualTo((time(i), frames[i].Length)), $"time and length of frame {i}");
        }
        Assert.That(reader.TryReadFrame(out _, out _, out _), Is.False, "no more frames");
    }

    [Test]
    public void Tcpdump_reads_our_pcapng_with_every_frame_its_bytes_and_nanosecond_timestamps()
    {
        byte[][] frames = TestFrames.Many(300);
        string path = WriteOurs(frames, 262144);

        List<Tcpdump.Packet> packets = Tcpdump.ReadPackets(path);

        Assert.That(packets, Has.Count.EqualTo(frames.Length));
        for (int i = 0; i < frames.Length; i++)
        {
            string expected = string.Create(CultureInfo.InvariantCulture, $"{Time(i) / 1_000_000_000}.{Time(i) % 1_000_000_000:D9}");
            Assert.That((packets[i].Timestamp, packets[i].Bytes), Is.EqualTo((expected, frames[i])), $"frame {i}");
        }
    }

    [Test]
    public void Tshark_reads_our_snapped_pcapng_with_the_cut_bytes_whole_lengths_and_interface_name()
    {
        byte[][] frames = TestFrames.Many(120);
        string path = WriteOurs(frames, 100, port: "netmap:p}1");

        string output = Wireshark.Run(Wireshark.Tshark, null, "-r", path, "-T", "fields", "-E", "separator=,",
            "-e", "frame.len", "-e", "frame.cap_len", "-e", "frame.interface_name", "-e", "data.data");
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.That(lines, Has.Length.EqualTo(frames.Length));
        for (int i = 0; i < frames.Length; i++)
        {
            string[] f = lines[i].Split(',');
            int captured = Math.Min(100, frames[i].Length);
            Assert.That((f[0], f[1], f[2]), Is.EqualTo(($"{frames[i].Length}", $"{captured}", "netmap:p}1")), $"frame {i}");
            // The test frames' EtherType is unknown to tshark: it shows the payload after the 14-byte header as data.
            Assert.That(Convert.FromHexString(f[3]), Is.EqualTo(frames[i][14..captured]), $"bytes of frame {i}");
        }
    }

    [Test]
    public void A_pcapng_file_dumpcap_wrote_reads_here_frame_for_frame()
    {
        byte[][] frames = TestFrames.Many(200, seed: 3);
        string theirs = Path.Combine(_dir, "dumpcap.pcapng");
        Wireshark.Run(Wireshark.Dumpcap, WriteClassic(frames), "-q", "-i", "-", "-w", theirs);   // a capture piped in; pcapng is dumpcap's default

        AssertReadsAs(theirs, frames, i => ((1_600_000_000L + i) * 1_000_000_000L) + (i * 7_000L));
    }

    [Test]
    public void A_pcapng_file_tshark_wrote_reads_here_frame_for_frame()
    {
        byte[][] frames = TestFrames.Many(200, seed: 4);
        string theirs = Path.Combine(_dir, "tshark.pcapng");
        Wireshark.Run(Wireshark.Tshark, null, "-r", WriteClassic(frames), "-F", "pcapng", "-w", theirs);

        AssertReadsAs(theirs, frames, i => ((1_600_000_000L + i) * 1_000_000_000L) + (i * 7_000L));
    }
}
