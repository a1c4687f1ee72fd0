namespace Netmap.Dynamic.Cli.Pcap;

/// <summary>
/// A capture file read frame by frame into a reusable buffer (classic pcap or pcapng), so that
/// replay does not care which format it got. <see cref="FrameFiles.Open(string)"/> picks the reader.
/// </summary>
internal interface IFrameFileReader : IDisposable
{
    /// <summary>"pcap" or "pcapng".</summary>
    string Format { get; }

    /// <summary>
    /// The LINKTYPE_ of the frames (1, Ethernet, for a pcapng file: its reader refuses interfaces
    /// of any other type as it meets them).
    /// </summary>
    uint LinkType { get; }

    /// <summary>
    /// Reads the next frame. <paramref name="frame"/> stays valid until the next call;
    /// <paramref name="unixNanoseconds"/> is its time, <paramref name="originalLength"/> its length
    /// on the wire (at least the captured length). False at the end of the file.
    /// </summary>
    /// <exception cref="PcapFormatException">The file is cut short or corrupt here.</exception>
    bool TryReadFrame(out ReadOnlySpan<byte> frame, out long unixNanoseconds, out int originalLength);

    /// <summary>Goes back to the first frame (for replay loops).</summary>
    void Rewind();
}
