namespace Netmap.Dynamic.Tests.Loading;

/// <summary>The device step: real open/ioctl through the shim on paths with known answers.</summary>
[Platform(Include = "Linux")]
public sealed class NetmapLibraryDeviceTests
{
    private static NetmapProbeResult ProbeDevice(string? device, string? shim = null) => NetmapLibrary.Probe(new NetmapLoadOptions
    {
        ShimPath = shim ?? NativeTestFiles.Shim,
        DevicePath = device,
        UseEnvironmentVariable = false,
    });

    [Test]
    public void DevicePathThatDoesNotExistIsDeviceNotFound()
    {
        NetmapProbeResult result = ProbeDevice(NativeTestFiles.MissingDevice);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(NetmapProbeStatus.DeviceNotFound));
            Assert.That(result.IsLibraryLoaded, Is.True, "the installation is fine; only the device is missing");
            Assert.That(result.DeviceErrno, Is.EqualTo(Errno.ENOENT));
            Assert.That(result.DevicePath, Is.EqualTo(NativeTestFiles.MissingDevice));
            Assert.That(result.KernelApi, Is.Null);
            Assert.That(result.Message, Does.Contain("modprobe netmap"));
        });
    }

    [Test]
    public void DevNullIsNotNetmapDevice()
    {
        NetmapProbeResult result = ProbeDevice("/dev/null");

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(NetmapProbeStatus.NotNetmapDevice));
            Assert.That(result.DeviceErrno, Is.EqualTo(Errno.ENOTTY));
            Assert.That(result.DeviceMessage, Does.Contain("/dev/null"));
        });
    }

    [Test]
    public void DirectoryIsNotNetmapDevice()
    {
        NetmapProbeResult result = ProbeDevice(Path.GetTempPath());

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(NetmapProbeStatus.NotNetmapDevice));
            Assert.That(result.DeviceErrno, Is.EqualTo(21), "EISDIR");
        });
    }

    [Test]
    public void DefaultDeviceOnAHostWithoutNetmapIsDeviceNotFound()
    {
        Assume.That(File.Exists("/dev/netmap"), Is.False, "this host has netmap");

        NetmapProbeResult result = ProbeDevice(device: null);

        Assert.Multiple(() =>
        {
            Assert.That(result.DevicePath, Is.EqualTo("/dev/netmap"));
            Assert.That(result.Status, Is.EqualTo(NetmapProbeStatus.DeviceNotFound));
        });
    }

    [Test]
    public void DeviceThisUserMayNotOpenIsPermissionDenied()
    {
        Assume.That(Environment.IsPrivilegedProcess, Is.False, "root opens any file");
        Assume.That(OperatingSystem.IsWindows(), Is.False);
        string locked = Path.Combine(Path.GetTempPath(), $"netmap-locked-{Guid.NewGuid():N}");
        File.WriteAllText(locked, "");
#pragma warning disable CA1416 // the fixture is Linux-only ([Platform])
        File.SetUnixFileMode(locked, UnixFileMode.None);
#pragma warning restore CA1416
        try
        {
            Assert.That(ProbeDevice(locked).Status, Is.EqualTo(NetmapProbeStatus.PermissionDenied));
        }
        finally
        {
            File.Delete(locked);
        }
    }

    [Test]
    public void KernelAnsweringEnxioForTheImpossiblePortIsAvailable()
    {
        // Test variant: opens the device for real, then answers for the kernel as netmap API 14 would.
        bool loaded = NetmapLibrary.TryLoad(new NetmapLoadOptions { ShimPath = NativeTestFiles.Variant("enxio"), DevicePath = "/dev/null" },
            out NetmapLibrary? library, out NetmapProbeResult result);
        using NetmapLibrary? _ = library;

        Assert.Multiple(() =>
        {
            Assert.That(loaded, Is.True);
            Assert.That(library, Is.Not.Null);
            Assert.That(result.Status, Is.EqualTo(NetmapProbeStatus.Available));
            Assert.That(result.KernelApi, Is.EqualTo(14));
            Assert.That(library!.ProbeResult, Is.SameAs(result));
            Assert.That(library.Shim.Version, Is.EqualTo(1));
        });
    }

    [Test]
    public void KernelRejectingOurApiIsKernelApiMismatchWithOurVersion()
    {
        NetmapProbeResult result = ProbeDevice("/dev/null", NativeTestFiles.Variant("einval"));

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(NetmapProbeStatus.KernelApiMismatch));
            Assert.That(result.DeviceErrno, Is.EqualTo(Errno.EINVAL));
            Assert.That(result.KernelApi, Is.Null, "the kernel does not say which version it speaks");
            Assert.That(result.Message, Does.Contain("API 14").And.Contain("API mismatch"));
        });
    }
}
