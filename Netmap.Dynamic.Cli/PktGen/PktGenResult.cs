using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>
/// What a pkt-gen run did. Rates follow netmap's pkt-gen: Mpps counts the frames of the run
/// (received ones for rx/txrx/ping/pong, sent ones for tx); Gbps is frame bytes (without CRC)
/// × 8 / seconds, and the wire rate adds 24 bytes per frame for CRC, preamble and inter-frame
/// gap, like pkt-gen's "raw" figure. A run of several threads (`-p`) sums the counts and the
/// rates of its threads, whose own results are in <see cref="PerThread"/>.
/// </summary>
internal sealed record PktGenResult
{
    public required string Backend { get; init; }
    public required PktGenMode Mode { get; init; }
    public required string Port { get; init; }
    public string? Peer { get; init; }
    public required int Size { get; init; }
    public long Sent { get; init; }
    public long Received { get; init; }
    /// <summary>txrx/ping: sent − received; rx: frames missing from the sequence; else 0.</summary>
    public long Lost { get; init; }
    public long OutOfOrder { get; init; }
    public long Corrupt { get; init; }
    /// <summary>Bytes of the frames the rates count, when the receiver summed their lengths;
    /// null: <see cref="Size"/> per frame.</summary>
    public long? Bytes { get; init; }
    /// <summary>Whether frames were numbered and checked (--verify).</summary>
    public bool Verify { get; init; }
    public double Seconds { get; init; }
    /// <summary>True when Ctrl+C (or a cancellation) cut the run short.</summary>
    public bool Interrupted { get; init; }
    public LatencySummary? Latency { get; init; }
    /// <summary>With `-p N` (N > 1): each thread's own result; empty otherwise.</summary>
    public IReadOnlyList<PktGenResult> PerThread { get; init; } = [];

    /// <summary>The frames the rates count.</summary>
    public long RatedFrames => Mode == PktGenMode.Tx ? Sent : Received;

    /// <summary>The bytes of <see cref="RatedFrames"/>.</summary>
    public long RatedBytes => Bytes ?? RatedFrames * Size;

    public double Mpps => PerThread.Count > 0 ? PerThread.Sum(t => t.Mpps) : Seconds > 0 ? RatedFrames / Seconds / 1e6 : 0;

    public double Gbps => PerThread.Count > 0 ? PerThread.Sum(t => t.Gbps) : Seconds > 0 ? RatedBytes * 8.0 / Seconds / 1e9 : 0;

    public double WireGbps => PerThread.Count > 0 ? PerThread.Sum(t => t.WireGbps)
        : Seconds > 0 ? (RatedBytes + (RatedFrames * (double)FrameLayout.WireOverhead)) * 8 / Seconds / 1e9 : 0;

    /// <summary>The result of a run of several threads: counts summed, the longest thread's
    /// seconds, rates summed (see <see cref="Mpps"/>), ping latency is not combined (ping runs on one thread).</summary>
    public static PktGenResult Combine(IReadOnlyList<PktGenResult> threads)
    {
        PktGenResult first = threads[0];
        bool measuredBytes = threads.All(t => t.Bytes is not null);
        return first with
        {
            Sent = threads.Sum(t => t.Sent),
            Received = threads.Sum(t => t.Received),
            Bytes = measuredBytes ? threads.Sum(t => t.Bytes!.Value) : null,
            Lost = threads.Sum(t => t.Lost),
            OutOfOrder = threads.Sum(t => t.OutOfOrder),
            Corrupt = threads.Sum(t => t.Corrupt),
            Seconds = threads.Max(t => t.Seconds),
            Interrupted = threads.Any(t => t.Interrupted),
            Latency = null,
            PerThread = threads,
        };
    }

    /// <summary>
    /// Exit code 0 or 1. txrx and ping pass when every sent frame came back (with --verify:
    /// intact and in order); rx and pong pass when --verify saw no gap, reordering or corruption
    /// (without --verify they only count, and pass); tx passes when it ran (errors are reported apart).
    /// </summary>
    public bool Passed => Mode switch
    {
        PktGenMode.TxRx or PktGenMode.Ping => Sent > 0 && Received == Sent && Lost == 0 && OutOfOrder == 0 && Corrupt == 0,
        PktGenMode.Rx or PktGenMode.Pong => Lost == 0 && OutOfOrder == 0 && Corrupt == 0,
        _ => true,
    };

