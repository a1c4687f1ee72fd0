using Netmap.Dynamic.Cli.Pcap;
using Netmap.Dynamic.Cli.PktGen;

namespace Netmap.Dynamic.Cli.Capture;

/// <summary>Where a capture's file is written from: the receive thread itself, or a writer thread (see docs/tools.md).</summary>
internal enum CaptureWriter
{
    Inline,
    Thread,
}

/// <summary>A capture as the command line asked for it.</summary>
internal sealed record CaptureOptions
{
    public required string Port { get; init; }
    public required string File { get; init; }
    /// <summary>Frames to capture; null: until Ctrl+C or the duration.</summary>
    public long? Count { get; init; }
    public double? DurationSeconds { get; init; }
    public int SnapLength { get; init; } = PcapFormat.MaxSnapLength;
    /// <summary>Inline by default: it measured no slower than a writer thread on a 2-vCPU guest (docs/performance.md).</summary>
    public CaptureWriter Writer { get; init; } = CaptureWriter.Inline;
    /// <summary>Classic pcap by default (every libpcap reader opens it); pcapng on request.</summary>
    public CaptureFileFormat Format { get; init; } = CaptureFileFormat.Pcap;
    public BackendChoice Backend { get; init; } = BackendChoice.Auto;

    /// <summary>The netmap device for the native backend (null: the default /dev/netmap).</summary>
    public string? Device { get; init; }
    public bool Json { get; init; }
    public double RateIntervalSeconds { get; init; } = 1.0;

    public string? Validate()
    {
        if (Count is < 1)
        {
            return $"--count must be at least 1, got {Count}";
        }
        if (DurationSeconds is { } d && (!double.IsFinite(d) || d <= 0))
        {
            return $"--duration must be a positive number of seconds, got {d}";
        }
        if (SnapLength is < 1 or > PcapFormat.MaxSnapLength)
        {
            return $"--snaplen must be 1 to {PcapFormat.MaxSnapLength} bytes, got {SnapLength}";
        }
        if (!double.IsFinite(RateIntervalSeconds) || RateIntervalSeconds < 0)
        {
            return $"--rate-interval must be 0 (no rate lines) or a positive number of seconds, got {RateIntervalSeconds}";
        }
        if (string.IsNullOrWhiteSpace(File))
        {
            return "--write must name the pcap file to write";
        }
        if (!NetmapPortSpec.TryParse(Port, out NetmapPortSpec? parsed, out NetmapPortSpecError error))
        {
            return error.Message;
        }
        if ((parsed.Flags & Interop.NetmapRegisterFlags.NR_TX_RINGS_ONLY) != 0)
        {
            return $"--port {Port} binds only TX rings (/T): there is nothing to capture on it";
        }
        return null;
    }
}
