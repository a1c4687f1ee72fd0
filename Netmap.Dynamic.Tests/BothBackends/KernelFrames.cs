using System.Buffers.Binary;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>Frames and ring snapshots the two-backend rules share.</summary>
internal static class KernelFrames
{
    /// <summary>The broadcast address.</summary>
    public static readonly byte[] Broadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

    /// <summary>A frame whose bytes all derive from <paramref name="seed"/>, so a mix-up shows.</summary>
    public static byte[] Numbered(int seed, int length = 60)
    {
        byte[] frame = new byte[length];
        for (int i = 0; i < length; i++) frame[i] = (byte)((seed * 31) + i);
        if (length >= 4) BinaryPrimitives.WriteInt32LittleEndian(frame, seed);
        return frame;
    }

    /// <summary>The number <see cref="Numbered"/> wrote at the start of a frame.</summary>
    public static int NumberOf(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadInt32LittleEndian(frame);

    /// <summary>A locally administered unicast address ending in <paramref name="last"/>.</summary>
    public static byte[] Mac(byte last) => [0x02, 0, 0, 0, 0, last];

    /// <summary>
    /// An Ethernet frame (experimental EtherType 0x88b5) from <paramref name="source"/> to
    /// <paramref name="destination"/>: the payload bytes derive from <paramref name="tag"/>, which
    /// also stands at offset 14 (<see cref="TagOf"/>) when the frame is long enough.
    /// </summary>
    public static byte[] Ethernet(byte[] destination, byte[] source, int tag, int length = 60)
    {
        byte[] frame = new byte[length];
        destination.CopyTo(frame, 0);
        source.CopyTo(frame, 6);
        if (length >= 14) (frame[12], frame[13]) = ((byte)0x88, (byte)0xb5);
        for (int i = 14; i < length; i++) frame[i] = (byte)(tag + i);
        if (length >= 18) BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(14), tag);
        return frame;
    }

    /// <summary>The tag <see cref="Ethernet"/> wrote into a frame.</summary>
    public static int TagOf(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadInt32LittleEndian(frame[14..]);

    /// <summary>(head, cur, tail) of a ring.</summary>
    public static (int Head, int Cur, int Tail) State(NetmapRing ring) => (ring.Head, ring.Cur, ring.Tail);
}
