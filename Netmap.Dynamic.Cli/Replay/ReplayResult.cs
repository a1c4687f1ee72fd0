using System.Globalization;
using System.Text;
using System.Text.Json;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.Replay;

/// <summary>What a replay did.</summary>
internal sealed record ReplayResult
{
    public required string Backend { get; init; }
    public required string File { get; init; }
    public required string Port { get; init; }
    /// <summary>"fast", "file" or "rate", as asked.</summary>
    public required string Pace { get; init; }
    public required long FileFrames { get; init; }
    public required ReplayTotals Totals { get; init; }
    public bool Interrupted { get; init; }

    public double Mpps => Rates.Mpps(Totals.Sent, Totals.Seconds);

    public double Gbps => Rates.Gbps(Totals.Bytes, Totals.Seconds);

    public string ToJson()
    {
        using MemoryStream stream = new();
        using (Utf8JsonWriter w = new(stream))
        {
            w.WriteStartObject();
            w.WriteString("backend", Backend);
            w.WriteString("file", File);
            w.WriteString("port", Port);
            w.WriteString("pace", Pace);
            w.WriteNumber("fileFrames", FileFrames);
            w.WriteNumber("sent", Totals.Sent);
            w.WriteNumber("bytes", Totals.Bytes);
            w.WriteNumber("skipped", Totals.Skipped);
            w.WriteNumber("passes", Totals.Passes);
            w.WriteNumber("seconds", Math.Round(Totals.Seconds, 6));
            w.WriteNumber("mpps", Math.Round(Mpps, 4));
            w.WriteNumber("gbps", Math.Round(Gbps, 4));
            w.WriteBoolean("interrupted", Interrupted);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    public string ToText()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        StringBuilder s = new();
        s.Append(c, $"replay on the {Backend} backend: {File} ({FileFrames} frames) -> {Port}, pace {Pace}{(Interrupted ? " (interrupted)" : "")}\n");
        s.Append(c, $"  sent {Totals.Sent} frames, {Totals.Bytes} bytes in {Totals.Passes} complete passes");
        if (Totals.Skipped > 0)
        {
            s.Append(c, $", skipped {Totals.Skipped} longer than the port's buffers");
        }
        s.Append(c, $"\n  {Totals.Seconds:F3} s, {Mpps:F3} Mpps, {Gbps:F3} Gbps\n");
        return s.ToString();
    }
}
