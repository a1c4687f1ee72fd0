using System.Globalization;
using Netmap.Dynamic.Cli.Pcap;

namespace Netmap.Dynamic.Tests.Cli.Pcap;

/// <summary>Our pcap files against the real reader and writer: tcpdump.</summary>
public class PcapTcpdumpTests
{
    private string _dir = "";

    [SetUp]
    public void MakeDirectory()
    {
        Tcpdump.RequirePath();
        _dir = Directory.CreateTempSubdirectory("netmap-pcap-").FullName;
    }

    [TearDown]
    public void RemoveDirectory()
    {
        if (_dir.Length > 0) Directory.Delete(_dir, recursive: true);
    }

    private string WriteOurs(byte[][] frames, int snapLength, Func<int, long> timestamp)
    {
        string path = Path.Combine(_dir, "ours.pcap");
        using PcapWriter writer = new(PcapBufferSink.Inline(File.Create(path)), snapLength);
        for (int i = 0; i < frames.Length; i++) writer.WriteFrame(frames[i], timestamp(i));
        writer.Complete();
        return path;
    }

    [Test]
    public void Tcpdump_reads_our_file_with_every_frame_its_bytes_and_nanosecond_timestamps()
    {
        byte[][] frames = TestFrames.Many(300);
        string path = WriteOurs(frames, 262144, i => 1_700_000_000_000_000_000L + (i * 1_000_001L));

        List<Tcpdump.Packet> packets = Tcpdump.ReadPackets(path);

        Assert.That(packets, Has.Count.EqualTo(frames.Length));
        for (int i = 0; i < frames.Length; i++)
        {
            long ns = 1_700_000_000_000_000_000L + (i * 1_000_001L);
            string expected = string.Create(CultureInfo.InvariantCulture, $"{ns / 1_000_000_000}.{ns % 1_000_000_000:D9}");
            Assert.That(packets[i].Timestamp, Is.EqualTo(expected), $"timestamp of frame {i}");
            Assert.That(packets[i].Bytes, Is.EqualTo(frames[i]), $"bytes of frame {i}");
        }
    }

    [Test]
    public void Tcpdump_reads_a_snapped_file_with_the_cut_bytes_and_the_whole_lengths()
    {
        byte[][] frames = TestFrames.Many(50);
        string path = WriteOurs(frames, 64, i => i);

        List<Tcpdump.Packet> packets = Tcpdump.ReadPackets(path);
        string summary = Tcpdump.Run("-r", path, "-nn", "-e");

        Assert.That(packets, Has.Count.EqualTo(frames.Length));
        for (int i = 0; i < frames.Length; i++)
            Assert.That(packets[i].Bytes, Is.EqualTo(frames[i][..Math.Min(64, frames[i].Length)]), $"bytes of frame {i}");
        // tcpdump -e prints each frame's whole length ("length N") from the record's original length.
        // (tcpdump dumps the bytes of an unknown EtherType on indented lines after each frame's line.)
        string[] lines = [.. summary.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('\t'))];
        Assert.That(lines, Has.Length.EqualTo(frames.Length));
        for (int i = 0; i < frames.Length; i++)
            Assert.That(lines[i], Does.Contain($"length {frames[i].Length}:"), lines[i]);
    }

    [Test]
    public void A_file_tcpdump_rewrote_reads_here_frame_for_frame()
    {
        byte[][] frames = TestFrames.Many(200);
        string ours = WriteOurs(frames, 262144, i => 1_600_000_000_000_000_000L + (i * 1000L));
        string theirs = Path.Combine(_dir, "theirs.pcap");
        Tcpdump.Run("-r", ours, "-w", theirs);   // tcpdump's own writer: microsecond timestamps

        using PcapReader reader = PcapReader.Open(theirs);
        Assert.That(reader.Header.Nanoseconds, Is.False, "tcpdump -w writes microseconds by default");
        for (int i = 0; i < frames.Length; i++)
        {
            Assert.That(reader.TryReadFrame(out ReadOnlySpan<byte> frame, out long ns, out int original), Is.True, $"frame {i}");
            Assert.That(frame.ToArray(), Is.EqualTo(frames[i]), $"bytes of frame {i}");
            Assert.That((ns, original), Is.EqualTo((1_600_000_000_000_000_000L + (i * 1000L), frames[i].Length)));
        }
        Assert.That(reader.TryReadFrame(out _, out _, out _), Is.False);
    }
}
