using System.Diagnostics;
using System.Text.Json;

namespace Netmap.Dynamic.Tests.Loading;

/// <summary>
/// PermissionDenied for real where the tests run as root (as CI does): root opens any file, so the
/// probe runs in a child process as user nobody (setpriv), against a device file only root may
/// open — what an unprivileged user meets with netmap's default <c>crw------- /dev/netmap</c>.
/// As a normal user, NetmapLibraryDeviceTests covers the same in process.
/// </summary>
[Platform(Include = "Linux")]
public sealed class PermissionDeniedAsUnprivilegedUserTests
{
    private const string Setpriv = "/usr/bin/setpriv";
    private const int Nobody = 65534;

    private static (int Exit, string Stdout, string Stderr) RunAsNobody(params string[] arguments)
    {
        ProcessStartInfo start = new(Setpriv)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (string argument in (string[])[$"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "--", .. arguments])
            start.ArgumentList.Add(argument);
        start.Environment["HOME"] = Path.GetTempPath();
        start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        start.Environment.Remove("NETMAP_DYNAMIC_SHIM");
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        Assert.That(process.WaitForExit(TimeSpan.FromMinutes(1)), Is.True, "the child probe did not finish");
        return (process.ExitCode, stdout.Result, stderr);
    }

    [Test]
    public void A_device_only_root_may_open_is_PermissionDenied_for_another_user()
    {
        Assume.That(Environment.IsPrivilegedProcess, Is.True, "needs root to run the probe as another user");
        Assume.That(File.Exists(Setpriv), Is.True, "needs setpriv (util-linux)");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? Environment.ProcessPath ?? "dotnet";
        string tool = Path.Combine(AppContext.BaseDirectory, "netmap.dll");
        Assume.That(RunAsNobody("/usr/bin/test", "-r", tool).Exit, Is.Zero, "the build output is not readable by user nobody here");

        string locked = Path.Combine(Path.GetTempPath(), $"netmap-root-only-{Guid.NewGuid():N}");
        File.WriteAllText(locked, "");
#pragma warning disable CA1416 // Linux only ([Platform])
        File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite);   // like crw------- root
#pragma warning restore CA1416
        try
        {
            (int exit, string stdout, string stderr) = RunAsNobody(dotnet, tool, "probe", "--json", "--device", locked, "--shim", NativeTestFiles.Shim);

            Assert.That(exit, Is.EqualTo(3), stderr);
            using JsonDocument json = JsonDocument.Parse(stdout);
            JsonElement root = json.RootElement;
            Assert.Multiple(() =>
            {
                Assert.That(root.GetProperty("status").GetString(), Is.EqualTo(nameof(NetmapProbeStatus.PermissionDenied)));
                Assert.That(root.GetProperty("available").GetBoolean(), Is.False);
                Assert.That(root.GetProperty("device").GetProperty("path").GetString(), Is.EqualTo(locked));
            });
        }
        finally
        {
            File.Delete(locked);
        }
    }
}
