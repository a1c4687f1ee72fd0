using System.Globalization;
using System.Text;
using System.Text.Json;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.Bridge;

/// <summary>What one direction of a bridge forwarded.</summary>
/// <param name="Frames">Frames forwarded.</param>
/// <param name="Bytes">Their bytes (slot lengths).</param>
/// <param name="Seconds">From the first pass that moved frames to the last one (0 with fewer than two passes).</param>
internal readonly record struct BridgeDirectionTotals(long Frames, long Bytes, double Seconds)
{
    public double Mpps => Rates.Mpps(Frames, Seconds);

    public double Gbps => Rates.Gbps(Bytes, Seconds);
}

/// <summary>What a bridge run did, per direction.</summary>
internal sealed record BridgeResult
{
    public required string Backend { get; init; }
    public required string PortA { get; init; }
    public required string PortB { get; init; }
    public required bool ZeroCopy { get; init; }
    public required int Batch { get; init; }
    /// <summary>1: one thread over one poll; 2: a thread per direction.</summary>
    public int Threads { get; init; } = 1;
    public required BridgeDirectionTotals AToB { get; init; }
    public required BridgeDirectionTotals BToA { get; init; }
    /// <summary>From the start of forwarding to the end of the run.</summary>
    public double Seconds { get; init; }
    public bool Interrupted { get; init; }

    public string ToJson()
    {
        using MemoryStream stream = new();
        using (Utf8JsonWriter w = new(stream))
        {
            w.WriteStartObject();
            w.WriteString("backend", Backend);
            w.WriteString("portA", PortA);
            w.WriteString("portB", PortB);
            w.WriteBoolean("zeroCopy", ZeroCopy);
            w.WriteNumber("batch", Batch);
            w.WriteNumber("threads", Threads);
            w.WriteNumber("seconds", Math.Round(Seconds, 6));
            WriteDirection(w, "aToB", AToB);
            WriteDirection(w, "bToA", BToA);
            w.WriteBoolean("interrupted", Interrupted);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    public string ToText()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        StringBuilder s = new();
        s.Append(c, $"bridge on the {Backend} backend: {PortA} <-> {PortB}, {(ZeroCopy ? "zero copy (buffer swap)" : "copying")}, batch {Batch}, {(Threads == 1 ? "one thread" : "a thread per direction")}{(Interrupted ? " (interrupted)" : "")}\n");
        s.Append(c, $"  {PortA} -> {PortB}: {Line(AToB)}\n");
        s.Append(c, $"  {PortB} -> {PortA}: {Line(BToA)}\n");
        s.Append(c, $"  ran {Seconds:F3} s\n");
        return s.ToString();
    }

    private static string Line(BridgeDirectionTotals d) =>
        string.Create(CultureInfo.InvariantCulture, $"{d.Frames} frames, {d.Bytes} bytes, {d.Mpps:F3} Mpps, {d.Gbps:F3} Gbps");

    private static void WriteDirection(Utf8JsonWriter w, string name, BridgeDirectionTotals d)
    {
        w.WriteStartObject(name);
        w.WriteNumber("frames", d.Frames);
        w.WriteNumber("bytes", d.Bytes);
        w.WriteNumber("seconds", Math.Round(d.Seconds, 6));
        w.WriteNumber("mpps", Math.Round(d.Mpps, 4));
        w.WriteNumber("gbps", Math.Round(d.Gbps, 4));
        w.WriteEndObject();
    }
}
