using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>
/// Builds pkt-gen's test frames: valid Ethernet/IPv4/UDP with a correct IPv4 header checksum
/// and UDP checksum, and a sequence number at the start of the payload. Everything but the
/// sequence number and the UDP checksum is the same in every frame, so the builder keeps a
/// template and the checksum sum of its constant part, and per frame only copies the template,
/// stores the sequence number and adds its four words to the precomputed sum.
/// </summary>
internal sealed class FrameBuilder
{
    // The text the payload repeats after the sequence number (pkt-gen fills its payload with text too).
    private static readonly byte[] Pattern = Encoding.ASCII.GetBytes("netmap.dynamic pkt-gen payload\n");

    private readonly byte[] _template;
    private readonly ulong _udpBaseSum;   // pseudo-header + UDP header + payload, with sequence 0 and checksum 0

    public FrameBuilder(int size)
        : this(size, FrameAddresses.Default)
    {
    }

    public FrameBuilder(int size, FrameAddresses addresses)
    {
        if (size is < FrameLayout.MinSize or > FrameLayout.MaxSize)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"frame size must be {FrameLayout.MinSize} to {FrameLayout.MaxSize} bytes");
        }
        Size = size;
        Addresses = addresses;
        _template = new byte[size];
        Span<byte> f = _template;

        addresses.Destination.CopyTo(f[0..6]);
        addresses.Source.CopyTo(f[6..12]);
        BinaryPrimitives.WriteUInt16BigEndian(f[12..], 0x0800);                 // EtherType IPv4

        Span<byte> ip = f.Slice(FrameLayout.Ipv4Offset, FrameLayout.Ipv4Header);
        ip[0] = 0x45;                                                           // version 4, IHL 5 words
        ip[1] = 0;                                                              // DSCP/ECN
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(size - FrameLayout.EthernetHeader)); // total length
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], 0);                      // identification
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000);                 // don't fragment
        ip[8] = 64;                                                             // TTL
        ip[9] = 17;                                                             // protocol UDP
        addresses.SourceIp.TryWriteBytes(ip[12..16], out _);
        addresses.DestinationIp.TryWriteBytes(ip[16..20], out _);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], InternetChecksum.Finish(InternetChecksum.Add(0, ip)));

        int udpLength = size - FrameLayout.UdpOffset;
        Span<byte> udp = f[FrameLayout.UdpOffset..];
        BinaryPrimitives.WriteUInt16BigEndian(udp[0..], addresses.SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], addresses.DestinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)udpLength);
        // udp[6..8], the checksum, and the sequence number stay 0 in the template.

        Span<byte> pattern = f[FrameLayout.PatternOffset..];
        for (int i = 0; i < pattern.Length; i++)
        {
            pattern[i] = Pattern[i % Pattern.Length];
        }

        // UDP pseudo-header: source and destination address, zero, protocol, UDP length.
        ulong sum = InternetChecksum.Add(0, ip[12..20]);
        sum += 17;
        sum += (ulong)udpLength;
        _udpBaseSum = InternetChecksum.Add(sum, udp);
    }

    /// <summary>Frame length in bytes, without the Ethernet CRC.</summary>
    public int Size { get; }

    public FrameAddresses Addresses { get; }

    /// <summary>The frame with sequence number 0 and checksum 0 (for tests and the checker).</summary>
    public ReadOnlySpan<byte> Template => _template;

    /// <summary>The UDP checksum of the frame carrying <paramref name="sequence"/>.</summary>
    public ushort UdpChecksum(ulong sequence)
    {
        ushort checksum = InternetChecksum.Finish(InternetChecksum.AddUInt64(_udpBaseSum, sequence));
        return checksum == 0 ? (ushort)0xFFFF : checksum;   // RFC 768: 0 means "no checksum", so send all ones
    }

    /// <summary>Writes the frame carrying <paramref name="sequence"/> into the start of
    /// <paramref name="buffer"/>; returns its length. No allocation.</summary>
    public int Write(Span<byte> buffer, ulong sequence)
    {
        _template.CopyTo(buffer);   // throws if the buffer is too small: a size check, not flow control
        BinaryPrimitives.WriteUInt64BigEndian(buffer[FrameLayout.SequenceOffset..], sequence);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[FrameLayout.UdpChecksumOffset..], UdpChecksum(sequence));
        return _template.Length;
    }

    /// <summary>The builder of the reply a pong sends back: addresses and ports swapped.</summary>
    public FrameBuilder Reversed() => new(Size, Addresses.Reversed());

    /// <summary>Turns a frame into its reply in place by swapping MAC addresses, IP addresses
    /// and UDP ports. Both checksums stay valid because a ones' complement sum does not depend
    /// on the order of its words.</summary>
    public static void SwapAddresses(Span<byte> frame)
    {
        Swap(frame[0..6], frame[6..12]);
        Swap(frame.Slice(FrameLayout.Ipv4Offset + 12, 4), frame.Slice(FrameLayout.Ipv4Offset + 16, 4));
        Swap(frame.Slice(FrameLayout.UdpOffset, 2), frame.Slice(FrameLayout.UdpOffset + 2, 2));
    }

    private static void Swap(Span<byte> a, Span<byte> b)
    {
        Span<byte> tmp = stackalloc byte[6];
        a.CopyTo(tmp);
        b.CopyTo(a);
        tmp[..b.Length].CopyTo(b);
    }
}

/// <summary>Addresses and ports a frame carries. The defaults follow netmap's pkt-gen:
/// 10.0.0.1:1234 to 10.1.0.1:4321. The MACs are locally administered unicast addresses; a VALE
/// switch floods the first frames to an unknown destination and learns the rest.</summary>
internal sealed record FrameAddresses(byte[] Source, byte[] Destination, IPAddress SourceIp, IPAddress DestinationIp, ushort SourcePort, ushort DestinationPort)
{
    public static FrameAddresses Default { get; } = new(
        [0x02, 0x00, 0x00, 0x00, 0x00, 0x01],
        [0x02, 0x00, 0x00, 0x00, 0x00, 0x02],
        IPAddress.Parse("10.0.0.1"),
        IPAddress.Parse("10.1.0.1"),
        1234,
        4321);

    public FrameAddresses Reversed() => new(Destination, Source, DestinationIp, SourceIp, DestinationPort, SourcePort);
}
