namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>
/// Where things are in a pkt-gen frame: Ethernet II, IPv4 without options, UDP, then the
/// payload, which starts with a 64-bit big-endian sequence number followed by a fixed text
/// pattern. Sizes exclude the Ethernet CRC, as netmap's pkt-gen `-l` does.
/// </summary>
internal static class FrameLayout
{
    public const int MinSize = 60;     // Ethernet minimum (64) without the 4-byte CRC
    public const int MaxSize = 65535;  // a frame longer than a netmap buffer spans slots (NS_MOREFRAG)
    public const int DefaultSize = 60;

    public const int EthernetHeader = 14;
    public const int Ipv4Offset = EthernetHeader;
    public const int Ipv4Header = 20;
    public const int UdpOffset = Ipv4Offset + Ipv4Header;    // 34
    public const int UdpHeader = 8;
    public const int UdpChecksumOffset = UdpOffset + 6;      // 40
    public const int PayloadOffset = UdpOffset + UdpHeader;  // 42
    public const int SequenceOffset = PayloadOffset;         // 42..50
    public const int SequenceLength = 8;
    public const int PatternOffset = SequenceOffset + SequenceLength; // 50

    /// <summary>Bytes a frame occupies on the wire besides the frame itself: CRC (4),
    /// preamble and start delimiter (8), inter-frame gap (12). pkt-gen's "raw" bandwidth adds them.</summary>
    public const int WireOverhead = 24;
}
