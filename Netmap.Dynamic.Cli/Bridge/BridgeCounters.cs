namespace Netmap.Dynamic.Cli.Bridge;

/// <summary>
/// One direction's running totals, written by that direction's thread once per pass (volatile
/// writes, never per frame) and read by the rate reporter and the summary.
/// </summary>
internal sealed class BridgeCounters
{
    private long _frames;
    private long _bytes;
    private long _firstTimestamp;
    private long _lastTimestamp;

    public long Frames => Volatile.Read(ref _frames);

    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Stopwatch time of the first pass that moved frames; 0 before.</summary>
    public long FirstTimestamp => Volatile.Read(ref _firstTimestamp);

    /// <summary>Stopwatch time of the last pass that moved frames; 0 before.</summary>
    public long LastTimestamp => Volatile.Read(ref _lastTimestamp);

    public void Publish(long frames, long bytes, long timestamp)
    {
        if (_firstTimestamp == 0)
        {
            Volatile.Write(ref _firstTimestamp, timestamp);
        }
        Volatile.Write(ref _lastTimestamp, timestamp);
        Volatile.Write(ref _bytes, bytes);
        Volatile.Write(ref _frames, frames);
    }
}
