using Netmap.Dynamic.Cli.Replay;

namespace Netmap.Dynamic.Tests.Cli.Replay;

/// <summary>
/// A replay clock that never waits: time moves only when the replay waits on it, straight to
/// the time it waits for. Each wait is logged with what <see cref="Observe"/> reads at that moment.
/// </summary>
internal sealed class VirtualClock : IReplayClock
{
    private const long Origin = 5_000_000_000;
    private long _now = Origin;

    /// <summary>Read at each wait (for example, frames sent so far).</summary>
    public Func<long>? Observe { get; init; }

    /// <summary>(time waited from, relative to the origin; what Observe read) per wait.</summary>
    public List<(long From, long Observed)> Waits { get; } = [];

    public long NowNanoseconds => Volatile.Read(ref _now);

    /// <summary>Virtual nanoseconds since the clock was made.</summary>
    public long Elapsed => NowNanoseconds - Origin;

    public void WaitUntil(long nanoseconds, CancellationToken cancellation)
    {
        lock (Waits) Waits.Add((NowNanoseconds - Origin, Observe?.Invoke() ?? 0));
        if (nanoseconds > NowNanoseconds) Volatile.Write(ref _now, nanoseconds);
    }
}
