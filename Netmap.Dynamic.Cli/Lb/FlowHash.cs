using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Netmap.Dynamic.Cli.Lb;

/// <summary>
/// A symmetric hash of a frame's flow, as netmap's <c>lb</c> spreads frames: IPv4 and IPv6
/// addresses, and the ports of TCP, UDP and SCTP, taken in a fixed order (the smaller address
/// first) so that both directions of a flow (source and destination swapped) hash alike. One 802.1Q tag is skipped. Other frames hash by
/// their MAC addresses, the same way. Reads only within the frame; never throws.
/// </summary>
internal static class FlowHash
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Of(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 14)
        {
            return 0;
        }
        int l3 = 14;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
        if (type == 0x8100 && frame.Length >= 18)
        {
            type = BinaryPrimitives.ReadUInt16BigEndian(frame[16..]);
            l3 = 18;
        }
        if (type == 0x0800 && frame.Length >= l3 + 20)
        {
            ReadOnlySpan<byte> ip = frame[l3..];
            int ihl = (ip[0] & 0xf) * 4;
            byte protocol = ip[9];
            bool fragment = (BinaryPrimitives.ReadUInt16BigEndian(ip[6..]) & 0x3fff) != 0;   // later fragments carry no ports
            (uint sp, uint dp) = !fragment && ihl >= 20 ? Ports(ip, ihl, protocol) : (0u, 0u);
            return Ordered(BinaryPrimitives.ReadUInt32BigEndian(ip[12..]), BinaryPrimitives.ReadUInt32BigEndian(ip[16..]), sp, dp, protocol);
        }
        if (type == 0x86dd && frame.Length >= l3 + 40)
        {
            ReadOnlySpan<byte> ip = frame[l3..];
            byte protocol = ip[6];
            uint source = 0, destination = 0;
            for (int i = 8; i < 24; i += 4)
            {
                source = Mix(source, BinaryPrimitives.ReadUInt32BigEndian(ip[i..]), 0);
                destination = Mix(destination, BinaryPrimitives.ReadUInt32BigEndian(ip[(i + 16)..]), 0);
            }
            (uint sp, uint dp) = Ports(ip, 40, protocol);
            return Ordered(source, destination, sp, dp, protocol);
        }
        uint destinationMac = Mix(BinaryPrimitives.ReadUInt32BigEndian(frame), BinaryPrimitives.ReadUInt16BigEndian(frame[4..]), 0);
        uint sourceMac = Mix(BinaryPrimitives.ReadUInt32BigEndian(frame[6..]), BinaryPrimitives.ReadUInt16BigEndian(frame[10..]), 0);
        return Ordered(sourceMac, destinationMac, 0, 0, type);
    }

    /// <summary>Symmetric and lossless: the (address, port) ends in a fixed order, the smaller address first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Ordered(uint a, uint b, uint pa, uint pb, uint protocol)
    {
        if (a > b || (a == b && pa > pb))
        {
            (a, b, pa, pb) = (b, a, pb, pa);
        }
        return Mix(Mix(a, b, protocol), (pa << 16) | pb, 0);
    }

    // TCP 6, UDP 17, SCTP 132: source and destination port.
    private static (uint Source, uint Destination) Ports(ReadOnlySpan<byte> ip, int offset, byte protocol) =>
        protocol is 6 or 17 or 132 && ip.Length >= offset + 4
            ? (BinaryPrimitives.ReadUInt16BigEndian(ip[offset..]), BinaryPrimitives.ReadUInt16BigEndian(ip[(offset + 2)..]))
            : (0u, 0u);

    // murmur3's finaliser over the parts: every input bit reaches every output bit.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mix(uint a, uint b, uint c)
    {
        uint h = (a * 0xcc9e2d51u) ^ (b * 0x9e3779b1u) ^ (c << 24) ^ System.Numerics.BitOperations.RotateLeft(b, 15);
        h ^= h >> 16;
        h *= 0x85ebca6bu;
        h ^= h >> 13;
        h *= 0xc2b2ae35u;
        h ^= h >> 16;
        return h;
    }
}
