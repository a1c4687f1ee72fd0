using System.Buffers.Binary;

namespace Netmap.Dynamic.Tests.Cli.Pcap;

/// <summary>Deterministic test frames: an Ethernet header (local experimental EtherType 0x88b5), the frame's number, then seeded random bytes.</summary>
internal static class TestFrames
{
    public static byte[] Make(int number, int length, int seed = 1)
    {
        byte[] frame = new byte[length];
        new Random(seed * 7919 + number).NextBytes(frame);
        byte[] header = [0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x88, 0xb5];
        header.AsSpan(0, Math.Min(header.Length, length)).CopyTo(frame);
        if (length >= 18) BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(14), number);
        return frame;
    }

    /// <summary><paramref name="count"/> frames with lengths cycling through 60..1514.</summary>
    public static byte[][] Many(int count, int seed = 1) =>
        [.. Enumerable.Range(0, count).Select(i => Make(i, 60 + (i * 97 % 1455), seed))];
}
