using Netmap.Dynamic.Native;

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
    public void A_device_path_that_does_not_exist_is_DeviceNotFound()
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
    public void Dev_null_is_NotNetmapDevice()
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
    public void A_directory_is_NotNetmapDevice()
    {
        NetmapProbeResult result = ProbeDevice(Path.GetTempPath());

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(NetmapProbeStatus.NotNetmapDevice));
            Assert.That(result.DeviceErrno, Is.EqualTo(21), "EISDIR");
        });
    }

    [Test]
    public void The_default_device_is_dev_netmap_and_DeviceNotFound_where_it_is_missing()
    {
        // Both kinds of host run this: without netmap the default device is missing; with netmap
        // (the VM) the probe gets past the device step.
        NetmapProbeResult result = ProbeDevice(device: null);

        Assert.That(result.DevicePath, Is.EqualTo("/dev/netmap"));
        if (File.Exists("/dev/netmap"))
            Assert.That(result.Status, Is.AnyOf(NetmapProbeStatus.Available, NetmapProbeStatus.PermissionDenied), result.Message);
        else
            Assert.That(result.Status, Is.EqualTo(NetmapProbeStatus.DeviceNotFound));
    }

    [Test]
    public void A_device_this_user_may_not_open_is_PermissionDenied()
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
    public void A_kernel_answering_ENXIO_for_the_impossible_port_is_Available()
    {
        // Test variant: opens the device for real, then answers as a kernel accepting API 14..15 would.
        bool loaded = NetmapLibrary.TryLoad(new NetmapLoadOptions { ShimPath = NativeTestFiles.Variant("kernel14"), DevicePath = "/dev/null" },
            out NetmapLibrary? library, out NetmapProbeResult result);
        using NetmapLibrary? _ = library;

        Assert.Multiple(() =>
        {
            Assert.That(loaded, Is.True);
            Assert.That(library, Is.Not.Null);
            Assert.That(result.Status, Is.EqualTo(NetmapProbeStatus.Available));
            Assert.That(result.KernelApi, Is.EqualTo(14));
            Assert.That(library!.ProbeResult, Is.SameAs(result));
            Assert.That(library.Shim.Version, Is.EqualTo(ShimFunctions.ApiVersion));
        });
    }

    [Test]
    public void A_kernel_rejecting_our_API_is_KernelApiMismatch_naming_both_versions()
    {
        // Test variant: answers as a kernel that accepts only API 16 (EINVAL for 14, ENXIO for 16).
        NetmapProbeResult result = ProbeDevice("/dev/null", NativeTestFiles.Variant("kernel16"));

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(NetmapProbeStatus.KernelApiMismatch));
            Assert.That(result.DeviceErrno, Is.EqualTo(Errno.EINVAL));
            Assert.That(result.KernelApi, Is.EqualTo(16), "found by asking with newer versions");
            Assert.That(result.Message, Does.Contain("speaks netmap API 14").And.Contain("the kernel speaks API 16"));
        });
    }

    [Test]
    public void A_kernel_rejecting_every_version_tried_is_KernelApiMismatch_of_unknown_version()
    {
        NetmapProbeResult result = ProbeDevice("/dev/null", NativeTestFiles.Variant("kernel11"));

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(NetmapProbeStatus.KernelApiMismatch));
            Assert.That(result.KernelApi, Is.Null);
            Assert.That(result.DeviceMessage, Does.Contain("rejects netmap API 14 through 30"));
            Assert.That(result.Message, Does.Contain("unknown").And.Contain("API mismatch"));
        });
    }
}