    public static string ModeName(PktGenMode mode) => mode.ToString().ToLowerInvariant();

    /// <summary>One JSON object (no trailing newline) with the fields the issue names, plus
    /// `bytes`, `verify`, `wireGbps`, `interrupted`, `passed`, for ping `latencyUs`, and with
    /// several threads `threads`, one object per thread.</summary>
    public string ToJson()
    {
        using MemoryStream stream = new();
        using (Utf8JsonWriter w = new(stream))
        {
            WriteJson(w);
        }
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private void WriteJson(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("backend", Backend);
        w.WriteString("mode", ModeName(Mode));
        w.WriteString("port", Port);
        if (Peer is null)
        {
            w.WriteNull("peer");
        }
        else
        {
            w.WriteString("peer", Peer);
        }
        w.WriteNumber("size", Size);
        w.WriteNumber("sent", Sent);
        w.WriteNumber("received", Received);
        w.WriteNumber("lost", Lost);
        w.WriteNumber("outOfOrder", OutOfOrder);
        w.WriteNumber("corrupt", Corrupt);
        w.WriteNumber("bytes", RatedBytes);
        w.WriteBoolean("verify", Verify);
        w.WriteNumber("seconds", Round(Seconds, 6));
        w.WriteNumber("mpps", Round(Mpps, 4));
        w.WriteNumber("gbps", Round(Gbps, 4));
        w.WriteNumber("wireGbps", Round(WireGbps, 4));
        w.WriteBoolean("interrupted", Interrupted);
        w.WriteBoolean("passed", Passed);
        if (Latency is { } l)
        {
            w.WriteStartObject("latencyUs");
            w.WriteNumber("min", Round(l.MinUs, 3));
            w.WriteNumber("median", Round(l.MedianUs, 3));
            w.WriteNumber("p99", Round(l.P99Us, 3));
            w.WriteNumber("max", Round(l.MaxUs, 3));
            w.WriteNumber("samples", l.Samples);
            w.WriteEndObject();
        }
        if (PerThread.Count > 0)
        {
            w.WriteStartArray("threads");
            foreach (PktGenResult thread in PerThread)
            {
                thread.WriteJson(w);
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    /// <summary>The human summary printed at the end (several lines, ending with a newline).</summary>
    public string ToText()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        StringBuilder s = new();
        s.Append(c, $"pkt-gen {ModeName(Mode)} on the {Backend} backend: {Port}");
        if (Peer is not null)
        {
            s.Append(c, $" -> {Peer}");
        }
        s.Append(c, $", {Size}-byte frames{(Verify ? ", numbered and checked" : "")}{(PerThread.Count > 0 ? $", {PerThread.Count} threads" : "")}{(Interrupted ? " (interrupted)" : "")}\n");
        s.Append(c, $"  sent {Sent}, received {Received}, lost {Lost}, out of order {OutOfOrder}, corrupt {Corrupt}\n");
        s.Append(c, $"  {Seconds:F3} s, {Mpps:F3} Mpps, {Gbps:F3} Gbps ({WireGbps:F3} Gbps on the wire with 24 B/frame overhead)\n");
        foreach (PktGenResult t in PerThread)
        {
            s.Append(c, $"    {t.Port}{(t.Peer is null ? "" : " -> " + t.Peer)}: sent {t.Sent}, received {t.Received}, {t.Seconds:F3} s, {t.Mpps:F3} Mpps\n");
        }
        if (Latency is { } l)
        {
            s.Append(c, $"  round trip (us): min {l.MinUs:F2}, median {l.MedianUs:F2}, p99 {l.P99Us:F2}, max {l.MaxUs:F2} over {l.Samples} samples\n");
        }
        return s.ToString();
    }

    /// <summary>The line printed to stderr every rate interval.</summary>
    public static string RateLine(double seconds, long frames, int size, long sent, long received)
    {
        double mpps = seconds > 0 ? frames / seconds / 1e6 : 0;
        double gbps = seconds > 0 ? frames * (double)size * 8 / seconds / 1e9 : 0;
        return string.Create(CultureInfo.InvariantCulture, $"{mpps,9:F3} Mpps {gbps,8:F3} Gbps   sent {sent} received {received}");
    }

    private static double Round(double value, int digits) => Math.Round(value, digits, MidpointRounding.AwayFromZero);
}
