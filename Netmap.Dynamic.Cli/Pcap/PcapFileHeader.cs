namespace Netmap.Dynamic.Cli.Pcap;

/// <summary>What a pcap file's 24-byte header says.</summary>
/// <param name="Nanoseconds">True when record timestamps carry nanoseconds, false for microseconds.</param>
/// <param name="BigEndian">True when the writer stored its fields big-endian.</param>
/// <param name="VersionMajor">Format version, 2.</param>
/// <param name="VersionMinor">Format version, 4.</param>
/// <param name="SnapLength">The writer's snap length (bytes kept per frame at most).</param>
/// <param name="LinkType">The LINKTYPE_ value; 1 is Ethernet.</param>
internal readonly record struct PcapFileHeader(bool Nanoseconds, bool BigEndian, ushort VersionMajor, ushort VersionMinor, uint SnapLength, uint LinkType);
