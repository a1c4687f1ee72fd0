using System.Diagnostics;

namespace Netmap.Dynamic.Cli.Pcap;

/// <summary>
/// Wall-clock time in nanoseconds since 1970 for capture timestamps: the system clock read once
/// at the start, then advanced by the monotonic <see cref="Stopwatch"/> (nanosecond resolution on
/// Linux, and cheap: no system call). A wall-clock step during the capture (NTP) does not show.
/// </summary>
internal sealed class UnixClock
{
    private readonly long _startUnixNanoseconds;
    private readonly long _startTimestamp;
    private readonly double _nanosecondsPerTick;

    public UnixClock()
    {
        _startTimestamp = Stopwatch.GetTimestamp();
        _startUnixNanoseconds = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
        _nanosecondsPerTick = 1e9 / Stopwatch.Frequency;
    }

    public long NowUnixNanoseconds => _startUnixNanoseconds + (long)((Stopwatch.GetTimestamp() - _startTimestamp) * _nanosecondsPerTick);
}
