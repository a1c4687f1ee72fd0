using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Netmap.Dynamic.Cli.Capture;

/// <summary>What a capture did.</summary>
internal sealed record CaptureResult
{
    public required string Backend { get; init; }
    public required string Port { get; init; }
    public required string File { get; init; }
    public required int SnapLength { get; init; }
    public required CaptureWriter Writer { get; init; }
    public required CaptureTotals Totals { get; init; }
    public bool Interrupted { get; init; }

    /// <summary>From the first pass that received frames to the last one.</summary>
    public double Seconds => Totals.Frames > 0 ? (Totals.LastTimestamp - Totals.FirstTimestamp) / (double)Stopwatch.Frequency : 0;

    public double Mpps => Seconds > 0 ? Totals.Frames / Seconds / 1e6 : 0;

    public double Gbps => Seconds > 0 ? Totals.Bytes * 8 / Seconds / 1e9 : 0;

    public string ToJson()
    {
        using MemoryStream stream = new();
        using (Utf8JsonWriter w = new(stream))
        {
            w.WriteStartObject();
            w.WriteString("backend", Backend);
            w.WriteString("port", Port);
            w.WriteString("file", File);
            w.WriteNumber("snapLength", SnapLength);
            w.WriteString("writer", Writer == CaptureWriter.Thread ? "thread" : "inline");
            w.WriteNumber("frames", Totals.Frames);
            w.WriteNumber("bytes", Totals.Bytes);
            w.WriteNumber("seconds", Math.Round(Seconds, 6));
            w.WriteNumber("mpps", Math.Round(Mpps, 4));
            w.WriteNumber("gbps", Math.Round(Gbps, 4));
            w.WriteBoolean("interrupted", Interrupted);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    public string ToText() => string.Create(CultureInfo.InvariantCulture,
        $"capture on the {Backend} backend: {Port} -> {File}, snap length {SnapLength}{(Interrupted ? " (interrupted)" : "")}\n"
        + $"  {Totals.Frames} frames, {Totals.Bytes} bytes, {Seconds:F3} s, {Mpps:F3} Mpps, {Gbps:F3} Gbps\n");

    /// <summary>The line printed to stderr every rate interval.</summary>
    public static string RateLine(double seconds, long frames, long bytes, long total)
    {
        double s = seconds > 0 ? seconds : double.PositiveInfinity;
        return string.Create(CultureInfo.InvariantCulture, $"{frames / s / 1e6,9:F3} Mpps {bytes * 8 / s / 1e9,8:F3} Gbps   captured {total}");
    }
}
