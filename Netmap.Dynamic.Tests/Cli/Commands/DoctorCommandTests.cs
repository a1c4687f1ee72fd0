using System.Text.Json;
using Netmap.Dynamic.Cli.Commands;
using Netmap.Dynamic.Fake;
using Netmap.Dynamic.Tests.Cli.Shared;

namespace Netmap.Dynamic.Tests.Cli.Commands;

/// <summary>`netmap doctor`: its text and JSON, and exit 0 / 1 / 2 for ok / warnings / failures.</summary>
public class DoctorCommandTests
{
    [Test]
    public void On_the_fake_a_nic_port_is_all_ok_and_exits_0()
    {
        (int exit, string stdout, string stderr) = CliRunner.Run("doctor", "netmap:eth0", "--backend", "fake");
        Assert.That(exit, Is.EqualTo(DoctorCommand.ExitOk), stdout + stderr);
        Assert.That(stdout, Does.StartWith("netmap doctor netmap:eth0 (fake backend)\n").And.Contain("  [ok] offload gro: off\n").And.EndWith("all ok\n"));
    }

    [Test]
    public void A_spec_without_the_prefix_fails_and_exits_2()
    {
        (int exit, string stdout, _) = CliRunner.Run("doctor", "eth0", "--backend", "fake");
        Assert.That(exit, Is.EqualTo(DoctorCommand.ExitFailures));
        Assert.That(stdout, Does.Contain("[fail] spec eth0: no 'netmap:' prefix").And.Contain("fix: use netmap:eth0"));
    }

    [Test]
    public void Json_has_the_status_and_every_check_with_its_fix()
    {
        (int exit, string stdout, _) = CliRunner.Run("doctor", "netmap:eth0/q", "--backend", "fake", "--json");
        Assert.That(exit, Is.EqualTo(DoctorCommand.ExitFailures));
        using JsonDocument json = JsonDocument.Parse(stdout);
        JsonElement root = json.RootElement;
        Assert.That((root.GetProperty("backend").GetString(), root.GetProperty("port").GetString(), root.GetProperty("status").GetString()),
            Is.EqualTo(("fake", "netmap:eth0/q", "fail")));
        JsonElement spec = root.GetProperty("checks").EnumerateArray().First(c => c.GetProperty("kind").GetString() == "spec");
        Assert.That((spec.GetProperty("status").GetString(), spec.GetProperty("subject").GetString()), Is.EqualTo(("fail", "netmap:eth0/q")));
        Assert.That(spec.GetProperty("seen").GetString(), Does.Contain("unknown flag 'q'"));
        Assert.That(spec.GetProperty("fix").GetString(), Does.Contain("flags after '/'"));
    }

    [Test]
    public void Warnings_alone_exit_1()
    {
        using FakeNetmapBackend fake = new();
        fake.AddInterface("eth0").Offloads = NetmapOffloads.Gro;
        NetmapDoctorReport report = NetmapDoctor.Examine(fake, "netmap:eth0");
        Assert.That((report.Status, DoctorCommand.ExitCode(report)), Is.EqualTo((NetmapCheckStatus.Warning, DoctorCommand.ExitWarnings)));
        using JsonDocument json = JsonDocument.Parse(DoctorCommand.ToJson(report));
        Assert.That(json.RootElement.GetProperty("status").GetString(), Is.EqualTo("warn"));
    }

    [Test]
    public void With_no_port_only_what_every_port_needs_is_checked()
    {
        (int exit, string stdout, _) = CliRunner.Run("doctor", "--backend", "fake", "--json");
        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.That(exit, Is.EqualTo(DoctorCommand.ExitOk));
        Assert.That(json.RootElement.GetProperty("port").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(json.RootElement.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("kind").GetString()),
            Has.None.EqualTo("interface").And.None.EqualTo("spec"));
    }

    [Test]
    public void On_this_machine_it_runs_and_its_exit_code_follows_the_worst_check()
    {
        // Whatever this machine has: the device checks run, and the exit code is the report's.
        (int exit, string stdout, _) = CliRunner.Run("doctor", "--json", "--device", "/nonexistent/netmap");
        using JsonDocument json = JsonDocument.Parse(stdout);
        JsonElement device = json.RootElement.GetProperty("checks").EnumerateArray().First(c => c.GetProperty("kind").GetString() == "device");
        Assert.That((device.GetProperty("subject").GetString(), device.GetProperty("status").GetString(), device.GetProperty("seen").GetString()),
            Is.EqualTo(("/nonexistent/netmap", "fail", "does not exist")));
        Assert.That(exit, Is.EqualTo(DoctorCommand.ExitFailures));
    }
}
