using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic;

/// <summary>
/// Answers "why is netmap slow or silent here": checks, each with a status, what was seen and the
/// fix as a command, of the module and its device (and who may open it), the module parameters
/// that bound a port against what the port needs, the interface behind a port (up, promiscuous,
/// MTU against the buffer size), its offloads, whether it has a native netmap driver or runs on
/// the emulated adapter, and the port spec itself. Meant to be logged at start:
/// <code>
/// NetmapDoctorReport report = NetmapDoctor.Examine("netmap:eth0");
/// if (report.Status != NetmapCheckStatus.Ok) logger.LogWarning("{Report}", report);
/// </code>
/// It reads files under <c>/sys</c> and <c>/proc</c>, asks the interface's driver through the
/// ethtool ioctl, and runs the library's probe; it changes nothing. See docs/tools.md ("netmap doctor").
/// </summary>
public static class NetmapDoctor
{
    /// <summary>
    /// Examines this machine for <paramref name="port"/> (a port spec such as <c>netmap:eth0</c>;
    /// null: only what every port needs). <paramref name="options"/> are those of the probe (device path, shim).
    /// </summary>
    public static NetmapDoctorReport Examine(string? port = null, NetmapLoadOptions? options = null)
    {
        using LinuxDoctorHost host = new(options);
        return Examine(host, port);
    }

    /// <summary>
    /// What the fake backend models for <paramref name="port"/>: its NICs
    /// (<see cref="FakeNetmapBackend.AddInterface"/>, with the MTU, state and offloads set on
    /// <see cref="FakeNetmapInterface"/>) and its allocator's limits. Lets a test see what an
    /// application would log at start on a machine set up that way.
    /// </summary>
    public static NetmapDoctorReport Examine(FakeNetmapBackend backend, string? port = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        using FakeDoctorHost host = new(backend);
        return Examine(host, port);
    }

    internal static NetmapDoctorReport Examine(IDoctorHost host, string? port) => new DoctorChecks(host).Run(port);
}
