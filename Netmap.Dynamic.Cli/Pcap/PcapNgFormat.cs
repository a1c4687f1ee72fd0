namespace Netmap.Dynamic.Cli.Pcap;

/// <summary>
/// The pcapng file format (what Wireshark and dumpcap write by default): a sequence of blocks,
/// each <c>type, total length, body, total length</c> with the length counting the whole block
/// and a multiple of 4. A Section Header Block starts every section and fixes its byte order
/// (its byte-order magic); Interface Description Blocks define the interfaces (link type, snap
/// length, timestamp resolution) that Enhanced and Simple Packet Blocks refer to. Written from
/// the format's published description (the IETF draft "PCAP Next Generation (pcapng) Capture File
/// Format"), not from any reader's source.
/// </summary>
internal static class PcapNgFormat
{
    /// <summary>Block type of a Section Header Block; the same in either byte order.</summary>
    public const uint SectionHeaderBlock = 0x0A0D0D0A;

    /// <summary>Interface Description Block.</summary>
    public const uint InterfaceDescriptionBlock = 1;

    /// <summary>Simple Packet Block: no interface id (always interface 0), no timestamp.</summary>
    public const uint SimplePacketBlock = 3;

    /// <summary>Enhanced Packet Block: interface id, 64-bit timestamp, lengths, data, options.</summary>
    public const uint EnhancedPacketBlock = 6;

    /// <summary>The Section Header Block's byte-order magic, as its writer stored it.</summary>
    public const uint ByteOrderMagic = 0x1A2B3C4D;

    public const ushort VersionMajor = 1;
    public const ushort VersionMinor = 0;

    /// <summary>Type, length and trailing length: the smallest block.</summary>
    public const int MinBlockSize = 12;

    /// <summary>Section Header Block without options: 12 + magic 4 + version 4 + section length 8.</summary>
    public const int SectionHeaderSize = 28;

    /// <summary>Interface Description Block without options: 12 + link type 2 + reserved 2 + snap length 4.</summary>
    public const int InterfaceDescriptionSize = 20;

    /// <summary>Enhanced Packet Block without data and options: 12 + interface 4 + timestamp 8 + lengths 8.</summary>
    public const int EnhancedPacketHeaderSize = 32;

    /// <summary>Simple Packet Block without data: 12 + original length 4.</summary>
    public const int SimplePacketHeaderSize = 16;

    /// <summary>opt_endofopt: ends an option list.</summary>
    public const ushort OptionEnd = 0;

    /// <summary>if_name (IDB option 2): the interface's name, UTF-8.</summary>
    public const ushort OptionInterfaceName = 2;

    /// <summary>if_tsresol (IDB option 9, one byte): timestamp units; top bit clear: 10^-n s, set: 2^-n s. Default 10^-6.</summary>
    public const ushort OptionTimestampResolution = 9;

    /// <summary>if_tsoffset (IDB option 14, 64-bit signed): seconds added to every timestamp of the interface.</summary>
    public const ushort OptionTimestampOffset = 14;

    /// <summary>shb_userappl (SHB option 4): the application that wrote the section.</summary>
    public const ushort OptionUserApplication = 4;

    /// <summary>
    /// The largest block read whole (a header block with its options, a packet block). A larger
    /// packet block cannot hold a frame of at most <see cref="PcapFormat.MaxSnapLength"/> bytes
    /// with sane options; blocks of other types are skipped whatever their size.
    /// </summary>
    public const int MaxReadBlockSize = 1 << 20;

    /// <summary>Rounds a length up to the next multiple of 4 (block bodies and option values are padded so).</summary>
    public static int Pad4(int length) => (length + 3) & ~3;
}
