using System.Diagnostics;

namespace Netmap.Dynamic.Cli.Shared;

/// <summary>
/// When the workers of one run stop: Ctrl+C (the token) or the --duration deadline (a tool's own
/// stop conditions, such as pkt-gen's partner thread being done, are in its counters). Checked
/// once per batch, never per frame.
/// </summary>
internal sealed class RunControl
{
    /// <summary>How long a blocked worker waits in Poll before it looks at the stop conditions again.</summary>
    public static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(50);

    private readonly long _deadline;

    public RunControl(CancellationToken cancellation, double? durationSeconds)
    {
        Cancellation = cancellation;
        StartTimestamp = Stopwatch.GetTimestamp();
        _deadline = durationSeconds is { } d ? StartTimestamp + (long)(d * Stopwatch.Frequency) : long.MaxValue;
    }

    public CancellationToken Cancellation { get; }

    public long StartTimestamp { get; }

    /// <summary>True once Ctrl+C came or the duration is over.</summary>
    public bool ShouldStop => Cancellation.IsCancellationRequested || Stopwatch.GetTimestamp() >= _deadline;

    public bool Interrupted => Cancellation.IsCancellationRequested;

    public double SecondsSinceStart(long timestamp) => (timestamp - StartTimestamp) / (double)Stopwatch.Frequency;
}
