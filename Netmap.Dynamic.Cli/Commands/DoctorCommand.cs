using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Cli.Commands;

/// <summary>
/// `netmap doctor [PORT]`: why netmap is slow or silent here, check by check, each with what was
/// seen and the fix as a command (<see cref="NetmapDoctor"/>). Exit 0 when every check is ok, 1
/// with warnings, 2 with failures. See docs/tools.md.
/// </summary>
internal static class DoctorCommand
{
    public const int ExitOk = 0;
    public const int ExitWarnings = 1;
    public const int ExitFailures = 2;

    public static Command Create()
    {
        Argument<string?> port = new("PORT") { Description = "the port to examine, e.g. netmap:eth0 (none: only what every port needs)", Arity = ArgumentArity.ZeroOrOne };
        Option<bool> json = new("--json") { Description = "print one JSON object instead of the report" };
        Option<string> backend = new("--backend")
        {
            Description = "native: this machine; fake: what the in-memory backend models (a fake NIC for PORT)",
            DefaultValueFactory = _ => "native",
        };
        backend.AcceptOnlyFromAmong("native", "fake");
        Option<string?> device = new("--device") { Description = $"the control device to examine (default {NetmapLoadOptions.DefaultDevicePath})" };
        Option<string?> shim = new("--shim") { Description = "load the shim from this file for the probe (as netmap probe --shim)" };

        Command command = new("doctor", "Check what makes netmap slow or silent here (module, device access, limits, interface, offloads, driver, spec), with fixes.")
        {
            port, json, backend, device, shim,
        };
        command.SetAction(parseResult =>
        {
            string? spec = parseResult.GetValue(port);
            NetmapDoctorReport report;
            if (parseResult.GetValue(backend) == "fake")
            {
                using FakeNetmapBackend fake = new();
                if (spec is not null && NetmapPortSpec.TryParse(spec, out NetmapPortSpec? parsed) && parsed.Kind == NetmapPortKind.Nic)
                    fake.AddInterface(parsed.Name);   // the fake has no NICs of its own: model one, as a test would
                report = NetmapDoctor.Examine(fake, spec);
            }
            else
            {
                report = NetmapDoctor.Examine(spec, new NetmapLoadOptions { DevicePath = parseResult.GetValue(device), ShimPath = parseResult.GetValue(shim) });
            }
            TextWriter output = parseResult.InvocationConfiguration.Output;
            output.Write(parseResult.GetValue(json) ? ToJson(report) + "\n" : report.ToString());
            return ExitCode(report);
        });
        return command;
    }

    public static int ExitCode(NetmapDoctorReport report) => report.Status switch
    {
        NetmapCheckStatus.Ok => ExitOk,
        NetmapCheckStatus.Warning => ExitWarnings,
        _ => ExitFailures,
    };

    /// <summary>The report as one JSON object: backend, port, status, and every check (kind, subject, status, seen, fix).</summary>
    public static string ToJson(NetmapDoctorReport report)
    {
        using MemoryStream buffer = new();
        using (Utf8JsonWriter w = new(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("backend", report.Backend);
            if (report.Port is null) w.WriteNull("port"); else w.WriteString("port", report.Port);
            w.WriteString("status", Status(report.Status));
            w.WriteStartArray("checks");
            foreach (NetmapCheck check in report.Checks)
            {
                w.WriteStartObject();
                w.WriteString("kind", Kind(check.Kind));
                w.WriteString("subject", check.Subject);
                w.WriteString("status", Status(check.Status));
                w.WriteString("seen", check.Seen);
                if (check.Fix is null) w.WriteNull("fix"); else w.WriteString("fix", check.Fix);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string Status(NetmapCheckStatus status) => status switch
    {
        NetmapCheckStatus.Ok => "ok",
        NetmapCheckStatus.Warning => "warn",
        _ => "fail",
    };

    private static string Kind(NetmapCheckKind kind) => kind switch
    {
        NetmapCheckKind.PortSpec => "spec",
        NetmapCheckKind.Module => "module",
        NetmapCheckKind.Device => "device",
        NetmapCheckKind.ModuleParameter => "param",
        NetmapCheckKind.Interface => "interface",
        NetmapCheckKind.Mtu => "mtu",
        NetmapCheckKind.Offload => "offload",
        _ => "adapter",
    };
}
