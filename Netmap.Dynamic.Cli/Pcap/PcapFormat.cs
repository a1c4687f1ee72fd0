namespace Netmap.Dynamic.Cli.Pcap;

/// <summary>
/// The classic libpcap file format (what `tcpdump -w` writes): a 24-byte file header, then per
/// frame a 16-byte record header and the captured bytes. Every field is in the byte order of the
/// writer, which the reader tells from the magic number; the magic also says whether the
/// sub-second field counts microseconds or nanoseconds. Written from the format's published
/// description (pcap-savefile(5)), not from libpcap's source.
/// </summary>
internal static class PcapFormat
{
    /// <summary>Magic of a file whose record timestamps carry microseconds.</summary>
    public const uint MagicMicroseconds = 0xA1B2C3D4;

    /// <summary>Magic of a file whose record timestamps carry nanoseconds (what we write).</summary>
    public const uint MagicNanoseconds = 0xA1B23C4D;

    /// <summary>The first four bytes of a pcapng file (a Section Header Block), recognised to say so.</summary>
    public const uint PcapNgMagic = 0x0A0D0D0A;

    public const ushort VersionMajor = 2;
    public const ushort VersionMinor = 4;

    public const int FileHeaderSize = 24;
    public const int RecordHeaderSize = 16;

    /// <summary>LINKTYPE_ETHERNET: every netmap port carries Ethernet frames.</summary>
    public const uint LinkTypeEthernet = 1;

    /// <summary>
    /// The largest captured length a record may have (libpcap's own limit for Ethernet, and
    /// tcpdump's default snap length). A larger one is a corrupt file, not a frame.
    /// </summary>
    public const int MaxSnapLength = 262144;
}
