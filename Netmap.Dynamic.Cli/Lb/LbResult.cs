using System.Globalization;
using System.Text;
using System.Text.Json;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.Lb;

/// <summary>What one output pipe got.</summary>
internal readonly record struct LbOutputTotals(string Port, int Group, long Frames, long Bytes, long Dropped, int Queued);

/// <summary>What a balancer run did: the input's totals and every output's.</summary>
internal sealed record LbResult
{
    public required string Backend { get; init; }
    public required string Input { get; init; }
    public required bool ZeroCopy { get; init; }
    public required long ReceivedFrames { get; init; }
    public required long ReceivedBytes { get; init; }
    public required IReadOnlyList<LbOutputTotals> Outputs { get; init; }
    public double Seconds { get; init; }
    public bool Interrupted { get; init; }

    public double Mpps => Rates.Mpps(ReceivedFrames, Seconds);

    public string ToJson()
    {
        using MemoryStream stream = new();
        using (Utf8JsonWriter w = new(stream))
        {
            w.WriteStartObject();
            w.WriteString("backend", Backend);
            w.WriteString("input", Input);
            w.WriteBoolean("zeroCopy", ZeroCopy);
            w.WriteNumber("seconds", Math.Round(Seconds, 6));
            w.WriteNumber("receivedFrames", ReceivedFrames);
            w.WriteNumber("receivedBytes", ReceivedBytes);
            w.WriteNumber("mpps", Math.Round(Mpps, 4));
            w.WriteStartArray("outputs");
            foreach (LbOutputTotals o in Outputs)
            {
                w.WriteStartObject();
                w.WriteString("port", o.Port);
                w.WriteNumber("group", o.Group);
                w.WriteNumber("frames", o.Frames);
                w.WriteNumber("bytes", o.Bytes);
                w.WriteNumber("dropped", o.Dropped);
                w.WriteNumber("queued", o.Queued);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteBoolean("interrupted", Interrupted);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    public string ToText()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        StringBuilder s = new();
        s.Append(c, $"lb on the {Backend} backend: {Input}, {(ZeroCopy ? "zero copy (buffer swap)" : "copying")}{(Interrupted ? " (interrupted)" : "")}\n");
        s.Append(c, $"  received {ReceivedFrames} frames, {ReceivedBytes} bytes, {Mpps:F3} Mpps in {Seconds:F3} s\n");
        foreach (LbOutputTotals o in Outputs)
        {
            s.Append(c, $"  group {o.Group} {o.Port}: {o.Frames} frames, {o.Bytes} bytes, {o.Dropped} dropped, {o.Queued} queued\n");
        }
        return s.ToString();
    }
}
