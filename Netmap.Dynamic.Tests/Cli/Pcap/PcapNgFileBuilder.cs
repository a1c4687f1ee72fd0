using System.Buffers.Binary;
using System.Text;

namespace Netmap.Dynamic.Tests.Cli.Pcap;

/// <summary>
/// Builds pcapng files block by block from the format's description (the IETF pcapng draft), in
/// either byte order, independently of the code under test. Each block can be given a wrong
/// length on purpose to make broken files.
/// </summary>
internal sealed class PcapNgFileBuilder
{
    private readonly MemoryStream _bytes = new();
    private bool _bigEndian;

    public PcapNgFileBuilder(bool bigEndian = false, ushort major = 1) => Section(bigEndian, major);

    /// <summary>A Section Header Block: starts a section (a new byte order, no interfaces yet).</summary>
    public PcapNgFileBuilder Section(bool bigEndian = false, ushort major = 1, string? application = null)
    {
        _bigEndian = bigEndian;
        MemoryStream body = new();
        Put32(body, 0x1A2B3C4D);
        Put16(body, major);
        Put16(body, 0);
        Put64(body, ulong.MaxValue);   // section length unknown
        if (application is not null)
            Options(body, (4, Encoding.UTF8.GetBytes(application)));
        return Block(0x0A0D0D0A, body.ToArray());
    }

    /// <summary>An Interface Description Block; <paramref name="tsresol"/> null: no if_tsresol (microseconds).</summary>
    public PcapNgFileBuilder Interface(ushort linkType = 1, uint snapLength = 262144, byte? tsresol = null, long? tsoffset = null, string? name = null)
    {
        MemoryStream body = new();
        Put16(body, linkType);
        Put16(body, 0);
        Put32(body, snapLength);
        List<(ushort, byte[])> options = [];
        if (name is not null) options.Add((2, Encoding.UTF8.GetBytes(name)));
        if (tsresol is byte r) options.Add((9, [r]));
        if (tsoffset is long o)
        {
            byte[] v = new byte[8];
            if (_bigEndian) BinaryPrimitives.WriteInt64BigEndian(v, o); else BinaryPrimitives.WriteInt64LittleEndian(v, o);
            options.Add((14, v));
        }
        if (options.Count > 0) Options(body, [.. options]);
        return Block(1, body.ToArray());
    }

    /// <summary>An Enhanced Packet Block with a comment option (which readers skip).</summary>
    public PcapNgFileBuilder Enhanced(uint interfaceId, ulong timestamp, byte[] data, uint? capturedLength = null, uint? originalLength = null, string? comment = null)
    {
        MemoryStream body = new();
        Put32(body, interfaceId);
        Put32(body, (uint)(timestamp >> 32));
        Put32(body, (uint)timestamp);
        Put32(body, capturedLength ?? (uint)data.Length);
        Put32(body, originalLength ?? (uint)data.Length);
        body.Write(data);
        Pad(body);
        if (comment is not null) Options(body, (1, Encoding.UTF8.GetBytes(comment)));
        return Block(6, body.ToArray());
    }

    /// <summary>A Simple Packet Block (interface 0, no timestamp).</summary>
    public PcapNgFileBuilder Simple(byte[] data, uint? originalLength = null)
    {
        MemoryStream body = new();
        Put32(body, originalLength ?? (uint)data.Length);
        body.Write(data);
        Pad(body);
        return Block(3, body.ToArray());
    }

    /// <summary>Any block, e.g. a Name Resolution (4), Interface Statistics (5) or custom (0xBAD) block.</summary>
    public PcapNgFileBuilder Block(uint type, byte[] body, uint? length = null, uint? trailingLength = null)
    {
        uint total = (uint)(12 + body.Length);
        Put32(_bytes, type);
        Put32(_bytes, length ?? total);
        _bytes.Write(body);
        Put32(_bytes, trailingLength ?? length ?? total);
        return this;
    }

    public byte[] ToArray() => _bytes.ToArray();

    public string WriteTo(string path)
    {
        File.WriteAllBytes(path, ToArray());
        return path;
    }

    private void Options(MemoryStream body, params (ushort Code, byte[] Value)[] options)
    {
        foreach ((ushort code, byte[] value) in options)
        {
            Put16(body, code);
            Put16(body, (ushort)value.Length);
            body.Write(value);
            Pad(body);
        }
        Put32(body, 0);   // opt_endofopt
    }

    private static void Pad(MemoryStream s)
    {
        while (s.Length % 4 != 0) s.WriteByte(0);
    }

    private void Put16(MemoryStream s, ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        if (_bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, v); else BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        s.Write(b);
    }

    private void Put32(MemoryStream s, uint v)
    {
        Span<byte> b = stackalloc byte[4];
        if (_bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, v); else BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        s.Write(b);
    }

    private void Put64(MemoryStream s, ulong v)
    {
        Span<byte> b = stackalloc byte[8];
        if (_bigEndian) BinaryPrimitives.WriteUInt64BigEndian(b, v); else BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        s.Write(b);
    }
}
