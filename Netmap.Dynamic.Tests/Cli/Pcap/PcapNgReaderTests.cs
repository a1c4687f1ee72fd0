using Netmap.Dynamic.Cli.Pcap;

namespace Netmap.Dynamic.Tests.Cli.Pcap;

/// <summary>The pcapng reader on files built block by block: what it reads, what it skips, what it refuses.</summary>
public class PcapNgReaderTests
{
    private static IFrameFileReader Open(byte[] file) => FrameFiles.Open(new MemoryStream(file), "test.pcapng");

    private static List<(byte[] Frame, long Ns, int Original)> ReadAll(byte[] file)
    {
        using IFrameFileReader reader = Open(file);
        List<(byte[], long, int)> frames = [];
        while (reader.TryReadFrame(out ReadOnlySpan<byte> frame, out long ns, out int original))
            frames.Add((frame.ToArray(), ns, original));
        return frames;
    }

    private static string Error(byte[] file)
    {
        PcapFormatException e = Assert.Throws<PcapFormatException>(() => ReadAll(file))!;
        Assert.That(e.Message, Does.Not.Contain('\n'), "one line");
        return e.Message;
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Reads_enhanced_packets_in_either_byte_order_with_microseconds_by_default(bool bigEndian)
    {
        byte[] a = TestFrames.Make(0, 60), b = TestFrames.Make(1, 1514);
        byte[] file = new PcapNgFileBuilder(bigEndian).Interface()
            .Enhanced(0, 1_700_000_000_123_456UL, a, comment: "first")
            .Enhanced(0, 1_700_000_001_000_001UL, b)
            .ToArray();

        using IFrameFileReader reader = Open(file);
        Assert.That((reader.Format, reader.LinkType), Is.EqualTo(("pcapng", 1u)));
        Assert.That(ReadAll(file), Is.EqualTo(new[]
        {
            (a, 1_700_000_000_123_456_000L, 60),
            (b, 1_700_000_001_000_001_000L, 1514),
        }));
    }

    [TestCase((byte)9, 1_700_000_000_123_456_789UL, 1_700_000_000_123_456_789L)]
    [TestCase((byte)3, 1_700_000_000_123UL, 1_700_000_000_123_000_000L)]
    [TestCase((byte)12, 1_700_000_000_123_456_789UL, 1_700_000_000_123_456L)]
    [TestCase((byte)0x80, 5UL, 5_000_000_000L)]                 // 2^0 s: seconds
    [TestCase((byte)0x8A, 3UL * 1024 + 512, 3_500_000_000L)]   // 2^-10 s: 1/1024 s
    public void The_interfaces_timestamp_resolution_turns_units_into_nanoseconds(byte tsresol, ulong units, long nanoseconds)
    {
        byte[] file = new PcapNgFileBuilder().Interface(tsresol: tsresol).Enhanced(0, units, TestFrames.Make(0, 60)).ToArray();
        Assert.That(ReadAll(file).Single().Ns, Is.EqualTo(nanoseconds));
    }

    [Test]
    public void The_interfaces_timestamp_offset_is_added_in_seconds()
    {
        byte[] file = new PcapNgFileBuilder().Interface(tsresol: 9, tsoffset: 1_000).Enhanced(0, 5, TestFrames.Make(0, 60)).ToArray();
        Assert.That(ReadAll(file).Single().Ns, Is.EqualTo(1_000_000_000_005L));
    }

    [Test]
    public void Each_interface_keeps_its_own_resolution()
    {
        byte[] file = new PcapNgFileBuilder()
            .Interface(tsresol: 9, name: "a").Interface(name: "b")
            .Enhanced(1, 7, TestFrames.Make(0, 60)).Enhanced(0, 7, TestFrames.Make(1, 60))
            .ToArray();
        Assert.That(ReadAll(file).Select(f => f.Ns), Is.EqualTo(new[] { 7_000L, 7L }));
    }

    [Test]
    public void A_simple_packet_is_cut_to_the_snap_length_and_takes_the_previous_packets_time()
    {
        byte[] a = TestFrames.Make(0, 60), b = TestFrames.Make(1, 200);
        byte[] file = new PcapNgFileBuilder().Interface(snapLength: 128, tsresol: 9)
            .Enhanced(0, 42, a).Simple(b[..128], originalLength: 200).ToArray();
        List<(byte[] Frame, long Ns, int Original)> frames = ReadAll(file);
        Assert.That(frames[1], Is.EqualTo((b[..128], 42L, 200)));
    }

    [Test]
    public void Blocks_that_carry_no_frame_are_skipped_wherever_they_are()
    {
        byte[] a = TestFrames.Make(0, 60), b = TestFrames.Make(1, 61);
        byte[] file = new PcapNgFileBuilder()
            .Block(4, new byte[12])                    // name resolution
            .Interface()
            .Block(0xBAD, new byte[40])                // custom block
            .Enhanced(0, 1, a)
            .Block(5, new byte[20])                    // interface statistics
            .Block(2, new byte[36])                    // obsolete packet block: not read
            .Enhanced(0, 2, b)
            .ToArray();
        Assert.That(ReadAll(file).Select(f => f.Frame), Is.EqualTo(new[] { a, b }));
    }

    [Test]
    public void A_new_section_brings_its_own_byte_order_and_interfaces()
    {
        byte[] a = TestFrames.Make(0, 60), b = TestFrames.Make(1, 70);
        byte[] file = new PcapNgFileBuilder(bigEndian: false).Interface(tsresol: 9).Enhanced(0, 1, a)
            .Section(bigEndian: true).Interface().Enhanced(0, 1, b)
            .ToArray();
        Assert.That(ReadAll(file), Is.EqualTo(new[] { (a, 1L, 60), (b, 1_000L, 70) }));
    }

    [Test]
    public void Several_ethernet_interfaces_are_read()
    {
        byte[][] frames = TestFrames.Many(6);
        PcapNgFileBuilder builder = new PcapNgFileBuilder().Interface(name: "eth0").Interface(name: "eth1").Interface(name: "eth2");
        for (int i = 0; i < frames.Length; i++) builder.Enhanced((uint)(i % 3), (ulong)i, frames[i]);
        Assert.That(ReadAll(builder.ToArray()).Select(f => f.Frame), Is.EqualTo(frames));
    }

    [Test]
    public void An_interface_that_is_not_ethernet_is_refused_even_beside_ethernet_ones()
    {
        byte[] file = new PcapNgFileBuilder().Interface().Interface(linkType: 113).Enhanced(0, 1, TestFrames.Make(0, 60)).ToArray();
        Assert.That(Error(file), Does.Contain("interface 1").And.Contain("link type 113, not Ethernet"));
    }

    [Test]
    public void Rewind_reads_the_file_again_from_its_first_section()
    {
        byte[] a = TestFrames.Make(0, 60), b = TestFrames.Make(1, 70);
        byte[] file = new PcapNgFileBuilder(bigEndian: true).Interface(tsresol: 9).Enhanced(0, 5, a)
            .Section().Interface().Enhanced(0, 5, b).ToArray();
        using IFrameFileReader reader = Open(file);
        while (reader.TryReadFrame(out _, out _, out _))
        {
        }
        reader.Rewind();
        Assert.That(reader.TryReadFrame(out ReadOnlySpan<byte> frame, out long ns, out _), Is.True);
        Assert.That((frame.ToArray(), ns), Is.EqualTo((a, 5L)));
    }

    [Test]
    public void A_section_with_no_packets_is_an_empty_file_not_an_error() =>
        Assert.That(ReadAll(new PcapNgFileBuilder().Interface().ToArray()), Is.Empty);

    // --- broken files: one line saying what and where ------------------------------------------

    [Test]
    public void A_file_cut_inside_a_packet_block_is_truncated_at_that_block()
    {
        byte[] file = new PcapNgFileBuilder().Interface().Enhanced(0, 1, TestFrames.Make(0, 60)).Enhanced(0, 2, TestFrames.Make(1, 60)).ToArray();
        int secondBlock = 28 + 20 + 92;
        Assert.That(Error(file[..(secondBlock + 50)]), Does.Contain("truncated pcapng file: block at offset 140").And.Contain("50 of its 92 bytes"));
    }

    [Test]
    public void A_file_cut_inside_a_block_header_is_truncated() =>
        Assert.That(Error(new PcapNgFileBuilder().Interface().ToArray().Concat(new byte[] { 6, 0, 0 }).ToArray()),
            Does.Contain("truncated pcapng file").And.Contain("3 of its 8 bytes"));

    [Test]
    public void A_file_cut_inside_its_section_header_is_truncated() =>
        Assert.That(Error(new PcapNgFileBuilder().ToArray()[..20]), Does.Contain("truncated pcapng file").And.Contain("20 of its 28 bytes"));

    [Test]
    public void A_skipped_block_that_runs_past_the_end_of_the_file_is_truncated() =>
        Assert.That(Error(new PcapNgFileBuilder().Interface().Block(5, new byte[8], length: 4000).ToArray()),
            Does.Contain("truncated pcapng file").And.Contain("of its 4000 bytes"));

    [TestCase(13u, "length 13")]
    [TestCase(8u, "length 8")]
    [TestCase(0u, "length 0")]
    public void A_block_length_that_is_not_a_whole_number_of_words_of_at_least_12_is_refused(uint length, string expected) =>
        Assert.That(Error(new PcapNgFileBuilder().Interface().Enhanced(0, 1, TestFrames.Make(0, 60)).Block(0xBAD, new byte[4], length: length).ToArray()),
            Does.Contain("bad pcapng block at offset 140 (after frame 1)").And.Contain(expected));

    [Test]
    public void A_block_whose_two_lengths_differ_is_refused() =>
        Assert.That(Error(new PcapNgFileBuilder().Interface().Block(6, new byte[80], trailingLength: 96).ToArray()),
            Does.Contain("ends with length 96, not the 92 it starts with"));

    [Test]
    public void A_packet_block_of_huge_length_is_refused_without_reading_on() =>
        Assert.That(Error(new PcapNgFileBuilder().Interface().Block(6, new byte[80], length: 0xFFFF_FFF0).ToArray()),
            Does.Contain("4294967280"));

    [Test]
    public void A_huge_captured_length_is_refused() =>
        Assert.That(Error(new PcapNgFileBuilder().Interface().Enhanced(0, 1, new byte[60], capturedLength: 0x7FFF_FFF0).ToArray()),
            Does.Contain("captured length 2147483632 is more than 262144"));

    [Test]
    public void A_captured_length_beyond_its_block_is_refused() =>
        Assert.That(Error(new PcapNgFileBuilder().Interface().Enhanced(0, 1, new byte[60], capturedLength: 200).ToArray()),
            Does.Contain("captured length 200 runs past the end of its 92-byte block"));

    [Test]
    public void A_huge_original_length_is_refused() =>
        Assert.That(Error(new PcapNgFileBuilder().Interface().Enhanced(0, 1, new byte[60], originalLength: 0xFFFF_FFF0).ToArray()),
            Does.Contain("original length 4294967280 is absurd"));

    [Test]
    public void A_bad_byte_order_magic_is_refused()
    {
        byte[] file = new PcapNgFileBuilder().ToArray();
        file[8] = 0x99;
        Assert.That(Error(file), Does.Contain("byte-order magic 0x1a2b3c99"));
    }

    [Test]
    public void An_unknown_major_version_is_refused() =>
        Assert.That(Error(new PcapNgFileBuilder(major: 2).ToArray()), Does.Contain("unsupported pcapng version 2.0"));

    [Test]
    public void A_packet_on_an_interface_never_described_is_refused() =>
        Assert.That(Error(new PcapNgFileBuilder().Interface().Enhanced(3, 1, TestFrames.Make(0, 60)).ToArray()),
            Does.Contain("packet on interface 3, but the section defines 1 interface(s)"));

    [Test]
    public void A_simple_packet_before_any_interface_is_refused() =>
        Assert.That(Error(new PcapNgFileBuilder().Simple(TestFrames.Make(0, 60)).ToArray()), Does.Contain("before any interface description"));

    [Test]
    public void An_option_that_runs_past_its_block_is_refused()
    {
        byte[] file = new PcapNgFileBuilder().Interface(tsresol: 9).ToArray();
        file[28 + 16 + 2] = 0xF0;   // if_tsresol's length
        Assert.That(Error(file), Does.Contain("option 9 of 240 bytes runs past the end of its block"));
    }

    [Test]
    public void A_timestamp_resolution_beyond_64_bits_is_refused() =>
        Assert.That(Error(new PcapNgFileBuilder().Interface(tsresol: 0x80 | 100).ToArray()), Does.Contain("2^-100 s does not fit"));

    [Test]
    public void A_timestamp_beyond_what_nanoseconds_hold_is_refused() =>
        Assert.That(Error(new PcapNgFileBuilder().Interface(tsresol: 0).Enhanced(0, ulong.MaxValue, TestFrames.Make(0, 60)).ToArray()),
            Does.Contain("beyond the year 2262"));
}
