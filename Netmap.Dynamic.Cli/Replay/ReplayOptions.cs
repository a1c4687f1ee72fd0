using System.Globalization;
using Netmap.Dynamic.Cli.Shared;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Cli.Replay;

/// <summary>A replay as the command line asked for it.</summary>
internal sealed record ReplayOptions : ToolOptions
{
    public required string File { get; init; }
    public required string Port { get; init; }

    /// <summary>Frames per TX sync, as pkt-gen's default burst.</summary>
    public const int DefaultBatch = 512;
    public const int MaxBatch = 65536;
    /// <summary>--speed: the file's own pace times this factor; null unless given.</summary>
    public double? Speed { get; init; }
    /// <summary>--rate in Mpps; null unless given.</summary>
    public double? RateMpps { get; init; }
    /// <summary>Times to send the file; 0: until Ctrl+C or the duration.</summary>
    public long Loops { get; init; } = 1;
    public int Batch { get; init; } = DefaultBatch;

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
        return BatchProblem(Batch, MaxBatch) ?? CommonProblem()
            ?? PortProblem(Port, NetmapRegisterFlags.NR_RX_RINGS_ONLY, $"--interface {Port} binds only RX rings (/R): a replay sends on it");
    }
}
