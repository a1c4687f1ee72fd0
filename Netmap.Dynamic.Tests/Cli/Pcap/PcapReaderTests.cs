using Netmap.Dynamic.Cli.Pcap;

namespace Netmap.Dynamic.Tests.Cli.Pcap;

public class PcapReaderTests
{
    private static PcapReader Open(byte[] file) => PcapReader.Open(new MemoryStream(file), "test.pcap");

    private static string Error(byte[] file)
    {
        PcapFormatException e = Assert.Throws<PcapFormatException>(() =>
        {
            using PcapReader reader = Open(file);
            while (reader.TryReadFrame(out _, out _, out _))
            {
            }
        })!;
        Assert.That(e.Message, Does.Not.Contain('\n'), "one line");
        return e.Message;
    }

    [TestCase(false, false)]
    [TestCase(false, true)]
    [TestCase(true, false)]
    [TestCase(true, true)]
    public void Reads_either_byte_order_and_either_timestamp_resolution(bool bigEndian, bool nanoseconds)
    {
        byte[] a = TestFrames.Make(0, 60), b = TestFrames.Make(1, 1514);
        byte[] file = new PcapFileBuilder(nanoseconds, bigEndian, snapLength: 65535)
            .Record(10, nanoseconds ? 999_999_999u : 999_999u, a)
            .Record(11, 1, b)
            .ToArray();
        using PcapReader reader = Open(file);
        Assert.Multiple(() =>
        {
            Assert.That(reader.Header.BigEndian, Is.EqualTo(bigEndian));
            Assert.That(reader.Header.Nanoseconds, Is.EqualTo(nanoseconds));
            Assert.That(reader.Header.SnapLength, Is.EqualTo(65535));
            Assert.That(reader.Header.LinkType, Is.EqualTo(1));
        });
        Assert.That(reader.TryReadFrame(out ReadOnlySpan<byte> first, out long t1, out int l1), Is.True);
        Assert.That((first.ToArray(), t1, l1), Is.EqualTo((a, 10_999_999_999L - (nanoseconds ? 0 : 999), 60)));
        Assert.That(reader.TryReadFrame(out ReadOnlySpan<byte> second, out long t2, out _), Is.True);
        Assert.That((second.ToArray(), t2), Is.EqualTo((b, 11_000_000_000L + (nanoseconds ? 1 : 1000))));
        Assert.That(reader.TryReadFrame(out _, out _, out _), Is.False);
    }

    [Test]
    public void A_cut_frame_reports_its_original_length()
    {
        byte[] file = new PcapFileBuilder().Record(0, 0, TestFrames.Make(0, 64), originalLength: 1514).ToArray();
        using PcapReader reader = Open(file);
        Assert.That(reader.TryReadFrame(out ReadOnlySpan<byte> frame, out _, out int original), Is.True);
        Assert.That((frame.Length, original), Is.EqualTo((64, 1514)));
    }

    [Test]
    public void Rewind_starts_again_at_the_first_frame()
    {
        byte[] file = new PcapFileBuilder().Record(1, 0, TestFrames.Make(0, 60)).Record(2, 0, TestFrames.Make(1, 70)).ToArray();
        using PcapReader reader = Open(file);
        while (reader.TryReadFrame(out _, out _, out _))
        {
        }
        reader.Rewind();
        Assert.That(reader.TryReadFrame(out ReadOnlySpan<byte> frame, out long ns, out _), Is.True);
        Assert.That((frame.Length, ns), Is.EqualTo((60, 1_000_000_000L)));
    }

    [Test]
    public void An_empty_file_is_not_a_pcap_file() =>
        Assert.That(Error([]), Does.Contain("empty file"));

    [Test]
    public void A_file_shorter_than_a_magic_number_is_refused() =>
        Assert.That(Error([0xd4, 0xc3, 0xb2]), Does.Contain("too short"));

    [Test]
    public void A_wrong_magic_number_is_refused_with_the_magic_it_found() =>
        Assert.That(Error("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray()), Does.Contain("not a pcap file").And.Contain("0x20544547"));

    [Test]
    public void A_pcapng_file_given_to_the_classic_reader_is_named_as_such() =>
        Assert.That(Error([0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            Does.Contain("this is a pcapng file"));

    [Test]
    public void A_truncated_file_header_is_refused() =>
        Assert.That(Error(new PcapFileBuilder().ToArray()[..10]), Does.Contain("truncated pcap file header: 10 of 24"));

    [Test]
    public void An_unknown_major_version_is_refused() =>
        Assert.That(Error(new PcapFileBuilder(major: 3).ToArray()), Does.Contain("unsupported pcap version 3.4"));

    [Test]
    public void A_truncated_record_header_names_the_frame_and_offset()
    {
        byte[] file = new PcapFileBuilder().Record(0, 0, TestFrames.Make(0, 60)).Record(0, 0, TestFrames.Make(1, 60)).ToArray();
        Assert.That(Error(file[..(24 + 76 + 7)]), Does.Contain("truncated pcap file: frame 2 at offset 100").And.Contain("7 of 16 bytes"));
    }

    [Test]
    public void Truncated_frame_data_names_the_frame_and_what_is_missing()
    {
        byte[] file = new PcapFileBuilder().Record(0, 0, TestFrames.Make(0, 60)).ToArray();
        Assert.That(Error(file[..^20]), Does.Contain("frame 1 at offset 24").And.Contain("40 of its 60 captured bytes"));
    }

    [Test]
    public void An_absurd_captured_length_is_refused_without_reading_on()
    {
        byte[] file = new PcapFileBuilder().Record(0, 0, new byte[60], capturedLength: 0x7fff_fff0).ToArray();
        Assert.That(Error(file), Does.Contain("captured length 2147483632 is more than 262144"));
    }

    [Test]
    public void An_absurd_original_length_is_refused()
    {
        byte[] file = new PcapFileBuilder().Record(0, 0, new byte[60], originalLength: 0xffff_fff0).ToArray();
        Assert.That(Error(file), Does.Contain("original length 4294967280 is absurd"));
    }

    [Test]
    public void A_sub_second_field_of_a_second_or_more_is_refused()
    {
        byte[] file = new PcapFileBuilder(nanoseconds: false).Record(0, 1_000_000, new byte[60]).ToArray();
        Assert.That(Error(file), Does.Contain("sub-second timestamp 1000000"));
    }
}
