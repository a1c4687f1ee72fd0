using Moq;

namespace Netmap.Dynamic.Tests.Diagnostics;

/// <summary>
/// The doctor's checks over a mocked system (<see cref="IDoctorHost"/>): each situation a user
/// meets gives the status, the words and the fix it should, whatever machine the tests run on.
/// </summary>
public class DoctorChecksTests
{
    private static readonly Dictionary<string, string> s_defaults = new()
    {
        ["admode"] = "0", ["buf_num"] = "163840", ["buf_size"] = "2048", ["ring_num"] = "200", ["ring_size"] = "36864",
    };

    private static DoctorDevice Device(bool module = true, bool exists = true, int openErrno = 0, string? group = "root", uint uid = 1000) =>
        new("/dev/netmap", module, exists, IsCharacterDevice: true, UnixFileMode.UserRead | UnixFileMode.UserWrite, 0, 0, group, openErrno,
            uid, uid == 0 ? "root" : "alice", [1000]);

    private static DoctorInterface Nic(string name = "eth0", bool up = true, bool running = true, bool promisc = false, int mtu = 1500,
        NetmapOffloads offloads = NetmapOffloads.None, NetmapOffloads read = NetmapOffloads.All, bool? native = true) =>
        new(name, up, running, promisc, mtu, "e1000", offloads, read, read == NetmapOffloads.All ? null : "the ethtool ioctl answered EOPNOTSUPP",
            native, native == true ? "its driver module e1000 uses netmap" : "its driver module e1000 does not use netmap");

    private static NetmapPortInfo Info(int rings = 1, int slots = 256) => new("eth0", 1, 1 << 26, rings, rings, 1, 1, slots, slots);

    private static Mock<IDoctorHost> Host(DoctorDevice? device = null, DoctorInterface? nic = null, Dictionary<string, string>? parameters = null,
        NetmapPortInfo? info = null, NetmapProbeResult? probe = null)
    {
        Mock<IDoctorHost> host = new(MockBehavior.Strict);
        host.SetupGet(h => h.Backend).Returns("native");
        host.Setup(h => h.InspectDevice()).Returns(device ?? Device());
        host.Setup(h => h.Probe()).Returns(probe);
        host.Setup(h => h.ModuleParameters()).Returns(parameters ?? s_defaults);
        host.Setup(h => h.InspectInterface(It.IsAny<string>())).Returns((string n) => nic is not null && nic.Name == n ? nic : null);
        string? why = info is null ? "netmap is not usable here: DeviceNotFound" : null;
        host.Setup(h => h.PortInfo(It.IsAny<string>(), out why)).Returns(info);
        return host;
    }

    private static NetmapDoctorReport Run(Mock<IDoctorHost> host, string? port) => NetmapDoctor.Examine(host.Object, port);

    private static NetmapCheck Check(NetmapDoctorReport report, NetmapCheckKind kind, string subject) =>
        report.Checks.SingleOrDefault(c => c.Kind == kind && c.Subject == subject)
        ?? throw new AssertionException($"no {kind} check of {subject} in:\n{report}");

    [Test]
    public void A_healthy_nic_with_a_native_driver_and_no_offloads_is_all_ok()
    {
        NetmapDoctorReport report = Run(Host(nic: Nic(), info: Info()), "netmap:eth0");
        Assert.That(report.Status, Is.EqualTo(NetmapCheckStatus.Ok), report.ToString());
        Assert.That(report.Checks.Select(c => c.Kind), Is.SupersetOf(new[]
        {
            NetmapCheckKind.PortSpec, NetmapCheckKind.Module, NetmapCheckKind.Device, NetmapCheckKind.ModuleParameter,
            NetmapCheckKind.Interface, NetmapCheckKind.Mtu, NetmapCheckKind.Offload, NetmapCheckKind.Adapter,
        }));
        Assert.That(report.Checks.Where(c => c.Status == NetmapCheckStatus.Ok).Select(c => c.Fix), Has.All.Null, "an ok check has nothing to fix");
    }

    [Test]
    public void A_spec_without_the_netmap_prefix_fails_naming_errno_0_and_the_fix()
    {
        NetmapCheck spec = Check(Run(Host(nic: Nic()), "eth0"), NetmapCheckKind.PortSpec, "eth0");
        Assert.That(spec.Status, Is.EqualTo(NetmapCheckStatus.Failure));
        Assert.That(spec.Seen, Does.Contain("no 'netmap:' prefix").And.Contain("a network interface eth0 exists").And.Contain("errno 0")
            .And.Contain("invalid port spec 'eth0'"));
        Assert.That(spec.Fix, Is.EqualTo("use netmap:eth0"));
    }

