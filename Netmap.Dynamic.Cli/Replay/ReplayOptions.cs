using System.Globalization;
using Netmap.Dynamic.Cli.PktGen;

namespace Netmap.Dynamic.Cli.Replay;

/// <summary>A replay as the command line asked for it.</summary>
internal sealed record ReplayOptions
{
    public const int DefaultBatch = 512;
    public const int MaxBatch = 65536;

    public required string File { get; init; }
    public required string Port { get; init; }
    /// <summary>--speed: the file's own pace times this factor; null unless given.</summary>
    public double? Speed { get; init; }
    /// <summary>--rate in Mpps; null unless given.</summary>
    public double? RateMpps { get; init; }
    /// <summary>Times to send the file; 0: until Ctrl+C or the duration.</summary>
    public long Loops { get; init; } = 1;
    public int Batch { get; init; } = DefaultBatch;
    public double? DurationSeconds { get; init; }
    public BackendChoice Backend { get; init; } = BackendChoice.Auto;

    /// <summary>The netmap device for the native backend (null: the default /dev/netmap).</summary>
    public string? Device { get; init; }
    public bool Json { get; init; }
    public double RateIntervalSeconds { get; init; } = 1.0;

    /// <summary>Reads "2", "2x" or "0.5x"; null when it is not a positive finite number.</summary>
    public static double? ParseSpeed(string text)
    {
        string number = text.EndsWith('x') || text.EndsWith('X') ? text[..^1] : text;
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double speed) && double.IsFinite(speed) && speed > 0
            ? speed
            : null;
    }

    public string? Validate()
    {
        if (Speed is not null && RateMpps is not null)
        {
            return "give --speed (the file's pace) or --rate (a fixed rate), not both";
        }
        if (Speed is { } s && (!double.IsFinite(s) || s <= 0))
        {
            return $"--speed must be a positive factor such as 1x, 2x or 0.5x, got {s}";
        }
        if (RateMpps is { } r && (!double.IsFinite(r) || r <= 0 || r > 1000))
        {
            return $"--rate must be a positive number of Mpps up to 1000, got {r}";
        }
        if (Loops < 0)
        {
            return $"--loop must be 0 (until Ctrl+C) or a number of passes, got {Loops}";
        }
        if (Batch is < 1 or > MaxBatch)
        {
            return $"--batch must be 1 to {MaxBatch}, got {Batch}";
        }
        if (DurationSeconds is { } d && (!double.IsFinite(d) || d <= 0))
        {
            return $"--duration must be a positive number of seconds, got {d}";
        }
        if (!double.IsFinite(RateIntervalSeconds) || RateIntervalSeconds < 0)
        {
            return $"--rate-interval must be 0 (no rate lines) or a positive number of seconds, got {RateIntervalSeconds}";
        }
        if (!NetmapPortSpec.TryParse(Port, out NetmapPortSpec? parsed, out NetmapPortSpecError error))
        {
            return error.Message;
        }
        if ((parsed.Flags & Interop.NetmapRegisterFlags.NR_RX_RINGS_ONLY) != 0)
        {
            return $"--interface {Port} binds only RX rings (/R): a replay sends on it";
        }
        return null;
    }
}
