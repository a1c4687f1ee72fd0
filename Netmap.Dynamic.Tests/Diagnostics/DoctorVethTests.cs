using System.Diagnostics;

namespace Netmap.Dynamic.Tests.Diagnostics;

/// <summary>
/// The doctor on this machine, against a veth pair the test creates and whose offloads it turns
/// on and then off with the real <c>ethtool</c>: the doctor (which asks the kernel through the
/// ethtool ioctl) must see what ethtool itself reports. Needs root (to create the pair), <c>ip</c>
/// and <c>ethtool</c>; ignored, saying which is missing, elsewhere. .ci/run installs ethtool; in
/// the netmap VM it also sees the netmap module (docs/tools.md records its output there).
/// </summary>
[NonParallelizable]
public class DoctorVethTests
{
    // ethtool -k's top-level lines, by the doctor's name of each offload.
    private static readonly (string Doctor, string Ethtool, string Keyword)[] s_offloads =
    [
        ("gro", "generic-receive-offload", "gro"),
        ("lro", "large-receive-offload", "lro"),
        ("tso", "tcp-segmentation-offload", "tso"),
        ("gso", "generic-segmentation-offload", "gso"),
        ("rx", "rx-checksumming", "rx"),
        ("tx", "tx-checksumming", "tx"),
    ];

    private string _veth = "";

    private static string Tool(string name) =>
        new[] { "/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/" }.Select(d => d + name).FirstOrDefault(File.Exists)
        ?? throw new IgnoreException($"{name} is not installed here (apt-get install {(name == "ip" ? "iproute2" : name)}; .ci/run installs ethtool)");

    private static (int Exit, string Output) Run(string tool, params string[] arguments)
    {
        ProcessStartInfo start = new(Tool(tool)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            Assert.Fail($"{tool} {string.Join(' ', arguments)} did not finish within 60 s");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    [SetUp]
    public void CreateVethPair()
    {
        Tool("ethtool");
        if (Environment.UserName != "root")
            Assert.Ignore("creating a veth pair needs root");
        _veth = $"nmdoc{Environment.ProcessId % 100000}";
        (int exit, string output) = Run("ip", "link", "add", _veth, "type", "veth", "peer", "name", _veth + "p");
        if (exit != 0)
        {
            string reason = $"cannot create a veth pair here: {output.Trim()}";
            _veth = "";
            Assert.Ignore(reason);
        }
        Assert.That(Run("ip", "link", "set", _veth, "up").Exit, Is.Zero);
        Assert.That(Run("ip", "link", "set", _veth + "p", "up").Exit, Is.Zero);
    }

    [TearDown]
    public void DeleteVethPair()
    {
        if (_veth.Length > 0) Run("ip", "link", "del", _veth);
    }

    // What ethtool -k says of each offload: true on, false off.
    private Dictionary<string, bool> EthtoolSays()
    {
        (int exit, string output) = Run("ethtool", "-k", _veth);
        Assert.That(exit, Is.Zero, output);
        Dictionary<string, bool> state = [];
        foreach (string line in output.Split('\n'))
        {
            foreach ((string doctor, string ethtool, _) in s_offloads)
                if (line.StartsWith(ethtool + ": ", StringComparison.Ordinal))
                    state[doctor] = line[(ethtool.Length + 2)..].StartsWith("on", StringComparison.Ordinal);
        }
        Assert.That(state.Keys, Is.EquivalentTo(s_offloads.Select(o => o.Doctor)), output);
        return state;
    }

    private void SetAll(string value)
    {
        foreach ((_, _, string keyword) in s_offloads)
            Run("ethtool", "-K", _veth, keyword, value);   // a "[fixed]" offload (LRO on veth) refuses: ethtool -k says what stuck
    }

    private void AssertDoctorSeesWhatEthtoolSays(string state)
    {
        Dictionary<string, bool> expected = EthtoolSays();
        NetmapDoctorReport report = NetmapDoctor.Examine($"netmap:{_veth}");
        TestContext.Out.WriteLine($"offloads {state}:\n{report}");
        foreach ((string doctor, _, _) in s_offloads)
        {
            NetmapCheck check = report.Checks.Single(c => c.Kind == NetmapCheckKind.Offload && c.Subject == doctor);
            Assert.That(check.Status, Is.EqualTo(expected[doctor] ? NetmapCheckStatus.Warning : NetmapCheckStatus.Ok), $"{doctor}: {check}");
            Assert.That(check.Seen, expected[doctor] ? Does.StartWith("on: ") : Is.EqualTo("off"), doctor);
        }
        // Up (the carrier of a fresh veth pair may still be on its way: a warning then, never a failure).
        NetmapCheck nic = report.Checks.Single(c => c.Kind == NetmapCheckKind.Interface && c.Subject == _veth);
        Assert.That(nic.Status, Is.Not.EqualTo(NetmapCheckStatus.Failure), nic.ToString());
        Assert.That(nic.Seen, Does.StartWith("up"));
        NetmapCheck adapter = report.Checks.Single(c => c.Kind == NetmapCheckKind.Adapter);
        if (Directory.Exists("/sys/module/netmap"))
            Assert.That(adapter.Seen, Does.StartWith("emulated (generic) adapter").Or.StartWith("native netmap driver"), adapter.ToString());
    }

    [Test]
    public void The_doctor_sees_the_offloads_ethtool_turned_on_and_then_off()
    {
        SetAll("on");
        Dictionary<string, bool> on = EthtoolSays();
        Assert.That(on.Count(o => o.Value), Is.GreaterThanOrEqualTo(4), "a veth takes at least gro, tso, gso, rx and tx");
        AssertDoctorSeesWhatEthtoolSays("on");

        SetAll("off");
        Assert.That(EthtoolSays().Values, Has.All.False, "every offload of a veth can be turned off");
        AssertDoctorSeesWhatEthtoolSays("off");
    }

    [Test]
    public void The_doctor_sees_the_mtu_and_the_promiscuous_mode_ip_set()
    {
        Assert.That(Run("ip", "link", "set", _veth, "mtu", "9000", "promisc", "on").Exit, Is.Zero);
        NetmapDoctorReport report = NetmapDoctor.Examine($"netmap:{_veth}");
        Assert.That(report.Checks.Single(c => c.Kind == NetmapCheckKind.Interface && c.Subject == "promiscuous").Seen, Does.StartWith("on"));
        if (NetmapModuleParameters.Read().ContainsKey("buf_size"))
        {
            NetmapCheck mtu = report.Checks.Single(c => c.Kind == NetmapCheckKind.Mtu);
            Assert.That(mtu.Status, Is.EqualTo(NetmapCheckStatus.Failure), mtu.ToString());
            Assert.That(mtu.Seen, Does.StartWith("MTU 9000 is more than netmap's"));
        }
        else
        {
            Assert.That(report.Checks.Any(c => c.Kind == NetmapCheckKind.Mtu), Is.False, "without the module there is no buffer size to hold the MTU against");
        }
    }
}
