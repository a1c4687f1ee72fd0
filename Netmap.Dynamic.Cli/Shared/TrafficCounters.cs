namespace Netmap.Dynamic.Cli.Shared;

/// <summary>
/// Running totals of one traffic loop (a bridge direction, a capture, a replay), shared with the
/// rate reporter. One writer, the loop, publishes once per pass with volatile writes, never per frame.
/// </summary>
internal sealed class TrafficCounters
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

    /// <summary>Seconds from the first pass that moved frames to the last one (0 before two passes).</summary>
    public double ActiveSeconds => Frames > 0 ? (LastTimestamp - FirstTimestamp) / (double)System.Diagnostics.Stopwatch.Frequency : 0;

    /// <summary>Publishes the totals so far after a pass that moved frames, at Stopwatch time <paramref name="timestamp"/>.</summary>
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
