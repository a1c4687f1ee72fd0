using Netmap.Dynamic.Cli.PktGen;

namespace Netmap.Dynamic.Tests.Cli.PktGen;

/// <summary>
/// The frame builder's checksums, held against a reference written here from RFC 1071 and
/// RFC 768 with none of the builder's shortcuts (no template, no precomputed sums).
/// </summary>
public class FrameBuilderTests
{
    // RFC 1071, the straightforward way: sum 16-bit big-endian words in a 32-bit int, pad an
    // odd byte, fold the carries, complement.
    private static ushort ReferenceChecksum(byte[] data)
    {
        uint sum = 0;
        for (int i = 0; i < data.Length; i += 2)
        {
            uint hi = data[i];
            uint lo = i + 1 < data.Length ? data[i + 1] : 0u;
            sum += (hi << 8) | lo;
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    private static ushort ReadBe16(byte[] b, int offset) => (ushort)((b[offset] << 8) | b[offset + 1]);

    private static byte[] Frame(int size, ulong sequence)
    {
        byte[] frame = new byte[size];
        int written = new FrameBuilder(size).Write(frame, sequence);
        Assert.That(written, Is.EqualTo(size));
        return frame;
    }

    // Pseudo-header (src, dst, 0, 17, UDP length) followed by the UDP header and payload with
    // the checksum field zeroed: what RFC 768 sums.
    private static ushort ReferenceUdpChecksum(byte[] frame)
    {
        int udpLength = frame.Length - 34;
        byte[] buffer = new byte[12 + udpLength];
        Array.Copy(frame, 14 + 12, buffer, 0, 8);
        buffer[8] = 0;
        buffer[9] = 17;
        buffer[10] = (byte)(udpLength >> 8);
        buffer[11] = (byte)udpLength;
        Array.Copy(frame, 34, buffer, 12, udpLength);
        buffer[12 + 6] = 0;
        buffer[12 + 7] = 0;
        ushort checksum = ReferenceChecksum(buffer);
        return checksum == 0 ? (ushort)0xFFFF : checksum;
    }

    /// <summary>Frame sizes (smallest, odd, full Ethernet, largest buffer) with sequence numbers that stress the sums.</summary>
    private static readonly object[] SizesAndSequences =
    [
        new object[] { 60, 0ul },
        new object[] { 60, 1ul },
        new object[] { 61, 12345ul },
        new object[] { 64, 0xFFFF_FFFF_FFFF_FFFFul },
        new object[] { 1514, 0x0123_4567_89AB_CDEFul },
        new object[] { 2047, 77ul },
        new object[] { 2048, 1ul << 40 },
    ];

    [TestCaseSource(nameof(SizesAndSequences))]
    public void Ipv4_header_checksum_matches_the_reference_and_verifies(int size, ulong sequence)
    {
        byte[] frame = Frame(size, sequence);
        byte[] header = frame[14..34];
        ushort stored = ReadBe16(header, 10);

        // A receiver's check: the sum over the header including its checksum is all ones,
        // so the reference checksum of the whole header is 0.
        Assert.That(ReferenceChecksum(header), Is.Zero);

        header[10] = 0;
        header[11] = 0;
        Assert.That(stored, Is.EqualTo(ReferenceChecksum(header)));
    }

    [TestCaseSource(nameof(SizesAndSequences))]
    public void Udp_checksum_matches_the_reference(int size, ulong sequence)
    {
        byte[] frame = Frame(size, sequence);
        Assert.That(ReadBe16(frame, 40), Is.EqualTo(ReferenceUdpChecksum(frame)));
    }

    [Test]
    public void Udp_checksum_that_computes_to_zero_is_sent_as_all_ones()
    {
        // The low 16 bits of the sequence number add linearly to the sum, so some value in
        // 0..65535 makes the computed checksum 0; RFC 768 says to send 0xFFFF then.
        byte[] frame = Frame(60, 0);
        ulong? zeroing = null;
        for (ulong s = 0; s < 65536 && zeroing is null; s++)
        {
            frame = Frame(60, s);
            frame[40] = 0;
            frame[41] = 0;
            int udpLength = 60 - 34;
            byte[] buffer = new byte[12 + udpLength];
            Array.Copy(frame, 26, buffer, 0, 8);
            buffer[9] = 17;
            buffer[11] = (byte)udpLength;
            Array.Copy(frame, 34, buffer, 12, udpLength);
            if (ReferenceChecksum(buffer) == 0)
            {
                zeroing = s;
            }
        }
        Assert.That(zeroing, Is.Not.Null);
        Assert.That(ReadBe16(Frame(60, zeroing!.Value), 40), Is.EqualTo(0xFFFF));
    }

    [Test]
    public void Frame_is_ethernet_ipv4_udp_with_the_sequence_number_in_the_payload()
    {
        byte[] frame = Frame(100, 0x0102030405060708);
        Assert.Multiple(() =>
        {
            Assert.That(ReadBe16(frame, 12), Is.EqualTo(0x0800), "EtherType");
            Assert.That(frame[14], Is.EqualTo(0x45), "IPv4, 20-byte header");
            Assert.That(ReadBe16(frame, 16), Is.EqualTo(100 - 14), "IP total length");
            Assert.That(frame[23], Is.EqualTo(17), "protocol UDP");
            Assert.That(frame[22], Is.GreaterThan(0), "TTL");
            Assert.That(frame[26..30], Is.EqualTo(new byte[] { 10, 0, 0, 1 }));
            Assert.That(frame[30..34], Is.EqualTo(new byte[] { 10, 1, 0, 1 }));
            Assert.That(ReadBe16(frame, 34), Is.EqualTo(1234));
            Assert.That(ReadBe16(frame, 36), Is.EqualTo(4321));
            Assert.That(ReadBe16(frame, 38), Is.EqualTo(100 - 34), "UDP length");
            Assert.That(frame[42..50], Is.EqualTo(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }), "big-endian sequence number");
            Assert.That(frame[0] & 1, Is.Zero, "destination MAC is unicast");
            Assert.That(frame[6] & 1, Is.Zero, "source MAC is unicast");
        });
    }

    [Test]
    public void Consecutive_frames_differ_only_in_sequence_and_checksum()
    {
        byte[] a = Frame(128, 41);
        byte[] b = Frame(128, 42);
        int[] differing = Enumerable.Range(0, 128).Where(i => a[i] != b[i]).ToArray();
        Assert.That(differing, Is.SubsetOf(new[] { 40, 41, 42, 43, 44, 45, 46, 47, 48, 49 }));
        Assert.That(differing, Does.Contain(49));
    }

    [TestCase(59)]
    [TestCase(65536)]
    public void Size_outside_60_to_65535_is_refused(int size)
    {
        Assert.That(() => new FrameBuilder(size), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Swapped_reply_keeps_both_checksums_valid()
    {
        byte[] frame = Frame(73, 999);
        byte[] original = (byte[])frame.Clone();
        FrameBuilder.SwapAddresses(frame);

        Assert.That(frame[0..6], Is.EqualTo(original[6..12]));
        Assert.That(frame[6..12], Is.EqualTo(original[0..6]));
        Assert.That(frame[26..30], Is.EqualTo(original[30..34]));
        Assert.That(ReadBe16(frame, 34), Is.EqualTo(4321));
        Assert.That(ReferenceChecksum(frame[14..34]), Is.Zero);
        Assert.That(ReadBe16(frame, 40), Is.EqualTo(ReferenceUdpChecksum(frame)));
    }
}
