using System.Globalization;
using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic;

/// <summary>
/// The doctor's view of a <see cref="FakeNetmapBackend"/>: no module and no device to check, the
/// limits of its NIC allocator as the module's parameters, and its fake NICs as interfaces with
/// what <see cref="FakeNetmapInterface"/> says they show.
/// </summary>
internal sealed class FakeDoctorHost(FakeNetmapBackend backend) : IDoctorHost
{
    public string Backend => "fake";

    public DoctorDevice InspectDevice() =>
        new("(none)", ModuleLoaded: true, Exists: true, IsCharacterDevice: false, Mode: 0, OwnerUid: 0, GroupGid: 0, GroupName: null,
            OpenErrno: 0, ProcessUid: 0, ProcessUser: null, ProcessGroups: []);

    public NetmapProbeResult? Probe() => null;

    /// <summary>The NIC allocator's pools under the names of the kernel's parameters, admode 0.</summary>
    public IReadOnlyDictionary<string, string> ModuleParameters()
    {
        FakeMemoryLayout layout = backend.Options.GlobalLayout;
        CultureInfo c = CultureInfo.InvariantCulture;
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["admode"] = "0",
            ["buf_num"] = layout.BufferCount.ToString(c),
            ["buf_size"] = layout.BufferSize.ToString(c),
            ["if_num"] = layout.InterfaceCount.ToString(c),
            ["if_size"] = layout.InterfaceSize.ToString(c),
            ["ring_num"] = layout.RingCount.ToString(c),
            ["ring_size"] = layout.RingSize.ToString(c),
        };
    }

    public DoctorInterface? InspectInterface(string name)
    {
        if (!backend.TryGetInterface(name, out FakeNetmapInterface? nic))
            return null;
        return new DoctorInterface(name, nic.IsUp, nic.IsUp, nic.IsPromiscuous, nic.Mtu, "fake",
            nic.Offloads, NetmapOffloads.All, OffloadError: null, nic.HasNativeDriver,
            nic.HasNativeDriver ? "the fake NIC models a native driver" : "the fake NIC models a NIC without a native driver");
    }

    public NetmapPortInfo? PortInfo(string name, out string? why)
    {
        try
        {
            why = null;
            return backend.GetPortInfo(name);
        }
        catch (NetmapException e)
        {
            why = e.Message;
            return null;
        }
    }

    public void Dispose()
    {
        // The backend is the caller's.
    }
}
