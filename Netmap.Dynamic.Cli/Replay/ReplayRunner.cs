using Netmap.Dynamic.Cli.Pcap;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.Replay;

/// <summary>Opens the port, runs <see cref="ReplayLoop"/> on a worker thread with rate lines, and gathers the result.</summary>
internal static class ReplayRunner
{
    /// <summary>Replays <paramref name="reader"/>, an open file already checked by <see cref="PcapSummary.Scan"/>; tests pass a virtual <paramref name="clock"/>.</summary>
    public static ReplayResult Run(ReplayOptions options, IFrameFileReader reader, PcapSummary summary, INetmapBackend backend,
        TextWriter rateOutput, CancellationToken cancellation, IReplayClock? clock = null)
    {
        using NetmapPort port = backend.OpenPort(options.Port);
        if (summary.LongestFrame > port.BufferSize)
        {
            rateOutput.WriteLine($"netmap replay: warning: {options.File} has frames of up to {summary.LongestFrame} bytes; those longer than the port's {port.BufferSize}-byte buffers are skipped");
        }
        ReplayPacer pacer = options.Speed is { } speed ? ReplayPacer.FileTimes(speed, summary.FirstTimestamp, summary.LastTimestamp, summary.Frames)
            : options.RateMpps is { } rate ? ReplayPacer.FixedRate(rate)
            : ReplayPacer.AsFastAsPossible();
        RunControl control = new(cancellation, options.DurationSeconds);
        TrafficCounters counters = new();
        IReplayClock time = clock ?? SystemReplayClock.Instance;

        ReplayTotals totals = RateReporter.RunWorker("replay", () => ReplayLoop.Run(port, reader, pacer, options.Loops, options.Batch, control, counters, time),
            options.RateIntervalSeconds, Rates.Reporter(counters, "sent"), rateOutput);
        return new ReplayResult
        {
            Backend = backend.Name,
            File = options.File,
            Port = options.Port,
            Pace = pacer.Pace switch { ReplayPace.FileTimes => "file", ReplayPace.FixedRate => "rate", _ => "fast" },
            FileFrames = summary.Frames,
            Totals = totals,
            Interrupted = cancellation.IsCancellationRequested,
        };
    }
}
