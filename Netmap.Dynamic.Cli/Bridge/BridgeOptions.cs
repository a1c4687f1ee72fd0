using Netmap.Dynamic.Cli.PktGen;

namespace Netmap.Dynamic.Cli.Bridge;

/// <summary>A bridge run as the command line asked for it.</summary>
internal sealed record BridgeOptions
{
    /// <summary>Frames moved per ring pass before the TX sync; netmap's bridge uses 1024 too.</summary>
    public const int DefaultBatch = 1024;
    public const int MaxBatch = 8192;

    public required string PortA { get; init; }
    public required string PortB { get; init; }
    public int Batch { get; init; } = DefaultBatch;
    /// <summary>Copy frames even when the ports share memory (netmap bridge's -c).</summary>
    public bool ForceCopy { get; init; }
    public double? DurationSeconds { get; init; }
    /// <summary>Seconds to wait after opening the ports before forwarding (netmap bridge's -w; NIC links need a moment).</summary>
    public double WaitLinkSeconds { get; init; }
    public BackendChoice Backend { get; init; } = BackendChoice.Auto;

    /// <summary>The netmap device for the native backend (null: the default /dev/netmap).</summary>
    public string? Device { get; init; }
    public bool Json { get; init; }
    public double RateIntervalSeconds { get; init; } = 1.0;

    /// <summary>The first usage error, or null when the options make sense together.</summary>
    public string? Validate()
    {
        if (Batch is < 1 or > MaxBatch)
        {
            return $"--batch must be 1 to {MaxBatch}, got {Batch}";
        }
        if (DurationSeconds is { } d && (!double.IsFinite(d) || d <= 0))
        {
            return $"--duration must be a positive number of seconds, got {d}";
        }
        if (!double.IsFinite(WaitLinkSeconds) || WaitLinkSeconds is < 0 or > 100)
        {
            return $"--wait-link must be 0 to 100 seconds, got {WaitLinkSeconds}";
        }
        if (!double.IsFinite(RateIntervalSeconds) || RateIntervalSeconds < 0)
        {
            return $"--rate-interval must be 0 (no rate lines) or a positive number of seconds, got {RateIntervalSeconds}";
        }
        if (string.Equals(PortA, PortB, StringComparison.Ordinal))
        {
            return $"the two ports must differ (both are {PortA}); give one NIC alone to bridge it with its host stack";
        }
        foreach (string spec in new[] { PortA, PortB })
        {
            if (!NetmapPortSpec.TryParse(spec, out NetmapPortSpec? parsed, out NetmapPortSpecError error))
            {
                return error.Message;
            }
            if ((parsed.Flags & (Interop.NetmapRegisterFlags.NR_RX_RINGS_ONLY | Interop.NetmapRegisterFlags.NR_TX_RINGS_ONLY)) != 0)
            {
                return $"{spec} binds only one direction (/R or /T), but a bridge receives and sends on both ports";
            }
        }
        return null;
    }
}
