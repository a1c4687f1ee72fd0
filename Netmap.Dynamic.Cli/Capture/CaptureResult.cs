using System.Globalization;
using System.Text;
using System.Text.Json;
using Netmap.Dynamic.Cli.Pcap;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.Capture;

/// <summary>What a capture did.</summary>
internal sealed record CaptureResult
{
    public required string Backend { get; init; }
    public required string Port { get; init; }
    public required string File { get; init; }
    public required int SnapLength { get; init; }
    public required CaptureWriter Writer { get; init; }
    public CaptureFileFormat Format { get; init; }
    public required long Frames { get; init; }
    /// <summary>Bytes of the frames that arrived (before the snap length).</summary>
    public required long Bytes { get; init; }
    /// <summary>From the first pass that received frames to the last one.</summary>
    public required double Seconds { get; init; }
    public bool Interrupted { get; init; }

    public double Mpps => Rates.Mpps(Frames, Seconds);

    public double Gbps => Rates.Gbps(Bytes, Seconds);

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
            w.WriteString("format", Format == CaptureFileFormat.PcapNg ? "pcapng" : "pcap");
            w.WriteNumber("frames", Frames);
            w.WriteNumber("bytes", Bytes);
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
        + $"  {Frames} frames, {Bytes} bytes, {Seconds:F3} s, {Mpps:F3} Mpps, {Gbps:F3} Gbps\n");
}
