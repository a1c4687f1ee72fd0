using Netmap.Dynamic.Cli.Pcap;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.Capture;

/// <summary>Opens the port and the file, runs <see cref="CaptureLoop"/> on a worker thread with rate lines, and completes the file.</summary>
internal static class CaptureRunner
{
    public static CaptureResult Run(CaptureOptions options, INetmapBackend backend, TextWriter rateOutput, CancellationToken cancellation)
    {
        using NetmapPort port = backend.OpenPort(options.Port);
        FileStream file = new(options.File, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1);
        PcapBufferSink sink = options.Writer == CaptureWriter.Thread ? PcapBufferSink.Background(file) : PcapBufferSink.Inline(file);
        using PcapWriter writer = new(sink, options.SnapLength, options.Format, interfaceName: options.Port);
        RunControl control = new(cancellation, options.DurationSeconds);
        TrafficCounters counters = new();
        UnixClock clock = new();
        long count = options.Count ?? long.MaxValue;

        RateReporter.RunWorker("capture", () => CaptureLoop.Run(port, writer, count, control, counters, clock),
            options.RateIntervalSeconds, Rates.Reporter(counters, "captured"), rateOutput);
        writer.Complete();
        return new CaptureResult
        {
            Backend = backend.Name,
            Port = options.Port,
            File = options.File,
            SnapLength = options.SnapLength,
            Writer = options.Writer,
            Format = options.Format,
            Frames = counters.Frames,
            Bytes = counters.Bytes,
            Seconds = counters.ActiveSeconds,
            Interrupted = cancellation.IsCancellationRequested,
        };
    }
}
