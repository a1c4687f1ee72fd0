using Netmap.Dynamic.Native;
using Netmap.Dynamic.Tests.Loading;

namespace Netmap.Dynamic.Tests.Native;

/// <summary>
/// The native backend where there is no netmap: every call fails with a NetmapException that names
/// the operation and the probe's verdict, and leaves no fd or mapping behind.
/// </summary>
[Platform(Include = "Linux")]
public sealed class NativeBackendFailureTests
{
    [Test]
    public void OpenPort_on_a_missing_device_says_DeviceNotFound()
    {
        using NativeBackend backend = NativeTables.Backend(NativeTestFiles.MissingDevice);

        NetmapPortNotFoundException e = Assert.Throws<NetmapPortNotFoundException>(() => backend.OpenPort(NetmapPortSpec.Parse("netmap:pipe{1"), null))!;

        Assert.Multiple(() =>
        {
            Assert.That(e.Operation, Is.EqualTo("register"));
            Assert.That(e.PortName, Is.EqualTo("pipe{1"));
            Assert.That(e.Errno, Is.EqualTo(Errno.ENOENT));
            Assert.That(e.Message, Does.Contain(nameof(NetmapProbeStatus.DeviceNotFound)).And.Contain("modprobe netmap"));
        });
    }

    [Test]
    public void Every_call_of_a_library_on_dev_null_says_NotNetmapDevice_and_leaks_nothing()
    {
        // The kernel14 test shim passes the probe on /dev/null; its control exports are the real ones.
        using NetmapLibrary library = NetmapLibrary.Load(new NetmapLoadOptions { ShimPath = NativeTestFiles.Variant("kernel14"), DevicePath = "/dev/null" });
        Action[] calls =
        [
            () => library.OpenPort("vale0:a"),
            () => library.GetPortInfo("eth0"),
            () => library.ValeAttach("vale0:eth0"),
            () => library.ValeDetach("vale0:eth0"),
            () => library.ValeNewInterface("nmif0"),
            () => library.ValeDeleteInterface("nmif0"),
            () => library.ValeList(),
            () => library.GetVirtioHeaderLength("vale0:a"),
            () => library.SetVirtioHeaderLength("vale0:a", 12),
        ];
        foreach (Action call in calls) Assert.Throws<NetmapException>(() => call());
        int before = NativeTables.OpenFdCount("/dev/null", NativeTestFiles.MissingDevice);

        List<NetmapException> failures = [];
        for (int i = 0; i < 1000; i++)
        {
            try { calls[i % calls.Length](); }
            catch (NetmapException e) { failures.Add(e); }
        }

        Assert.Multiple(() =>
        {
            Assert.That(failures, Has.Count.EqualTo(1000));
            Assert.That(failures.Select(f => f.Errno), Is.All.EqualTo(Errno.ENOTTY));
            Assert.That(failures.Select(f => f.Message), Is.All.Contain(nameof(NetmapProbeStatus.NotNetmapDevice)));
            Assert.That(failures.Select(f => f.Operation).Distinct(), Is.EquivalentTo(new[]
                { "register", "port info", "vale attach", "vale detach", "vale newif", "vale delif", "vale list", "header get", "header set" }));
            Assert.That(NativeTables.OpenFdCount("/dev/null", NativeTestFiles.MissingDevice), Is.EqualTo(before));
            Assert.That(library.Backend.MappedRegions, Is.Zero);
            Assert.That(library.Backend.OpenPorts, Is.Zero);
        });
    }

    [Test]
    public void Extmem_and_share_are_refused_clearly()
    {
        using NativeBackend backend = NativeTables.Backend("/dev/null");
        NetmapException e = Assert.Throws<NetmapException>(() => backend.OpenPort(NetmapPortSpec.Parse("vale0:a@share=vale0:b"), null))!;
        Assert.That(e.Errno, Is.EqualTo(Errno.EOPNOTSUPP));
    }

    [Test]
    public void A_port_name_with_a_NUL_is_refused_not_cut_short()
    {
        using NativeBackend backend = NativeTables.Backend("/dev/null");
        // Sent as it is, the shim would see "eth0" and answer for another port.
        NetmapException e = Assert.Throws<NetmapException>(() => backend.Control.PortInfo("eth0\0other"))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Errno, Is.EqualTo(Errno.EINVAL));
            Assert.That(e.Message, Does.Contain("no NUL"));
        });
    }

    [Test]
    public void A_disposed_library_refuses_calls()
    {
        NetmapLibrary library = NetmapLibrary.Load(new NetmapLoadOptions { ShimPath = NativeTestFiles.Variant("kernel14"), DevicePath = "/dev/null" });
        library.Dispose();
        Assert.Throws<ObjectDisposedException>(() => library.OpenPort("vale0:a"));
        Assert.Throws<ObjectDisposedException>(() => library.ValeList());
    }
}
