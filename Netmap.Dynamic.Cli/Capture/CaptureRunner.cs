using Netmap.Dynamic.Cli.Pcap;
using Netmap.Dynamic.Cli.PktGen;

namespace Netmap.Dynamic.Cli.Capture;

/// <summary>Opens the port and the file, runs <see cref="CaptureLoop"/> on a worker thread with rate lines, and completes the file.</summary>
internal static class CaptureRunner
{
    public static CaptureResult Run(CaptureOptions options, INetmapBackend backend, TextWriter rateOutput, CancellationToken cancellation)
    {
        using NetmapPort port = backend.OpenPort(options.Port);
        FileStream file = new(options.File, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1);
        PcapBufferSink sink = options.Writer == CaptureWriter.Thread ? PcapBufferSink.Background(file) : PcapBufferSink.Inline(file);
        using PcapWriter writer = new(sink, options.SnapLength);
        RunControl control = new(cancellation, options.DurationSeconds);
        CaptureCounters counters = new();
        UnixClock clock = new();
        long count = options.Count ?? long.MaxValue;

        long previousFrames = 0, previousBytes = 0;
        CaptureTotals totals = RateReporter.RunWorker("capture", () => CaptureLoop.Run(port, writer, count, control, counters, clock),
            options.RateIntervalSeconds, seconds =>
            {
                long frames = counters.Frames, bytes = counters.Bytes;
                string line = CaptureResult.RateLine(seconds, frames - previousFrames, bytes - previousBytes, frames);
                (previousFrames, previousBytes) = (frames, bytes);
                return line;
            }, rateOutput);
        writer.Complete();
        return new CaptureResult
        {
            Backend = backend.Name,
            Port = options.Port,
            File = options.File,
            SnapLength = options.SnapLength,
            Writer = options.Writer,
            Totals = totals,
            Interrupted = cancellation.IsCancellationRequested,
        };
    }
}
