using System.Buffers.Binary;
using Netmap.Dynamic.Cli.Pcap;

namespace Netmap.Dynamic.Tests.Cli.Pcap;

/// <summary>
/// Seeded mutations of valid pcapng (and pcap) files: whatever the bytes, reading either returns
/// frames or throws <see cref="PcapFormatException"/> with one line, and it ends after at most one
/// call per 12 bytes of file (every block read moves on by at least 12 bytes). The seed is fixed,
/// so a failure names a mutation that can be replayed.
/// </summary>
public class CaptureFileFuzzTests
{
    private const int Mutations = 3000;

    private static byte[] ValidPcapNg(bool bigEndian) => new PcapNgFileBuilder(bigEndian)
        .Block(4, new byte[12])
        .Interface(snapLength: 1600, tsresol: 9, tsoffset: 10, name: "eth0")
        .Interface(name: "eth1")
        .Enhanced(0, 1, TestFrames.Make(0, 60), comment: "c")
        .Enhanced(1, 2, TestFrames.Make(1, 99))
        .Simple(TestFrames.Make(2, 64))
        .Block(5, new byte[24])
        .Section(!bigEndian).Interface(tsresol: 0x8A)
        .Enhanced(0, 3, TestFrames.Make(3, 150))
        .ToArray();

    private static byte[] ValidPcap() => new PcapFileBuilder()
        .Record(1, 2, TestFrames.Make(0, 60)).Record(3, 4, TestFrames.Make(1, 1514)).Record(5, 6, TestFrames.Make(2, 64))
        .ToArray();

    private static readonly uint[] Extremes = [0, 1, 3, 8, 11, 12, 13, 28, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFF0, 0xFFFF_FFFF, 0x0A0D0D0A, 0x1A2B3C4D];

    private static byte[] Mutate(byte[] valid, Random random)
    {
        byte[] file = (byte[])valid.Clone();
        switch (random.Next(5))
        {
            case 0:   // flip a few bytes
                for (int k = random.Next(1, 9); k > 0; k--) file[random.Next(file.Length)] = (byte)random.Next(256);
                return file;
            case 1:   // cut it anywhere
                return file[..random.Next(file.Length)];
            case 2:   // an extreme value in a 4-byte field (lengths, ids, magic numbers)
                int at = random.Next(file.Length / 4) * 4;
                BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at), Extremes[random.Next(Extremes.Length)]);
                return file;
            case 3:   // a stretch repeated
                int from = random.Next(file.Length), length = random.Next(1, Math.Min(64, file.Length - from) + 1);
                return [.. file[..(from + length)], .. file[from..]];
            default:  // a stretch removed
                int start = random.Next(file.Length), count = random.Next(1, Math.Min(64, file.Length - start) + 1);
                return [.. file[..start], .. file[(start + count)..]];
        }
    }

    private static void ReadsOrRefusesInOneLine(byte[] file, string what)
    {
        int calls = 0;
        try
        {
            using IFrameFileReader reader = FrameFiles.Open(new MemoryStream(file), "fuzz");
            for (int pass = 0; pass < 2; pass++)
            {
                while (reader.TryReadFrame(out ReadOnlySpan<byte> frame, out _, out int original))
                {
                    calls++;
                    Assert.That(original, Is.GreaterThanOrEqualTo(frame.Length), what);
                    Assert.That(calls, Is.LessThanOrEqualTo(2 * ((file.Length / 12) + 1)), $"{what}: more frames than the file has room for");
                }
                reader.Rewind();
            }
        }
        catch (PcapFormatException e)
        {
            Assert.That(e.Message, Does.Not.Contain('\n').And.Not.Empty, what);
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Mutated_pcapng_files_are_read_or_refused_in_one_line(bool bigEndian)
    {
        byte[] valid = ValidPcapNg(bigEndian);
        Random random = new(bigEndian ? 2202 : 2201);
        for (int i = 0; i < Mutations; i++)
            ReadsOrRefusesInOneLine(Mutate(valid, random), $"mutation {i}");
    }

    [Test]
    public void Mutated_pcap_files_are_read_or_refused_in_one_line()
    {
        byte[] valid = ValidPcap();
        Random random = new(2203);
        for (int i = 0; i < Mutations; i++)
            ReadsOrRefusesInOneLine(Mutate(valid, random), $"mutation {i}");
    }

    [Test]
    public void The_unmutated_files_read_whole()
    {
        // The mutations start from files that are valid: otherwise the fuzz tests prove little.
        foreach ((byte[] file, int expected) in new[] { (ValidPcapNg(false), 4), (ValidPcapNg(true), 4), (ValidPcap(), 3) })
        {
            using IFrameFileReader reader = FrameFiles.Open(new MemoryStream(file), "valid");
            int frames = 0;
            while (reader.TryReadFrame(out _, out _, out _)) frames++;
            Assert.That(frames, Is.EqualTo(expected));
        }
    }
}
