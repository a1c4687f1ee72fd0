namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// What drives a NIC on a Linux kernel with netmap: its driver, and whether netmap attaches to it
/// natively (a driver module patched by netmap's build, which holds a reference on netmap.ko) or
/// through its emulated "generic" adapter. The kernel's NIC tests use it for what a driver supports.
/// </summary>
internal sealed record NicAdapter(string Driver, bool Native)
{
    /// <summary>The adapter of <paramref name="nic"/>; <paramref name="driverWithoutDevice"/> names the driver of a virtual NIC (no <c>device</c> link in sysfs), e.g. veth.</summary>
    public static NicAdapter Of(string nic, string driverWithoutDevice)
    {
        string driverLink = $"/sys/class/net/{nic}/device/driver";
        string driver = Directory.Exists(driverLink)
            ? Path.GetFileName(new DirectoryInfo(driverLink).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? driverLink)
            : driverWithoutDevice;
        // netmap's admode: 0 best adapter, 1 native only, 2 generic only (sys/dev/netmap/netmap.c).
        bool genericOnly = File.Exists(AdmodePath) && File.ReadAllText(AdmodePath).Trim() == "2";
        bool patched = Directory.Exists($"/sys/module/netmap/holders/{driver}");
        return new NicAdapter(driver, patched && !genericOnly);
    }

    private const string AdmodePath = "/sys/module/netmap/parameters/admode";

    /// <summary>
    /// The adapter takes per-slot buffer offsets (NAF_OFFSETS): netmap's generic adapter and its
    /// e1000 driver set it; its veth and Linux virtio_net drivers do not (the kernel answers EOPNOTSUPP).
    /// </summary>
    public bool SupportsOffsets => !Native || Driver == "e1000";

    /// <summary>
    /// The adapter sends and receives a packet in several slots (NAF_MOREFRAG), so the NIC may have an
    /// MTU larger than a netmap buffer: netmap's e1000 driver only; the generic adapter and the veth and
    /// virtio_net drivers refuse such a NIC with EINVAL at register.
    /// </summary>
    public bool SupportsMultiSlotPackets => Native && Driver == "e1000";

    public override string ToString() => $"{Driver} ({(Native ? "netmap's native driver" : "netmap's generic adapter")})";
}
