namespace Netmap.Dynamic.Cli.Pcap;

/// <summary>
/// One pass over a capture file (pcap or pcapng) before it is replayed: checks every record (so a bad file fails
/// before anything is sent) and gives the counts and times the replay needs.
/// </summary>
/// <param name="Frames">Records in the file.</param>
/// <param name="Bytes">Captured bytes of all records.</param>
/// <param name="FirstTimestamp">Unix nanoseconds of the first record (0 for an empty file).</param>
/// <param name="LastTimestamp">Unix nanoseconds of the last record.</param>
/// <param name="LongestFrame">The largest captured length.</param>
internal readonly record struct PcapSummary(long Frames, long Bytes, long FirstTimestamp, long LastTimestamp, int LongestFrame)
{
    /// <summary>Reads the whole file from its first frame and rewinds it.</summary>
    /// <exception cref="PcapFormatException">A record is truncated or absurd.</exception>
    public static PcapSummary Scan(IFrameFileReader reader)
    {
        reader.Rewind();
        long frames = 0, bytes = 0, first = 0, last = 0;
        int longest = 0;
        while (reader.TryReadFrame(out ReadOnlySpan<byte> frame, out long timestamp, out _))
        {
            if (frames == 0)
            {
                first = timestamp;
            }
            last = timestamp;
            frames++;
            bytes += frame.Length;
            longest = Math.Max(longest, frame.Length);
        }
        reader.Rewind();
        return new PcapSummary(frames, bytes, first, last, longest);
    }

    /// <summary>Nanoseconds from the first record to the last.</summary>
    public long Duration => Math.Max(0, LastTimestamp - FirstTimestamp);
}
