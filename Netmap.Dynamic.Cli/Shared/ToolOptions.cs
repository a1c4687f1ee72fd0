using System.Diagnostics.CodeAnalysis;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Cli.Shared;

/// <summary>
/// What every traffic tool's run takes besides its own options (pkt-gen, bridge, capture, replay):
/// how long, on which backend, and how it reports; and the checks of those values and of the
/// options several tools share, written once so that every tool words a usage error the same way.
/// </summary>
internal abstract record ToolOptions
{
    /// <summary>--duration: stop after this many seconds; null: the tool's own end (a count, or Ctrl+C).</summary>
    public double? DurationSeconds { get; init; }
    public BackendChoice Backend { get; init; } = BackendChoice.Auto;
    /// <summary>--device: the control device the native backend opens (null: /dev/netmap).</summary>
    public string? Device { get; init; }
    /// <summary>--json: the summary as one JSON object on stdout.</summary>
    public bool Json { get; init; }
    /// <summary>Seconds between rate lines on stderr; 0 prints none.</summary>
    public double RateIntervalSeconds { get; init; } = 1.0;

    /// <summary>The first usage error among the options every tool takes, or null.</summary>
    protected string? CommonProblem()
    {
        if (DurationSeconds is { } d && (!double.IsFinite(d) || d <= 0))
        {
            return $"--duration must be a positive number of seconds, got {d}";
        }
        if (!double.IsFinite(RateIntervalSeconds) || RateIntervalSeconds < 0)
        {
            return $"--rate-interval must be 0 (no rate lines) or a positive number of seconds, got {RateIntervalSeconds}";
        }
        return null;
    }

    /// <summary>--batch out of 1..<paramref name="max"/>, or null.</summary>
    public static string? BatchProblem(int batch, int max) =>
        batch is < 1 || batch > max ? $"--batch must be 1 to {max}, got {batch}" : null;

    /// <summary>A --count below 1, or null (null: no count given).</summary>
    public static string? CountProblem(long? count) =>
        count is < 1 ? $"--count must be at least 1, got {count}" : null;

    /// <summary>Parses a port spec; <paramref name="problem"/> is the parser's message when it does not parse.</summary>
    public static bool TryParsePort(string spec, [NotNullWhen(true)] out NetmapPortSpec? parsed, [NotNullWhen(false)] out string? problem)
    {
        if (NetmapPortSpec.TryParse(spec, out parsed, out NetmapPortSpecError error))
        {
            problem = null;
            return true;
        }
        problem = error.Message;
        return false;
    }

    /// <summary>
    /// The parser's message when <paramref name="spec"/> does not parse; <paramref name="refusal"/> when
    /// it asks for any of <paramref name="refused"/> (a direction the tool needs left out: /R or /T); else null.
    /// </summary>
    public static string? PortProblem(string spec, NetmapRegisterFlags refused, string refusal) =>
        !TryParsePort(spec, out NetmapPortSpec? parsed, out string? problem) ? problem
        : (parsed.Flags & refused) != 0 ? refusal
        : null;
}
