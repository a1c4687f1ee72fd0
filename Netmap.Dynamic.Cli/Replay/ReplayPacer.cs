namespace Netmap.Dynamic.Cli.Replay;

/// <summary>How a replay spaces its frames.</summary>
internal enum ReplayPace
{
    /// <summary>As fast as the port takes them (the default).</summary>
    AsFastAsPossible,
    /// <summary>At the gaps the file's timestamps give, divided by a speed factor (--speed).</summary>
    FileTimes,
    /// <summary>At a fixed frame rate (--rate).</summary>
    FixedRate,
}

/// <summary>
/// When each frame of a replay is due, in nanoseconds after the replay started. A pure
/// function of the frame's position and timestamp, so tests check it without any clock.
/// </summary>
/// <remarks>
/// File pace: frame <c>i</c> of loop <c>k</c> is due at
/// <c>(k × loopPeriod + (t_i − t_0)) / speed</c>, where the loop period is the file's duration plus
/// its mean gap between frames, so that a looped file keeps its average rate. A timestamp earlier
/// than the first one (a file not in time order) is due at once. Fixed rate: frame <c>n</c>
/// (counted over all loops) is due at <c>n / rate</c>.
/// </remarks>
internal sealed class ReplayPacer
{
    private readonly ReplayPace _pace;
    private readonly double _speed;
    private readonly double _nanosecondsPerFrame;
    private readonly long _firstTimestamp;
    private readonly long _loopPeriod;

    private ReplayPacer(ReplayPace pace, double speed, double nanosecondsPerFrame, long firstTimestamp, long loopPeriod)
    {
        _pace = pace;
        _speed = speed;
        _nanosecondsPerFrame = nanosecondsPerFrame;
        _firstTimestamp = firstTimestamp;
        _loopPeriod = loopPeriod;
    }

    public static ReplayPacer AsFastAsPossible() => new(ReplayPace.AsFastAsPossible, 1, 0, 0, 0);

    /// <summary>The file's own pace, <paramref name="speed"/> times faster (2: twice as fast).</summary>
    public static ReplayPacer FileTimes(double speed, long firstTimestamp, long lastTimestamp, long frames)
    {
        long duration = Math.Max(0, lastTimestamp - firstTimestamp);
        long meanGap = frames > 1 ? duration / (frames - 1) : 0;
        return new ReplayPacer(ReplayPace.FileTimes, speed, 0, firstTimestamp, duration + meanGap);
    }

    /// <summary>A fixed rate in millions of frames per second.</summary>
    public static ReplayPacer FixedRate(double mpps) => new(ReplayPace.FixedRate, 1, 1000.0 / mpps, 0, 0);

    public ReplayPace Pace => _pace;

    /// <summary>False when every frame is due at once.</summary>
    public bool IsPaced => _pace != ReplayPace.AsFastAsPossible;

    /// <summary>Nanoseconds after the start at which a frame is due.</summary>
    /// <param name="timestamp">The frame's pcap timestamp (Unix nanoseconds).</param>
    /// <param name="frameNumber">Frames handled before this one, over all loops.</param>
    /// <param name="loop">The loop this frame belongs to, from 0.</param>
    public long DueAfterStart(long timestamp, long frameNumber, long loop) => _pace switch
    {
        ReplayPace.FileTimes => (long)(((loop * (double)_loopPeriod) + Math.Max(0, timestamp - _firstTimestamp)) / _speed),
        ReplayPace.FixedRate => (long)(frameNumber * _nanosecondsPerFrame),
        _ => 0,
    };
}
