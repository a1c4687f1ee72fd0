using Netmap.Dynamic.Cli.Pcap;
using Netmap.Dynamic.Cli.Shared;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Cli.Capture;

/// <summary>Where a capture's file is written from: the receive thread itself, or a writer thread (see docs/tools.md).</summary>
internal enum CaptureWriter
{
    Inline,
    Thread,
}

/// <summary>A capture as the command line asked for it.</summary>
internal sealed record CaptureOptions : ToolOptions
{
    public required string Port { get; init; }
    public required string File { get; init; }
    /// <summary>Frames to capture; null: until Ctrl+C or the duration.</summary>
    public long? Count { get; init; }
    public int SnapLength { get; init; } = PcapFormat.MaxSnapLength;
    /// <summary>Inline by default: it measured no slower than a writer thread on a 2-vCPU guest (docs/performance.md).</summary>
    public CaptureWriter Writer { get; init; } = CaptureWriter.Inline;
    /// <summary>Classic pcap by default (every libpcap reader opens it); pcapng on request.</summary>
    public CaptureFileFormat Format { get; init; } = CaptureFileFormat.Pcap;

    public string? Validate()
    {
        if ((CountProblem(Count) ?? CommonProblem()) is { } problem)
        {
            return problem;
        }
        if (SnapLength is < 1 or > PcapFormat.MaxSnapLength)
        {
            return $"--snaplen must be 1 to {PcapFormat.MaxSnapLength} bytes, got {SnapLength}";
        }
        if (string.IsNullOrWhiteSpace(File))
        {
            return "--write must name the pcap file to write";
        }
        return PortProblem(Port, NetmapRegisterFlags.NR_TX_RINGS_ONLY, $"--port {Port} binds only TX rings (/T): there is nothing to capture on it");
    }
}
