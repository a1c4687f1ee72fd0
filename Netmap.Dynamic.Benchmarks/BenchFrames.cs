using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Benchmarks;

/// <summary>What every data-plane benchmark and its C reference share: frame size, contents, checksum.</summary>
internal static class BenchFrames
{
    /// <summary>Ethernet frame without CRC, the smallest (64 bytes on the wire).</summary>
    public const int FrameLength = 60;

    /// <summary>Frames per benchmark invocation (BenchmarkDotNet divides by it).</summary>
    public const int PerInvoke = 1 << 16;

    /// <summary>The frame bytes: the same pattern as the C reference (i * 7 + 1).</summary>
    public static byte[] Frame()
    {
        byte[] frame = new byte[FrameLength];
        for (int i = 0; i < frame.Length; i++) frame[i] = (byte)((i * 7) + 1);
        return frame;
    }

    /// <summary>
    /// Ones' complement sum of the bytes as big-endian 16-bit words, as ringbench.c computes it,
    /// written the way a C# program would (spans, no unsafe code): the words are read through a
    /// <c>ReadOnlySpan&lt;ushort&gt;</c> so the JIT can drop per-byte bounds checks.
    /// </summary>
    public static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        ReadOnlySpan<ushort> words = MemoryMarshal.Cast<byte, ushort>(data);
        for (int w = 0; w < words.Length; w++)
            sum += BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(words[w]) : words[w];
        if ((data.Length & 1) != 0) sum += (uint)data[^1] << 8;
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        return sum;
    }
}
