using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Netmap.Dynamic.Cli.Shared;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Cli.Commands;

/// <summary>
/// <c>netmap parse [SPEC...] [--json]</c>: shows what port specs mean. <c>-</c> reads specs from
/// standard input, one per line. Exit code 0 when every spec parsed, 1 otherwise.
/// </summary>
public static class ParseCommand
{
    public static Command Create()
    {
        Argument<string[]> specs = new("SPEC")
        {
            Description = "Port specs to parse (netmap:eth0-1/R, vale0:a, netmap:p{1, ...); '-' reads them from standard input, one per line.",
            Arity = ArgumentArity.OneOrMore,
        };
        Option<bool> json = new("--json")
        {
            Description = "Write one JSON object per spec and line, with libnetmap's field names.",
        };
        Command command = new("parse", "Show what netmap port specs mean (kind, name, mode, ring, flags, memory id, options).");
        command.Arguments.Add(specs);
        command.Options.Add(json);
        command.SetAction(parseResult => Run(
            parseResult.GetValue(specs) ?? [],
            parseResult.GetValue(json),
            CliStdin.Current,
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(string[] specs, bool json, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        bool allOk = true;
        foreach (string spec in Expand(specs, stdin))
        {
            bool ok = NetmapPortSpec.TryParse(spec, out NetmapPortSpec? parsed, out NetmapPortSpecError error);
            allOk &= ok;
            if (json)
                stdout.WriteLine(ToJson(parsed, error));
            else if (ok)
                WriteText(parsed!, stdout);
            else
                WriteError(error, stderr);
        }
        return allOk ? 0 : 1;
    }

    private static IEnumerable<string> Expand(string[] specs, TextReader stdin)
    {
        foreach (string spec in specs)
        {
            if (spec != "-")
            {
                yield return spec;
                continue;
            }
            while (stdin.ReadLine() is string line)
            {
                // ReadLine strips "\n" and "\r\n"; a blank line is not a spec.
                if (line.Length != 0)
                    yield return line;
            }
        }
    }

    private static readonly JsonWriterOptions s_jsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One spec as one line of JSON with libnetmap's field names (Utf8JsonWriter: no reflection, AOT-safe).</summary>
    internal static string ToJson(NetmapPortSpec? spec, NetmapPortSpecError error)
    {
        using MemoryStream buffer = new();
        using (Utf8JsonWriter w = new(buffer, s_jsonOptions))
        {
            w.WriteStartObject();
            if (spec is null)
            {
                w.WriteString("spec", Safe(error.Spec));
                w.WriteBoolean("ok", false);
                w.WriteString("error", Safe(error.Reason));
                w.WriteNumber("position", error.Position);
                w.WriteString("offending", Safe(error.OffendingText));
                w.WriteString("code", error.Code.ToString());
            }
            else
            {
                w.WriteString("spec", Safe(spec.Text));
                w.WriteBoolean("ok", true);
                w.WriteString("nr_name", Safe(spec.Name));
                w.WriteNumber("nr_mode", (uint)spec.Mode);
                w.WriteNumber("nr_ringid", spec.RingId);
                w.WriteNumber("nr_flags", (ulong)spec.Flags);
                w.WriteNumber("nr_mem_id", spec.MemId);
                WriteCount(w, "tx_rings", spec.TxRings);
                WriteCount(w, "rx_rings", spec.RxRings);
                WriteCount(w, "tx_slots", spec.TxSlots);
                WriteCount(w, "rx_slots", spec.RxSlots);
                WriteCount(w, "host_tx_rings", spec.HostTxRings);
                WriteCount(w, "host_rx_rings", spec.HostRxRings);
                w.WriteString("kind", spec.Kind.ToString());
                w.WriteString("canonical", Safe(spec.ToString()));
                if (spec.SharePort is not null)
                    w.WriteString("share", Safe(spec.SharePort));
                if (spec.ExtMem is { } m)
                {
                    w.WriteStartObject("extmem");
                    w.WriteString("file", Safe(m.File));
                    WriteCount(w, "if_num", m.IfNum);
                    WriteCount(w, "if_size", m.IfSize);
                    WriteCount(w, "ring_num", m.RingNum);
                    WriteCount(w, "ring_size", m.RingSize);
                    WriteCount(w, "buf_num", m.BufNum);
                    WriteCount(w, "buf_size", m.BufSize);
                    w.WriteEndObject();
                }
                if (spec.Offset is { } offset)
                {
                    // libnetmap's field names (nmreq_opt_offsets): bits 0 means the whole field.
                    w.WriteStartObject("offset");
                    w.WriteNumber("initial", offset.Initial);
                    w.WriteNumber("max", offset.MaxOffset);
                    w.WriteNumber("bits", offset.Bits ?? 0);
                    w.WriteNumber("min_gap", 0);
                    w.WriteEndObject();
                }
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Utf8JsonWriter refuses broken UTF-16; show a lone surrogate as U+FFFD instead of failing.</summary>
    private static string Safe(string s)
    {
        char[]? fixedUp = null;
        for (int i = 0; i < s.Length; i++)
        {
            if (IsLoneSurrogate(s, i))
                (fixedUp ??= s.ToCharArray())[i] = '\uFFFD';
        }
        return fixedUp is null ? s : new string(fixedUp);
    }

    private static bool IsLoneSurrogate(string s, int i) => char.IsHighSurrogate(s[i])
        ? !(i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        : char.IsLowSurrogate(s[i]) && !(i > 0 && char.IsHighSurrogate(s[i - 1]));

    private static void WriteCount(Utf8JsonWriter w, string name, int? value)
    {
        if (value is int v)
            w.WriteNumber(name, v);
    }

    private static void WriteText(NetmapPortSpec s, TextWriter o)
    {
        o.WriteLine(s.Text);
        o.WriteLine($"  kind:      {s.Kind}");
        o.WriteLine($"  nr_name:   {s.Name}");
        if (s.SwitchName is not null)
            o.WriteLine($"  switch:    {s.SwitchName}  port: {s.ValePortName}");
        if (s.PipeSide is not null)
            o.WriteLine($"  pipe:      {s.PipeSide} end of '{s.PipeBase}', id '{s.PipeId}'");
        o.WriteLine($"  mode:      {s.Mode} ({(uint)s.Mode})" + (s.Mode is NetmapRegisterMode.NR_REG_ONE_NIC or NetmapRegisterMode.NR_REG_ONE_SW ? $", ring {s.RingId}" : ""));
        o.WriteLine($"  flags:     {(s.Flags == NetmapRegisterFlags.None ? "none" : s.Flags.ToString())} (0x{(ulong)s.Flags:x})");
        o.WriteLine($"  mem_id:    {(s.MemId == 0 ? "default" : s.MemId.ToString(System.Globalization.CultureInfo.InvariantCulture))}");
        if (s.HasConf)
            o.WriteLine($"  conf:      tx_rings={Show(s.TxRings)} rx_rings={Show(s.RxRings)} host_tx_rings={Show(s.HostTxRings)} host_rx_rings={Show(s.HostRxRings)} tx_slots={Show(s.TxSlots)} rx_slots={Show(s.RxSlots)}");
        if (s.SharePort is not null)
            o.WriteLine($"  share:     memory of {s.SharePort} (resolved at open)");
        if (s.ExtMem is { } m)
            o.WriteLine($"  extmem:    {m.File} if_num={Show(m.IfNum)} if_size={Show(m.IfSize)} ring_num={Show(m.RingNum)} ring_size={Show(m.RingSize)} buf_num={Show(m.BufNum)} buf_size={Show(m.BufSize)} (opened at open)");
        if (s.Offset is { } offset)
            o.WriteLine($"  offset:    initial={offset.Initial} max={offset.MaxOffset} bits={(offset.Bits is int b and > 0 ? b : 64)}");
        o.WriteLine($"  canonical: {s}");
    }

    private static string Show(int? v) => v?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";

    private static void WriteError(NetmapPortSpecError e, TextWriter err)
    {
        err.WriteLine($"error: {e.Message}");
        if (e.Spec.Length > 0 && !e.Spec.Any(char.IsControl))
        {
            // Point at the offending text under the spec.
            err.WriteLine($"  {e.Spec}");
            err.WriteLine($"  {new string(' ', e.Position)}{new string('^', Math.Max(1, e.Length))}");
        }
    }
}
