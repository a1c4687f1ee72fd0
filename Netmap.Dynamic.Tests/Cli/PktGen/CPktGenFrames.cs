using System.Buffers.Binary;
using System.Text;
using Netmap.Dynamic.Cli.PktGen;

namespace Netmap.Dynamic.Tests.Cli.PktGen;

/// <summary>
/// Frames laid out as netmap's C pkt-gen sends them by default (`-f tx`, IPv4; read from its
/// initialize_packet, written here from that description): destination ff:ff:ff:ff:ff:ff, the
/// port's MAC as source (zero for a pipe), IPv4 10.0.0.1 → 10.1.0.1 with TOS 0x10 (low delay),
/// TTL 64, don't-fragment, identification 0, UDP 1234 → 4321, a payload of the text
/// "netmap pkt-gen DIRECT payload\n" repeated and cut to length with a NUL as its last byte,
/// and correct IPv4 and UDP checksums. Nothing in them is where this tool's frames keep their
/// sequence number, so this tool's --verify finds them all corrupt.
/// </summary>
internal static class CPktGenFrames
{
    private static readonly byte[] Payload = Encoding.ASCII.GetBytes("netmap pkt-gen DIRECT payload\n");

    public static byte[] Build(int size)
    {
        byte[] frame = new byte[size];
        Span<byte> f = frame;
        f[0..6].Fill(0xFF);
        BinaryPrimitives.WriteUInt16BigEndian(f[12..], 0x0800);

        Span<byte> ip = f.Slice(14, 20);
        ip[0] = 0x45;
        ip[1] = 0x10;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(size - 14));
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000);
        ip[8] = 64;
        ip[9] = 17;
        new byte[] { 10, 0, 0, 1 }.CopyTo(ip[12..]);
        new byte[] { 10, 1, 0, 1 }.CopyTo(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], InternetChecksum.Finish(InternetChecksum.Add(0, ip)));

        int udpLength = size - 34;
        Span<byte> udp = f[34..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, 1234);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 4321);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)udpLength);
        Span<byte> body = udp[8..];
        for (int i = 0; i < body.Length; i++)
        {
            body[i] = Payload[i % Payload.Length];
        }
        body[^1] = 0;
        ulong sum = InternetChecksum.Add(0, ip[12..20]) + 17 + (ulong)udpLength;
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], InternetChecksum.Finish(InternetChecksum.Add(sum, udp)));
        return frame;
    }

    /// <summary>Sends <paramref name="frames"/> on TX ring 0 of <paramref name="port"/> and syncs.</summary>
    public static void Send(NetmapPort port, IEnumerable<byte[]> frames)
    {
        NetmapRing ring = port.GetTxRing(port.FirstTxRing);
        foreach (byte[] frame in frames)
        {
            Assert.That(ring.TryWrite(frame), Is.True, "the test sends no more than the ring holds");
        }
        port.TxSync();
    }
}
