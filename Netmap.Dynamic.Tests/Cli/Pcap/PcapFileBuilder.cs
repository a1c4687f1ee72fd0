using System.Buffers.Binary;

namespace Netmap.Dynamic.Tests.Cli.Pcap;

/// <summary>
/// Builds pcap files byte by byte from the format's description (pcap-savefile(5)), in either
/// byte order and timestamp resolution, independently of the code under test.
/// </summary>
internal sealed class PcapFileBuilder
{
    private readonly MemoryStream _bytes = new();
    private readonly bool _bigEndian;

    public PcapFileBuilder(bool nanoseconds = true, bool bigEndian = false, uint snapLength = 262144, uint linkType = 1, ushort major = 2)
    {
        _bigEndian = bigEndian;
        U32(nanoseconds ? 0xA1B23C4Du : 0xA1B2C3D4u);
        U16(major);
        U16(4);
        U32(0);
        U32(0);
        U32(snapLength);
        U32(linkType);
    }

    public PcapFileBuilder Record(uint seconds, uint fraction, byte[] data, uint? capturedLength = null, uint? originalLength = null)
    {
        U32(seconds);
        U32(fraction);
        U32(capturedLength ?? (uint)data.Length);
        U32(originalLength ?? (uint)data.Length);
        _bytes.Write(data);
        return this;
    }

    public byte[] ToArray() => _bytes.ToArray();

    public string WriteTo(string path)
    {
        File.WriteAllBytes(path, ToArray());
        return path;
    }

    private void U16(ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        if (_bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, v); else BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        _bytes.Write(b);
    }

    private void U32(uint v)
    {
        Span<byte> b = stackalloc byte[4];
        if (_bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, v); else BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        _bytes.Write(b);
    }
}
