using System.Buffers.Binary;

namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>
/// The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of
/// 16-bit big-endian words. Kept as a running 64-bit sum so that parts of a frame can be
/// summed separately (pseudo-header, header, payload) and combined.
/// </summary>
internal static class InternetChecksum
{
    /// <summary>Adds the big-endian 16-bit words of <paramref name="data"/> to <paramref name="sum"/>
    /// (an odd last byte is padded with a zero byte, as RFC 1071 says).</summary>
    public static ulong Add(ulong sum, ReadOnlySpan<byte> data)
    {
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }
        if (i < data.Length)
        {
            sum += (ulong)data[i] << 8;
        }
        return sum;
    }

    /// <summary>Adds the four 16-bit words of a 64-bit value, as if it were stored big-endian
    /// at an even offset of the summed data.</summary>
    public static ulong AddUInt64(ulong sum, ulong value) =>
        sum + (value >> 48) + ((value >> 32) & 0xFFFF) + ((value >> 16) & 0xFFFF) + (value & 0xFFFF);

    /// <summary>Folds the carries back in and returns the 16-bit ones' complement sum.</summary>
    public static ushort Fold(ulong sum)
    {
        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)sum;
    }

    /// <summary>The checksum field's value: the complement of the folded sum.</summary>
    public static ushort Finish(ulong sum) => (ushort)~Fold(sum);
}
