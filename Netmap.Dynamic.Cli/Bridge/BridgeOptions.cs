using Netmap.Dynamic.Cli.Shared;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Cli.Bridge;

/// <summary>A bridge run as the command line asked for it.</summary>
internal sealed record BridgeOptions : ToolOptions
{
    /// <summary>Frames moved per ring pass before the TX sync; netmap's bridge uses 1024 too.</summary>
    public const int DefaultBatch = 1024;
    public const int MaxBatch = 8192;

    public required string PortA { get; init; }
    public required string PortB { get; init; }
    public int Batch { get; init; } = DefaultBatch;
    /// <summary>Copy frames even when the ports share memory (netmap bridge's -c).</summary>
    public bool ForceCopy { get; init; }
    /// <summary>1: both directions on one thread over one poll (netmap's bridge); 2: a thread per direction.</summary>
    public int Threads { get; init; } = 1;
    /// <summary>Seconds to wait after opening the ports before forwarding (netmap bridge's -w; NIC links need a moment).</summary>
    public double WaitLinkSeconds { get; init; }

    /// <summary>The first usage error, or null when the options make sense together.</summary>
    public string? Validate()
    {
        if ((BatchProblem(Batch, MaxBatch) ?? CommonProblem()) is { } problem)
        {
            return problem;
        }
        if (Threads is not (1 or 2))
        {
            return $"--threads must be 1 (one poll over both ports) or 2 (a thread per direction), got {Threads}";
        }
        if (!double.IsFinite(WaitLinkSeconds) || WaitLinkSeconds is < 0 or > 100)
        {
            return $"--wait-link must be 0 to 100 seconds, got {WaitLinkSeconds}";
        }
        if (string.Equals(PortA, PortB, StringComparison.Ordinal))
        {
            return $"the two ports must differ (both are {PortA}); give one NIC alone to bridge it with its host stack";
        }
        const NetmapRegisterFlags OneDirection = NetmapRegisterFlags.NR_RX_RINGS_ONLY | NetmapRegisterFlags.NR_TX_RINGS_ONLY;
        return PortProblem(PortA, OneDirection, $"{PortA} binds only one direction (/R or /T), but a bridge receives and sends on both ports")
            ?? PortProblem(PortB, OneDirection, $"{PortB} binds only one direction (/R or /T), but a bridge receives and sends on both ports");
    }
}
