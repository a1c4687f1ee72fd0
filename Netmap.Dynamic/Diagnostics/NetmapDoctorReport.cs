using System.Text;

namespace Netmap.Dynamic;

/// <summary>
/// What <see cref="NetmapDoctor"/> found: every check in order, and the worst status among them.
/// <see cref="ToString"/> is a multi-line report to log at start or paste into a bug report.
/// </summary>
public sealed class NetmapDoctorReport
{
    internal NetmapDoctorReport(string backend, string? port, IReadOnlyList<NetmapCheck> checks)
    {
        Backend = backend;
        Port = port;
        Checks = checks;
        Status = checks.Count == 0 ? NetmapCheckStatus.Ok : checks.Max(c => c.Status);
    }

    /// <summary>"native" (this machine) or "fake" (what the in-memory backend models).</summary>
    public string Backend { get; }

    /// <summary>The port spec examined, or null when only what every port needs was checked.</summary>
    public string? Port { get; }

    /// <summary>Every check, in the order they ran.</summary>
    public IReadOnlyList<NetmapCheck> Checks { get; }

    /// <summary>The worst status of any check: <see cref="NetmapCheckStatus.Ok"/> when all are ok.</summary>
    public NetmapCheckStatus Status { get; }

    /// <summary>The checks that are not ok.</summary>
    public IEnumerable<NetmapCheck> Problems => Checks.Where(c => c.Status != NetmapCheckStatus.Ok);

    /// <summary>One line per check, then the verdict.</summary>
    public override string ToString()
    {
        StringBuilder s = new();
        s.Append("netmap doctor").Append(Port is null ? "" : $" {Port}").Append(Backend == "fake" ? " (fake backend)" : "").AppendLine();
        foreach (NetmapCheck check in Checks)
        {
            s.Append($"  [{Label(check.Status)}] {Label(check.Kind)} {check.Subject}: {check.Seen}").AppendLine();
            if (check.Fix is not null)
                s.Append($"         fix: {check.Fix}").AppendLine();
        }
        int warnings = Checks.Count(c => c.Status == NetmapCheckStatus.Warning);
        int failures = Checks.Count(c => c.Status == NetmapCheckStatus.Failure);
        s.Append(Status == NetmapCheckStatus.Ok ? "all ok" : $"{failures} failure(s), {warnings} warning(s)").AppendLine();
        return s.ToString();
    }

    /// <summary>"ok", "warn" or "fail".</summary>
    internal static string Label(NetmapCheckStatus status) => status switch
    {
        NetmapCheckStatus.Ok => "ok",
        NetmapCheckStatus.Warning => "warn",
        _ => "fail",
    };

    /// <summary>The kind as a word: "spec", "module", "device", "param", "interface", "mtu", "offload", "adapter".</summary>
    internal static string Label(NetmapCheckKind kind) => kind switch
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
