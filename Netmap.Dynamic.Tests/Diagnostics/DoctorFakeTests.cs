using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Tests.Diagnostics;

/// <summary>The doctor on the fake backend reports what the fake models: its NICs' state and offloads, its allocator's limits.</summary>
public class DoctorFakeTests
{
    private static NetmapCheck Check(NetmapDoctorReport report, NetmapCheckKind kind, string subject) =>
        report.Checks.SingleOrDefault(c => c.Kind == kind && c.Subject == subject)
        ?? throw new AssertionException($"no {kind} check of {subject} in:\n{report}");

    [Test]
    public void A_fake_nic_as_added_is_all_ok()
    {
        using FakeNetmapBackend fake = new();
        fake.AddInterface("eth0", txRings: 2, rxRings: 2, slots: 512);
        NetmapDoctorReport report = NetmapDoctor.Examine(fake, "netmap:eth0");
        Assert.That((report.Backend, report.Status), Is.EqualTo(("fake", NetmapCheckStatus.Ok)), report.ToString());
        Assert.That(Check(report, NetmapCheckKind.ModuleParameter, "buf_num").Seen,
            Is.EqualTo($"{FakeMemoryLayout.Global.BufferCount}; eth0 binds 2+2 rings of 512/512 slots: 2048 buffers (+2 reserved)"));
        Assert.That(Check(report, NetmapCheckKind.Adapter, "eth0").Seen, Is.EqualTo("native netmap driver: the fake NIC models a native driver"));
    }

    [Test]
    public void Offloads_set_on_a_fake_nic_are_reported_on_and_then_off()
    {
        using FakeNetmapBackend fake = new();
        FakeNetmapInterface nic = fake.AddInterface("eth1");
        nic.Offloads = NetmapOffloads.All;
        NetmapDoctorReport on = NetmapDoctor.Examine(fake, "netmap:eth1");
        nic.Offloads = NetmapOffloads.None;
        NetmapDoctorReport off = NetmapDoctor.Examine(fake, "netmap:eth1");

        string[] names = ["gro", "lro", "tso", "gso", "rx", "tx"];
        Assert.That(names.Select(n => Check(on, NetmapCheckKind.Offload, n).Status), Has.All.EqualTo(NetmapCheckStatus.Warning));
        Assert.That(Check(on, NetmapCheckKind.Offload, "all").Fix, Is.EqualTo("ethtool -K eth1 gro off lro off tso off gso off rx off tx off"));
        Assert.That(names.Select(n => Check(off, NetmapCheckKind.Offload, n).Seen), Has.All.EqualTo("off"));
        Assert.That(off.Status, Is.EqualTo(NetmapCheckStatus.Ok));
    }

    [Test]
    public void A_fake_nic_down_with_jumbo_mtu_and_no_native_driver_reports_each()
    {
        using FakeNetmapBackend fake = new();
        FakeNetmapInterface nic = fake.AddInterface("eth2");
        nic.IsUp = false;
        nic.Mtu = 9000;
        nic.HasNativeDriver = false;
        nic.IsPromiscuous = true;
        NetmapDoctorReport report = NetmapDoctor.Examine(fake, "netmap:eth2");
        Assert.That(Check(report, NetmapCheckKind.Interface, "eth2").Status, Is.EqualTo(NetmapCheckStatus.Failure));
        Assert.That(Check(report, NetmapCheckKind.Interface, "promiscuous").Seen, Does.StartWith("on"));
        Assert.That(Check(report, NetmapCheckKind.Mtu, "eth2").Status, Is.EqualTo(NetmapCheckStatus.Failure));
        Assert.That(Check(report, NetmapCheckKind.Adapter, "eth2").Status, Is.EqualTo(NetmapCheckStatus.Warning));
        Assert.That(report.Status, Is.EqualTo(NetmapCheckStatus.Failure));
    }

    [Test]
    public void A_nic_the_fake_does_not_have_fails_as_the_kernel_would_answer_enxio()
    {
        using FakeNetmapBackend fake = new();
        NetmapDoctorReport report = NetmapDoctor.Examine(fake, "netmap:eth7");
        NetmapCheck nic = Check(report, NetmapCheckKind.Interface, "eth7");
        Assert.That((nic.Status, nic.Seen), Is.EqualTo((NetmapCheckStatus.Failure, "no network interface of that name (opening it fails with ENXIO)")));
    }

    [Test]
    public void A_nic_larger_than_the_fakes_allocator_fails_its_limits()
    {
        FakeMemoryLayout small = FakeMemoryLayout.Global with { BufferCount = 1000 };
        using FakeNetmapBackend fake = new(new FakeNetmapOptions { GlobalLayout = small });
        fake.AddInterface("eth3", txRings: 1, rxRings: 1, slots: 1024);
        NetmapCheck bufNum = Check(NetmapDoctor.Examine(fake, "netmap:eth3"), NetmapCheckKind.ModuleParameter, "buf_num");
        Assert.That(bufNum.Status, Is.EqualTo(NetmapCheckStatus.Failure));
    }
}
