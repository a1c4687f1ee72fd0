using System.Buffers.Binary;
using System.Net;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>Ethernet + IPv4 + UDP frames, built and parsed, for traffic between netmap rings and the host stack.</summary>
internal static class UdpFrames
{
    private const int EthernetHeader = 14, IpHeader = 20, UdpHeader = 8;

    /// <summary>
    /// A frame carrying <paramref name="payload"/> in a UDP datagram; the IPv4 header checksum is
    /// computed, the UDP checksum left 0 (allowed over IPv4: "no checksum"), so the host stack accepts it.
    /// </summary>
    public static byte[] Build(byte[] destinationMac, byte[] sourceMac, IPAddress sourceIp, IPAddress destinationIp,
        ushort sourcePort, ushort destinationPort, ReadOnlySpan<byte> payload)
    {
        byte[] frame = new byte[EthernetHeader + IpHeader + UdpHeader + payload.Length];
        Span<byte> f = frame;
        destinationMac.CopyTo(f);
        sourceMac.CopyTo(f[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(f[12..], 0x0800);
        Span<byte> ip = f[EthernetHeader..];
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(IpHeader + UdpHeader + payload.Length));
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], 0x1414);   // identification
        ip[8] = 64;                                               // TTL
        ip[9] = 17;                                               // UDP
        sourceIp.GetAddressBytes().CopyTo(ip[12..]);
        destinationIp.GetAddressBytes().CopyTo(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], HeaderChecksum(ip[..IpHeader]));
        Span<byte> udp = ip[IpHeader..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(UdpHeader + payload.Length));
        payload.CopyTo(udp[UdpHeader..]);
        return frame;
    }

    /// <summary>The payload of a UDP-over-IPv4 frame to <paramref name="destinationPort"/>; false for any other frame.</summary>
    public static bool TryGetPayload(ReadOnlySpan<byte> frame, ushort destinationPort, out byte[] payload)
    {
        payload = [];
        if (frame.Length < EthernetHeader + IpHeader + UdpHeader || BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) != 0x0800)
            return false;
        ReadOnlySpan<byte> ip = frame[EthernetHeader..];
        int headerLength = (ip[0] & 0x0f) * 4;
        if (ip[9] != 17 || ip.Length < headerLength + UdpHeader)
            return false;
        ReadOnlySpan<byte> udp = ip[headerLength..];
        int udpLength = BinaryPrimitives.ReadUInt16BigEndian(udp[4..]);
        if (BinaryPrimitives.ReadUInt16BigEndian(udp[2..]) != destinationPort || udpLength < UdpHeader || udpLength > udp.Length)
            return false;
        payload = udp[UdpHeader..udpLength].ToArray();
        return true;
    }

    private static ushort HeaderChecksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i < header.Length; i += 2)
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        while (sum > 0xffff)
            sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }
}
