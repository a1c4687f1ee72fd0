using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.Commands;

/// <summary>`netmap info SPEC`: open a port and show its rings, slots, buffers and memory region.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        Argument<string> spec = new("SPEC") { Description = "port spec, e.g. netmap:eth0, vale0:a, netmap:p{1" };
        Option<bool> json = new("--json") { Description = "print one JSON object on stdout" };
        Option<string> backend = new("--backend")
        {
            Description = "auto (native when available, else fake), native or fake",
            DefaultValueFactory = _ => "auto",
        };
        backend.AcceptOnlyFromAmong("auto", "native", "fake");
        Option<string?> device = BackendSelector.DeviceOption();

        Command command = new("info", "Open a port and print its rings, slots, buffer size, memory id and region size.") { spec, json, backend, device };
        command.SetAction(parseResult =>
        {
            TextWriter stdout = parseResult.InvocationConfiguration.Output;
            TextWriter stderr = parseResult.InvocationConfiguration.Error;
            if (!BackendSelector.TrySelect(BackendSelector.Parse(parseResult.GetValue(backend)!), parseResult.GetValue(device), stderr, out INetmapBackend? selected, out string? error))
            {
                stderr.WriteLine($"netmap info: {error} (--backend fake runs on the in-memory backend)");
                return ExitCodes.Unavailable;
            }
            using (selected)
            {
                return Execute(selected, parseResult.GetValue(spec)!, parseResult.GetValue(json), stdout, stderr);
            }
        });
        return command;
    }

    public static int Execute(INetmapBackend backend, string spec, bool json, TextWriter stdout, TextWriter stderr)
    {
        if (!NetmapPortSpec.TryParse(spec, out _, out NetmapPortSpecError error))
        {
            stderr.WriteLine($"netmap info: {error.Message}");
            return ExitCodes.Usage;
        }
        try
        {
            using NetmapPort port = backend.OpenPort(spec);
            stdout.WriteLine(json ? ToJson(backend.Name, spec, port) : ToText(backend.Name, spec, port));
            return ExitCodes.Success;
        }
        catch (NetmapException e)
        {
            stderr.WriteLine($"netmap info: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    private static string ToText(string backend, string spec, NetmapPort port)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        StringBuilder s = new();
        s.Append(c, $"port         {spec} (kernel name {port.Name}) on the {backend} backend\n");
        s.Append(c, $"tx rings     {port.TxRingCount} + {port.HostTxRingCount} host, bound [{port.FirstTxRing}, {port.LastTxRing}), {port.TxSlots} slots each\n");
        s.Append(c, $"rx rings     {port.RxRingCount} + {port.HostRxRingCount} host, bound [{port.FirstRxRing}, {port.LastRxRing}), {port.RxSlots} slots each\n");
        s.Append(c, $"buffer size  {port.BufferSize} bytes\n");
        s.Append(c, $"memory id    {port.MemId}\n");
        s.Append(c, $"region size  {port.RegionSize} bytes ({port.RegionSize / (1024.0 * 1024.0):F1} MiB)");
        if (port.Spec.ExtMem is { } extmem)
            s.Append(c, $"\nmemory       external: {extmem.File}");
        if (MaxOffset(port) is int max)
            s.Append(c, $"\noffsets      per slot, up to {max} bytes");
        return s.ToString();
    }

    /// <summary>The largest buffer offset the port may write, when its rings carry offsets (<c>@offset</c>).</summary>
    private static int? MaxOffset(NetmapPort port)
    {
        NetmapRing ring = port.FirstTxRing < port.LastTxRing ? port.GetTxRing(port.FirstTxRing) : port.GetRxRing(port.FirstRxRing);
        return ring.HasOffsets ? ring.MaxOffset : null;
    }

    private static string ToJson(string backend, string spec, NetmapPort port)
    {
        using MemoryStream stream = new();
        using (Utf8JsonWriter w = new(stream))
        {
            w.WriteStartObject();
            w.WriteString("backend", backend);
            w.WriteString("port", spec);
            w.WriteString("name", port.Name);
            w.WriteNumber("txRings", port.TxRingCount);
            w.WriteNumber("rxRings", port.RxRingCount);
            w.WriteNumber("hostTxRings", port.HostTxRingCount);
            w.WriteNumber("hostRxRings", port.HostRxRingCount);
            w.WriteNumber("firstTxRing", port.FirstTxRing);
            w.WriteNumber("lastTxRing", port.LastTxRing);
            w.WriteNumber("firstRxRing", port.FirstRxRing);
            w.WriteNumber("lastRxRing", port.LastRxRing);
            w.WriteNumber("txSlots", port.TxSlots);
            w.WriteNumber("rxSlots", port.RxSlots);
            w.WriteNumber("bufferSize", port.BufferSize);
            w.WriteNumber("memId", port.MemId);
            w.WriteNumber("regionSize", port.RegionSize);
            if (port.Spec.ExtMem is { } extmem)
                w.WriteString("extmem", extmem.File);
            if (MaxOffset(port) is int max)
                w.WriteNumber("maxOffset", max);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }
}
