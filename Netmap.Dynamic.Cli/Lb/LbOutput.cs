namespace Netmap.Dynamic.Cli.Lb;

/// <summary>One output pipe of the balancer: its port, its counters and its overflow queue.</summary>
internal sealed class LbOutput(NetmapPort port, int group, OverflowQueue? queue)
{
    private long _frames;
    private long _bytes;
    private long _dropped;

    public NetmapPort Port { get; } = port;

    public int Group { get; } = group;

    public OverflowQueue? Queue { get; } = queue;

    /// <summary>Frames put into the pipe (read from any thread).</summary>
    public long Frames => Volatile.Read(ref _frames);

    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Frames lost because the pipe and its overflow queue were full.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    public void CountSent(int length)
    {
        Volatile.Write(ref _frames, _frames + 1);
        Volatile.Write(ref _bytes, _bytes + length);
    }

    public void CountDropped() => Volatile.Write(ref _dropped, _dropped + 1);
}
