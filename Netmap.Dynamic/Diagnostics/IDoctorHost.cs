namespace Netmap.Dynamic;

/// <summary>
/// Everything <see cref="NetmapDoctor"/> reads from the system, behind one seam: the checks are
/// plain logic over what this returns, so they are tested with a mock, and the fake backend
/// answers with what it models. <see cref="LinuxDoctorHost"/> reads the real machine.
/// </summary>
internal interface IDoctorHost : IDisposable
{
    /// <summary>"native" for this machine, "fake" for the in-memory backend.</summary>
    string Backend { get; }

    /// <summary>The netmap module and its control device.</summary>
    DoctorDevice InspectDevice();

    /// <summary>
    /// The library's probe (shim, libc, layouts, the kernel's API), or null where there is none
    /// to run (the fake backend).
    /// </summary>
    NetmapProbeResult? Probe();

    /// <summary>The module's parameters by name (<c>/sys/module/netmap/parameters</c>); empty without the module.</summary>
    IReadOnlyDictionary<string, string> ModuleParameters();

    /// <summary>The network interface <paramref name="name"/>, or null when there is none of that name.</summary>
    DoctorInterface? InspectInterface(string name);

    /// <summary>
    /// What the kernel gives the port <paramref name="name"/> (<c>NETMAP_REQ_PORT_INFO_GET</c>), or
    /// null with <paramref name="why"/> when it cannot be asked (netmap not usable, the port refused).
    /// </summary>
    NetmapPortInfo? PortInfo(string name, out string? why);
}

/// <summary>What <see cref="IDoctorHost.InspectDevice"/> found.</summary>
/// <param name="Path">The control device.</param>
/// <param name="ModuleLoaded">The netmap module is loaded (or built in).</param>
/// <param name="Exists">The device path exists.</param>
/// <param name="IsCharacterDevice">It is a character device (as <c>/dev/netmap</c> is).</param>
/// <param name="Mode">Its permission bits.</param>
/// <param name="OwnerUid">Its owner.</param>
/// <param name="GroupGid">Its group.</param>
/// <param name="GroupName">The group's name, or null when it has none in the group database.</param>
/// <param name="OpenErrno">0 when this process could open it for reading and writing; otherwise the errno.</param>
/// <param name="ProcessUid">The effective user of this process.</param>
/// <param name="ProcessUser">Its name, or null.</param>
/// <param name="ProcessGroups">The groups this process is in.</param>
internal sealed record DoctorDevice(
    string Path, bool ModuleLoaded, bool Exists, bool IsCharacterDevice, UnixFileMode Mode,
    uint OwnerUid, uint GroupGid, string? GroupName, int OpenErrno,
    uint ProcessUid, string? ProcessUser, IReadOnlyList<uint> ProcessGroups);

/// <summary>What <see cref="IDoctorHost.InspectInterface"/> found.</summary>
/// <param name="Name">The interface.</param>
/// <param name="Up">Administratively up (IFF_UP).</param>
/// <param name="Running">Up with a carrier (<c>/sys/class/net/IF/carrier</c>).</param>
/// <param name="Promiscuous">In promiscuous mode (IFF_PROMISC).</param>
/// <param name="Mtu">Its MTU in bytes.</param>
/// <param name="Driver">Its driver (<c>ETHTOOL_GDRVINFO</c>), or null when unknown.</param>
/// <param name="Offloads">The offloads that are on.</param>
/// <param name="OffloadsRead">The offloads that could be read (the others are unknown).</param>
/// <param name="OffloadError">Why some could not be read, or null.</param>
/// <param name="NativeDriver">True: the driver is a netmap-patched one; false: netmap would use its emulated adapter; null: cannot tell.</param>
/// <param name="AdapterEvidence">What <paramref name="NativeDriver"/> rests on, in a sentence.</param>
internal sealed record DoctorInterface(
    string Name, bool Up, bool Running, bool Promiscuous, int Mtu, string? Driver,
    NetmapOffloads Offloads, NetmapOffloads OffloadsRead, string? OffloadError,
    bool? NativeDriver, string AdapterEvidence);
