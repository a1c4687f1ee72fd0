using System.Text.Json;
using Netmap.Dynamic.Cli;
using Netmap.Dynamic.Tests.Loading;

namespace Netmap.Dynamic.Tests.Cli.Commands;

/// <summary>`netmap probe` in-process: JSON shape, report, exit codes.</summary>
[Platform(Include = "Linux")]
public sealed class ProbeCommandTests
{
    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        using StringWriter stdout = new(), stderr = new();
        int exit = Program.Run(args, TextReader.Null, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Test]
    public void Json_for_a_missing_device_says_unavailable_and_exits_3()
    {
        (int exit, string stdout, _) = Run("probe", "--json", "--device", NativeTestFiles.MissingDevice);

        using JsonDocument json = JsonDocument.Parse(stdout);
        JsonElement root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(3));
            Assert.That(root.GetProperty("available").GetBoolean(), Is.False);
            Assert.That(root.GetProperty("status").GetString(), Is.EqualTo("DeviceNotFound"));
            Assert.That(root.GetProperty("message").GetString(), Does.Contain("modprobe"));
            Assert.That(root.GetProperty("shim").GetProperty("path").GetString(), Does.EndWith("libnetmap_shim.so"));
            Assert.That(root.GetProperty("shim").GetProperty("version").GetInt32(), Is.EqualTo(Netmap.Dynamic.Native.ShimFunctions.ApiVersion));
            Assert.That(root.GetProperty("shim").GetProperty("headers").GetString(), Is.EqualTo("bundled"));
            Assert.That(root.GetProperty("shim").GetProperty("netmapApi").GetInt32(), Is.EqualTo(14));
            Assert.That(root.GetProperty("device").GetProperty("path").GetString(), Is.EqualTo(NativeTestFiles.MissingDevice));
            Assert.That(root.GetProperty("kernelApi").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(root.GetProperty("layout").GetProperty("checked").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("layout").GetProperty("mismatches").GetArrayLength(), Is.Zero);
            JsonElement first = root.GetProperty("attempts")[0];
            Assert.That(first.GetProperty("path").GetString(), Is.EqualTo(root.GetProperty("shim").GetProperty("path").GetString()));
            Assert.That(first.GetProperty("outcome").GetString(), Is.EqualTo("loaded"));
            Assert.That(root.GetProperty("moduleParameters").ValueKind, Is.EqualTo(JsonValueKind.Object));
        });
    }

    [Test]
    public void Json_for_an_available_netmap_exits_0()
    {
        (int exit, string stdout, _) = Run("probe", "--json", "--shim", NativeTestFiles.Variant("kernel14"), "--device", "/dev/null");

        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero);
            Assert.That(json.RootElement.GetProperty("available").GetBoolean(), Is.True);
            Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("Available"));
            Assert.That(json.RootElement.GetProperty("kernelApi").GetInt32(), Is.EqualTo(14));
        });
    }

    [Test]
    public void Json_names_the_layout_mismatches_of_an_incompatible_shim()
    {
        (int exit, string stdout, _) = Run("probe", "--json", "--shim", NativeTestFiles.Variant("badlayout"));

        using JsonDocument json = JsonDocument.Parse(stdout);
        JsonElement mismatches = json.RootElement.GetProperty("layout").GetProperty("mismatches");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(3));
            Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("ShimIncompatible"));
            Assert.That(mismatches.GetArrayLength(), Is.EqualTo(1));
            Assert.That(mismatches[0].GetProperty("item").GetString(), Is.EqualTo("netmap_ring.head"));
        });
    }

    [Test]
    public void Json_for_a_missing_shim_lists_the_attempt_with_the_linkers_text()
    {
        string missing = Path.Combine(Path.GetTempPath(), "netmap-dynamic-tests", "missing-shim.so");
        (int exit, string stdout, _) = Run("probe", "--json", "--shim", missing);

        using JsonDocument json = JsonDocument.Parse(stdout);
        JsonElement attempt = json.RootElement.GetProperty("attempts")[0];
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(3));
            Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("ShimNotFound"));
            Assert.That(json.RootElement.GetProperty("shim").GetProperty("path").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(json.RootElement.GetProperty("layout").GetProperty("checked").GetBoolean(), Is.False);
            Assert.That(attempt.GetProperty("path").GetString(), Is.EqualTo(missing));
            Assert.That(attempt.GetProperty("outcome").GetString(), Does.Contain("No such file or directory"));
        });
    }

    [Test]
    public void The_report_for_dev_null_is_readable_and_exits_3()
    {
        (int exit, string stdout, string stderr) = Run("probe", "--device", "/dev/null");

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(3));
            Assert.That(stdout, Does.StartWith("netmap probe: NotNetmapDevice"));
            Assert.That(stdout, Does.Contain("attempts:"));
            Assert.That(stderr, Is.Empty);
        });
    }

    [Test]
    public void A_wrong_libc_is_reported_as_LibcNotFound()
    {
        (int exit, string stdout, _) = Run("probe", "--json", "--libc", "/nonexistent/libc.so.6");

        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(3));
            Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("LibcNotFound"));
        });
    }

    [TestCase("probe", "--bogus")]
    [TestCase("probe", "--device")]
    [TestCase("no-such-command")]
    public void A_usage_error_exits_2_with_the_error_on_stderr(params string[] args)
    {
        (int exit, string stdout, string stderr) = Run(args);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(stdout, Is.Empty);
            Assert.That(stderr, Does.Contain("netmap --help"));
        });
    }
}
