using System.Buffers.Binary;
using System.Text;

namespace Netmap.Dynamic.Cli.Pcap;

/// <summary>
/// The blocks <see cref="PcapWriter"/> writes for pcapng, little-endian: a Section Header Block
/// naming the writer (<c>shb_userappl</c>), one Interface Description Block (Ethernet, the snap
/// length, <c>if_name</c>, <c>if_tsresol</c> = 9: nanoseconds), then one Enhanced Packet Block per
/// frame on interface 0 with its timestamp in nanoseconds.
/// </summary>
internal static class PcapNgWriting
{
    /// <summary>The application named in the section header.</summary>
    public const string Application = "netmap capture (Netmap.Dynamic)";

    /// <summary>Longest interface name written (a port spec is far shorter); longer names are cut.</summary>
    public const int MaxInterfaceName = 256;

    /// <summary>Upper bound of what <see cref="WriteFileHeader"/> writes.</summary>
    public const int MaxHeaderSize = 1024;

    /// <summary>Writes the section header and the interface description at the start of <paramref name="destination"/>; returns their length.</summary>
    public static int WriteFileHeader(Span<byte> destination, int snapLength, string? interfaceName)
    {
        Span<byte> application = stackalloc byte[Encoding.UTF8.GetMaxByteCount(Application.Length)];
        application = application[..Encoding.UTF8.GetBytes(Application, application)];
        int shb = PcapNgFormat.SectionHeaderSize + OptionSize(application.Length) + 4;
        Span<byte> block = destination[..shb];
        block.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(block, PcapNgFormat.SectionHeaderBlock);
        BinaryPrimitives.WriteUInt32LittleEndian(block[4..], (uint)shb);
        BinaryPrimitives.WriteUInt32LittleEndian(block[8..], PcapNgFormat.ByteOrderMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(block[12..], PcapNgFormat.VersionMajor);
        BinaryPrimitives.WriteUInt16LittleEndian(block[14..], PcapNgFormat.VersionMinor);
        BinaryPrimitives.WriteInt64LittleEndian(block[16..], -1);   // section length: not given
        int at = 24;
        at += WriteOption(block[at..], PcapNgFormat.OptionUserApplication, application);
        at += 4;   // opt_endofopt (already zero)
        BinaryPrimitives.WriteUInt32LittleEndian(block[at..], (uint)shb);

        byte[] name = Encoding.UTF8.GetBytes(interfaceName ?? "");
        ReadOnlySpan<byte> nameBytes = name.AsSpan(0, Math.Min(name.Length, MaxInterfaceName));
        int idb = PcapNgFormat.InterfaceDescriptionSize + (nameBytes.Length > 0 ? OptionSize(nameBytes.Length) : 0) + OptionSize(1) + 4;
        block = destination.Slice(shb, idb);
        block.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(block, PcapNgFormat.InterfaceDescriptionBlock);
        BinaryPrimitives.WriteUInt32LittleEndian(block[4..], (uint)idb);
        BinaryPrimitives.WriteUInt16LittleEndian(block[8..], (ushort)PcapFormat.LinkTypeEthernet);
        BinaryPrimitives.WriteUInt32LittleEndian(block[12..], (uint)snapLength);
        at = 16;
        if (nameBytes.Length > 0)
            at += WriteOption(block[at..], PcapNgFormat.OptionInterfaceName, nameBytes);
        at += WriteOption(block[at..], PcapNgFormat.OptionTimestampResolution, [9]);   // 10^-9 s
        at += 4;
        BinaryPrimitives.WriteUInt32LittleEndian(block[at..], (uint)idb);
        return shb + idb;
    }

    /// <summary>
    /// Writes one Enhanced Packet Block of <c>32 + Pad4(captured.Length)</c> bytes: interface 0,
    /// the time in nanoseconds, the captured bytes and the frame's whole length.
    /// </summary>
    public static void WriteEnhancedPacket(Span<byte> destination, ReadOnlySpan<byte> captured, int originalLength, long unixNanoseconds)
    {
        int length = PcapNgFormat.EnhancedPacketHeaderSize + PcapNgFormat.Pad4(captured.Length);
        ulong ns = (ulong)Math.Max(0, unixNanoseconds);
        BinaryPrimitives.WriteUInt32LittleEndian(destination, PcapNgFormat.EnhancedPacketBlock);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], (uint)(ns >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], (uint)ns);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[20..], (uint)captured.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], (uint)originalLength);
        captured.CopyTo(destination[28..]);
        destination[(28 + captured.Length)..(length - 4)].Clear();   // padding (the buffer is reused)
        BinaryPrimitives.WriteUInt32LittleEndian(destination[(length - 4)..], (uint)length);
    }

    private static int OptionSize(int valueLength) => 4 + PcapNgFormat.Pad4(valueLength);

    private static int WriteOption(Span<byte> destination, ushort code, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(destination, code);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], (ushort)value.Length);
        value.CopyTo(destination[4..]);
        return OptionSize(value.Length);
    }
}
