using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Netmap.Dynamic.Cli.Commands;

/// <summary>
/// `netmap probe`: can netmap be used here, and if not, why and what to do. Exit 0 when netmap
/// is usable, 3 when it is not (2 is a usage error, from Program.Run).
/// </summary>
internal static class ProbeCommand
{
    public const int ExitAvailable = 0;
    public const int ExitUnavailable = 3;

    public static Command Create()
    {
        Option<bool> json = new("--json") { Description = "Print one JSON object instead of the report." };
        Option<string?> shim = new("--shim") { Description = "Load the shim from this file (else NETMAP_DYNAMIC_SHIM, the app's runtimes/<rid>/native/, the system loader)." };
        Option<string?> libc = new("--libc") { Description = "Load this libc (path or name; default libc.so.6)." };
        Option<string?> device = new("--device") { Description = "Probe this control device (default /dev/netmap)." };

        Command command = new("probe", "Check whether netmap is usable here: shim, libc, struct layouts, device, kernel API.")
        {
            json, shim, libc, device,
        };
        command.SetAction(parseResult =>
        {
            NetmapLoadOptions options = new()
            {
                ShimPath = parseResult.GetValue(shim),
                LibcPath = parseResult.GetValue(libc),
                DevicePath = parseResult.GetValue(device),
            };
            NetmapProbeResult result = NetmapLibrary.Probe(options);
            IReadOnlyDictionary<string, string> parameters = NetmapModuleParameters.Read();
            TextWriter output = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json))
            {
                output.WriteLine(ToJson(result, parameters));
            }
            else
            {
                output.Write(result.ToString());
                output.WriteLine(parameters.Count == 0
                    ? $"module parameters: none ({NetmapModuleParameters.DefaultDirectory} not present)"
                    : $"module parameters: {string.Join(", ", parameters.Select(p => $"{p.Key}={p.Value}"))}");
            }
            return result.IsAvailable ? ExitAvailable : ExitUnavailable;
        });
        return command;
    }

    /// <summary>The probe result as one JSON object (field names are part of the CLI's contract: docs/probing.md).</summary>
    internal static string ToJson(NetmapProbeResult result, IReadOnlyDictionary<string, string> moduleParameters)
    {
        using MemoryStream buffer = new();
        using (Utf8JsonWriter w = new(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteBoolean("available", result.IsAvailable);
            w.WriteString("status", result.Status.ToString());
            w.WriteString("message", result.Message);
            w.WriteBoolean("libraryLoaded", result.IsLibraryLoaded);

            w.WriteStartObject("shim");
            WriteStringOrNull(w, "path", result.ShimPath);
            WriteNumberOrNull(w, "version", result.ShimVersion);
            w.WriteNumber("requiredVersion", result.RequiredShimVersion);
            WriteStringOrNull(w, "headers", result.Shim?.Headers);
            WriteNumberOrNull(w, "netmapApi", result.Shim?.NetmapApi);
            if (result.Shim is { } d)
            {
                w.WriteStartObject("ioctls");
                w.WriteString("NIOCCTRL", $"0x{d.NiocCtrl:x}");
                w.WriteString("NIOCTXSYNC", $"0x{d.NiocTxSync:x}");
                w.WriteString("NIOCRXSYNC", $"0x{d.NiocRxSync:x}");
                w.WriteEndObject();
            }
            w.WriteStartArray("missingExports");
            foreach (string name in result.MissingExports)
                w.WriteStringValue(name);
            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteStartObject("libc");
            WriteStringOrNull(w, "path", result.LibcPath);
            w.WriteEndObject();

            w.WriteStartObject("device");
            w.WriteString("path", result.DevicePath);
            WriteStringOrNull(w, "message", result.DeviceMessage);
            w.WriteNumber("errno", result.DeviceErrno);
            w.WriteEndObject();
            WriteNumberOrNull(w, "kernelApi", result.KernelApi);
            w.WriteNumber("libraryApi", result.LibraryNetmapApi);

            w.WriteStartObject("layout");
            w.WriteBoolean("checked", result.Layout.Checked);
            w.WriteNumber("itemsCompared", result.Layout.ItemsCompared);
            w.WriteStartArray("mismatches");
            foreach (NetmapLayoutMismatch m in result.Layout.Mismatches)
            {
                w.WriteStartObject();
                w.WriteString("item", m.Item);
                w.WriteString("managed", m.Managed);
                w.WriteString("shim", m.Shim);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteStartArray("attempts");
            foreach (NetmapLoadAttempt a in result.Attempts)
            {
                w.WriteStartObject();
                w.WriteString("library", a.Library);
                w.WriteString("source", a.Source);
                w.WriteString("path", a.Path);
                w.WriteBoolean("succeeded", a.Succeeded);
                w.WriteString("outcome", a.Outcome);
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteStartObject("moduleParameters");
            foreach (KeyValuePair<string, string> parameter in moduleParameters)
                w.WriteString(parameter.Key, parameter.Value);
            w.WriteEndObject();

            w.WriteStartObject("platform");
            w.WriteString("os", result.OperatingSystem);
            w.WriteString("architecture", result.ProcessArchitecture.ToString());
            w.WriteString("rid", result.RuntimeIdentifier);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteStringOrNull(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
            w.WriteNull(name);
        else
            w.WriteString(name, value);
    }

    private static void WriteNumberOrNull(Utf8JsonWriter w, string name, int? value)
    {
        if (value is int v)
            w.WriteNumber(name, v);
        else
            w.WriteNull(name);
    }
}