    [TestCase("netmap:eth0/q", "unknown flag 'q'", "flags after '/'")]
    [TestCase("netmap:eth0@cnf:rings=2", "unknown option 'cnf'", "options are @conf")]
    [TestCase("netmap:my-nic", "expected a ring number", "starts a ring number")]
    public void A_typoed_suffix_fails_with_the_parsers_message_and_a_hint(string port, string parser, string hint)
    {
        NetmapDoctorReport report = Run(Host(), port);
        NetmapCheck spec = Check(report, NetmapCheckKind.PortSpec, port);
        Assert.That((spec.Status, report.Status), Is.EqualTo((NetmapCheckStatus.Failure, NetmapCheckStatus.Failure)));
        Assert.That(spec.Seen, Does.Contain(parser));
        Assert.That(spec.Fix, Does.Contain(hint));
        Assert.That(report.Checks.Any(c => c.Kind == NetmapCheckKind.Interface), Is.False, "no interface checks for a spec that does not parse");
    }

    [Test]
    public void Without_the_module_the_module_and_device_checks_fail_with_modprobe()
    {
        NetmapDoctorReport report = Run(Host(Device(module: false, exists: false, openErrno: Errno.ENOENT)), null);
        Assert.That(Check(report, NetmapCheckKind.Module, "netmap"), Is.EqualTo(new NetmapCheck(NetmapCheckKind.Module, "netmap",
            NetmapCheckStatus.Failure, "not loaded (no /sys/module/netmap)", "modprobe netmap (or insmod netmap.ko from netmap's LINUX build)")));
        Assert.That(Check(report, NetmapCheckKind.Device, "/dev/netmap").Status, Is.EqualTo(NetmapCheckStatus.Failure));
    }

    [Test]
    public void A_root_only_device_fails_for_a_user_with_a_group_and_udev_rule_as_the_fix()
    {
        NetmapCheck device = Check(Run(Host(Device(openErrno: Errno.EACCES)), null), NetmapCheckKind.Device, "/dev/netmap");
        Assert.That(device.Status, Is.EqualTo(NetmapCheckStatus.Failure));
        Assert.That(device.Seen, Does.Contain("mode rw-------").And.Contain("owner uid 0, group root").And.Contain("alice may not open it (EACCES)"));
        Assert.That(device.Fix, Does.Contain("usermod -aG netmap alice").And.Contain("KERNEL==\"netmap\", GROUP=\"netmap\", MODE=\"0660\"").And.Contain("/etc/udev/rules.d/"));
    }

    [Test]
    public void A_device_this_process_may_open_is_ok() =>
        Assert.That(Check(Run(Host(Device(uid: 0)), null), NetmapCheckKind.Device, "/dev/netmap").Seen, Does.EndWith("root may open it"));

    [TestCase(NetmapOffloads.Gro, "gro")]
    [TestCase(NetmapOffloads.Lro, "lro")]
    [TestCase(NetmapOffloads.Tso, "tso")]
    [TestCase(NetmapOffloads.Gso, "gso")]
    [TestCase(NetmapOffloads.RxChecksum, "rx")]
    [TestCase(NetmapOffloads.TxChecksum, "tx")]
    public void Each_offload_that_is_on_warns_with_its_ethtool_command(NetmapOffloads offload, string name)
    {
        NetmapDoctorReport report = Run(Host(nic: Nic(offloads: offload), info: Info()), "netmap:eth0");
        NetmapCheck check = Check(report, NetmapCheckKind.Offload, name);
        Assert.That((check.Status, check.Fix), Is.EqualTo((NetmapCheckStatus.Warning, $"ethtool -K eth0 {name} off")));
        Assert.That(report.Status, Is.EqualTo(NetmapCheckStatus.Warning));
        Assert.That(report.Checks.Where(c => c.Kind == NetmapCheckKind.Offload && c.Subject != name).Select(c => c.Status), Has.All.EqualTo(NetmapCheckStatus.Ok));
    }

    [Test]
    public void Several_offloads_on_also_give_one_command_for_all()
    {
        NetmapCheck all = Check(Run(Host(nic: Nic(offloads: NetmapOffloads.Gro | NetmapOffloads.TxChecksum), info: Info()), "netmap:eth0"), NetmapCheckKind.Offload, "all");
        Assert.That(all.Fix, Is.EqualTo("ethtool -K eth0 gro off tx off"));
    }

