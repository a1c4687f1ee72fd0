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

    /// <summary>Ones' complement 16-bit sum of every byte, as ringbench.c computes it.</summary>
    public static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        int i = 0;
        for (; i + 1 < data.Length; i += 2) sum += ((uint)data[i] << 8) | data[i + 1];
        if (i < data.Length) sum += (uint)data[i] << 8;
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        return sum;
    }
}
