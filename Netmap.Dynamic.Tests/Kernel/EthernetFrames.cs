using System.Buffers.Binary;

namespace Netmap.Dynamic.Tests.Kernel;

/// <summary>Frames for the rule tests of issue 14: Ethernet frames with a recognisable payload.</summary>
internal static class EthernetFrames
{
    /// <summary>The broadcast address: a VALE switch floods it to every other port.</summary>
    public static readonly byte[] Broadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

    /// <summary>A locally administered unicast MAC ending in <paramref name="last"/>.</summary>
    public static byte[] Mac(byte last) => [0x02, 0x00, 0x00, 0x14, 0x00, last];

    /// <summary>
    /// An Ethernet frame of <paramref name="length"/> bytes to <paramref name="destination"/> from
    /// <paramref name="source"/> (EtherType 0x88b5, local experimental) whose payload byte i is
    /// <c>tag + i * 7</c>, so that frames and their fragments differ and a shifted copy is seen.
    /// </summary>
    public static byte[] Ethernet(int length, byte tag, byte[]? destination = null, byte[]? source = null)
    {
        byte[] frame = new byte[length];
        (destination ?? Broadcast).CopyTo(frame, 0);
        (source ?? Mac(1)).CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x88b5);
        for (int i = 14; i < length; i++)
            frame[i] = (byte)(tag + (i * 7));
        return frame;
    }
}