    [Test]
    public void An_offload_the_driver_does_not_report_is_unknown_not_a_warning()
    {
        NetmapCheck lro = Check(Run(Host(nic: Nic(read: NetmapOffloads.All & ~NetmapOffloads.Lro), info: Info()), "netmap:eth0"), NetmapCheckKind.Offload, "lro");
        Assert.That((lro.Status, lro.Seen), Is.EqualTo((NetmapCheckStatus.Ok, "unknown: the ethtool ioctl answered EOPNOTSUPP")));
    }

    [Test]
    public void A_nic_without_a_native_driver_warns_that_it_runs_on_the_emulated_adapter()
    {
        NetmapCheck adapter = Check(Run(Host(nic: Nic(native: false), info: Info()), "netmap:eth0"), NetmapCheckKind.Adapter, "eth0");
        Assert.That(adapter.Status, Is.EqualTo(NetmapCheckStatus.Warning));
        Assert.That(adapter.Seen, Does.StartWith("emulated (generic) adapter").And.Contain("does not use netmap"));
        Assert.That(adapter.Fix, Does.Contain("--drivers=e1000"));
    }

    [Test]
    public void Admode_1_fails_a_nic_without_a_native_driver()
    {
        Dictionary<string, string> parameters = new(s_defaults) { ["admode"] = "1" };
        NetmapCheck adapter = Check(Run(Host(nic: Nic(native: false), parameters: parameters, info: Info()), "netmap:eth0"), NetmapCheckKind.Adapter, "eth0");
        Assert.That(adapter.Status, Is.EqualTo(NetmapCheckStatus.Failure));
        Assert.That(adapter.Seen, Does.Contain("EOPNOTSUPP"));
    }

    [Test]
    public void Admode_2_warns_that_even_a_native_driver_is_not_used()
    {
        Dictionary<string, string> parameters = new(s_defaults) { ["admode"] = "2" };
        NetmapDoctorReport report = Run(Host(nic: Nic(native: true), parameters: parameters, info: Info()), "netmap:eth0");
        Assert.That(Check(report, NetmapCheckKind.ModuleParameter, "admode").Status, Is.EqualTo(NetmapCheckStatus.Warning));
        Assert.That(Check(report, NetmapCheckKind.Adapter, "eth0").Seen, Does.Contain("forced by admode 2"));
    }

    [TestCase(1500, NetmapCheckStatus.Ok)]
    [TestCase(2040, NetmapCheckStatus.Warning)]   // 2040 + 18 > 2048: the largest frames span two slots
    [TestCase(9000, NetmapCheckStatus.Failure)]   // the kernel refuses to bind the RX rings (EINVAL)
    public void The_mtu_is_held_against_the_buffer_size(int mtu, NetmapCheckStatus expected)
    {
        NetmapCheck check = Check(Run(Host(nic: Nic(mtu: mtu), info: Info()), "netmap:eth0"), NetmapCheckKind.Mtu, "eth0");
        Assert.That(check.Status, Is.EqualTo(expected), check.ToString());
        if (expected == NetmapCheckStatus.Failure)
            Assert.That(check.Fix, Does.Contain("ip link set dev eth0 mtu 2030").And.Contain("echo 16384 > /sys/module/netmap/parameters/buf_size"));
    }

    [Test]
    public void A_missing_interface_fails_and_skips_the_checks_that_need_it()
    {
        NetmapDoctorReport report = Run(Host(info: null), "netmap:eth9");
        Assert.That(Check(report, NetmapCheckKind.Interface, "eth9").Status, Is.EqualTo(NetmapCheckStatus.Failure));
        Assert.That(report.Checks.Any(c => c.Kind is NetmapCheckKind.Offload or NetmapCheckKind.Mtu or NetmapCheckKind.Adapter), Is.False);
    }

    [TestCase(false, true, NetmapCheckStatus.Failure, "ip link set dev eth0 up")]
    [TestCase(true, false, NetmapCheckStatus.Warning, "ip link show eth0")]
    public void A_down_interface_fails_and_one_without_carrier_warns(bool up, bool running, NetmapCheckStatus expected, string fix)
    {
        NetmapCheck check = Check(Run(Host(nic: Nic(up: up, running: running), info: Info()), "netmap:eth0"), NetmapCheckKind.Interface, "eth0");
        Assert.That(check.Status, Is.EqualTo(expected));
        Assert.That(check.Fix, Does.Contain(fix));
    }

