namespace Netmap.Dynamic.Cli.Pcap;

/// <summary>The file format <see cref="PcapWriter"/> writes.</summary>
internal enum CaptureFileFormat
{
    /// <summary>Classic pcap, nanosecond timestamps (magic a1b23c4d): what every libpcap reader opens.</summary>
    Pcap,

    /// <summary>pcapng: one section, one Ethernet interface with nanosecond timestamps, an Enhanced Packet Block per frame (Wireshark's default).</summary>
    PcapNg,
}
