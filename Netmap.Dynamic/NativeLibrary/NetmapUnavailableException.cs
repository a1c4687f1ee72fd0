namespace Netmap.Dynamic;

/// <summary>
/// netmap cannot be used here: thrown by <see cref="NetmapLibrary.Load"/>. <see cref="ProbeResult"/>
/// holds the full diagnosis (its <c>ToString()</c> is a report to paste into a bug report).
/// </summary>
public sealed class NetmapUnavailableException : NetmapException
{
    /// <summary>Creates the exception for a failed probe.</summary>
    public NetmapUnavailableException(NetmapProbeResult probeResult)
        : base(Format(probeResult))
    {
        ProbeResult = probeResult;
    }

    /// <summary>Why netmap is unavailable.</summary>
    public NetmapProbeResult ProbeResult { get; }

    /// <summary>The status of the failed probe.</summary>
    public NetmapProbeStatus Status => ProbeResult.Status;

    private static string Format(NetmapProbeResult probeResult)
    {
        ArgumentNullException.ThrowIfNull(probeResult);
        return $"netmap is unavailable ({probeResult.Status}): {probeResult.Message}";
    }
}