    [Test]
    public void Promiscuous_mode_is_reported_either_way_without_a_warning()
    {
        NetmapCheck off = Check(Run(Host(nic: Nic(promisc: false), info: Info()), "netmap:eth0"), NetmapCheckKind.Interface, "promiscuous");
        NetmapCheck on = Check(Run(Host(nic: Nic(promisc: true), info: Info()), "netmap:eth0"), NetmapCheckKind.Interface, "promiscuous");
        Assert.That((off.Status, on.Status), Is.EqualTo((NetmapCheckStatus.Ok, NetmapCheckStatus.Ok)));
        Assert.That((off.Seen, on.Seen), Is.EqualTo(("off: the NIC keeps only frames for its own and multicast addresses; a bridge or a capture of other hosts' traffic needs it on",
            "on: frames to every MAC address arrive")));
    }

    [Test]
    public void Module_limits_fail_when_the_port_needs_more_than_they_allow()
    {
        Dictionary<string, string> parameters = new(s_defaults) { ["buf_num"] = "4000", ["ring_num"] = "8", ["ring_size"] = "20480" };
        NetmapDoctorReport report = Run(Host(nic: Nic(), parameters: parameters, info: Info(rings: 8, slots: 2048)), "netmap:eth0");

        // 8+8 rings of 2048 slots: 32768 buffers, 16 rings, ring objects of 256 + 16 * 2048 = 33024 bytes.
        NetmapCheck bufNum = Check(report, NetmapCheckKind.ModuleParameter, "buf_num");
        Assert.That((bufNum.Status, bufNum.Seen), Is.EqualTo((NetmapCheckStatus.Failure,
            "4000; eth0 binds 8+8 rings of 2048/2048 slots: 32768 buffers (+2 reserved): registering it fails with ENOMEM")));
        Assert.That(bufNum.Fix, Does.StartWith("echo 65540 > /sys/module/netmap/parameters/buf_num"));
        Assert.That(Check(report, NetmapCheckKind.ModuleParameter, "ring_num").Status, Is.EqualTo(NetmapCheckStatus.Failure));
        Assert.That(Check(report, NetmapCheckKind.ModuleParameter, "ring_size").Seen, Does.Contain("a ring object of 33024 bytes"));
    }

    [Test]
    public void Module_limits_warn_when_the_port_takes_more_than_half()
    {
        Dictionary<string, string> parameters = new(s_defaults) { ["buf_num"] = "3000" };
        NetmapCheck bufNum = Check(Run(Host(nic: Nic(), parameters: parameters, info: Info(rings: 1, slots: 1024)), "netmap:eth0^"), NetmapCheckKind.ModuleParameter, "buf_num");
        // eth0^ binds the host rings only: 2 rings of 1024 slots.
        Assert.That((bufNum.Status, bufNum.Seen), Is.EqualTo((NetmapCheckStatus.Warning,
            "3000; eth0 binds 1+1 host rings of 1024/1024 slots: 2048 buffers (+2 reserved): more than half of the limit")));
    }

    [Test]
    public void Without_port_info_the_limits_are_not_checked_and_a_warning_says_why()
    {
        NetmapCheck limits = Check(Run(Host(nic: Nic(), info: null), "netmap:eth0"), NetmapCheckKind.ModuleParameter, "limits");
        Assert.That((limits.Status, limits.Seen), Is.EqualTo((NetmapCheckStatus.Warning,
            "cannot ask the kernel what eth0 gets (netmap is not usable here: DeviceNotFound), so buf_num, ring_num and ring_size are not checked against it")));
    }

    [TestCase("vale0:a")]
    [TestCase("netmap:p{1")]
    public void A_vale_port_or_pipe_needs_no_interface(string port)
    {
        NetmapDoctorReport report = Run(Host(), port);
        Assert.That(report.Status, Is.EqualTo(NetmapCheckStatus.Ok), report.ToString());
        Assert.That(report.Checks.Any(c => c.Kind is NetmapCheckKind.Interface or NetmapCheckKind.Offload), Is.False);
    }

    [Test]
    public void The_report_prints_one_line_per_check_with_its_fix_and_the_verdict()
    {
        NetmapDoctorReport report = Run(Host(nic: Nic(offloads: NetmapOffloads.Gro), info: Info()), "netmap:eth0");
        string text = report.ToString();
        Assert.That(text, Does.StartWith("netmap doctor netmap:eth0\n"));
        Assert.That(text, Does.Contain("  [warn] offload gro: on: ").And.Contain("         fix: ethtool -K eth0 gro off\n"));
        Assert.That(text, Does.EndWith("0 failure(s), 1 warning(s)\n"));
    }
}
