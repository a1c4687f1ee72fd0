using Netmap.Dynamic.Fake;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.Fake;

/// <summary>Structured register requests, so the emulation is tested independently of port-spec text.</summary>
internal static class FakeRequests
{
    public static FakePortRequest Pipe(string pipeBase, string id, bool master,
        int? txRings = null, int? rxRings = null, int? slots = null, NetmapRegisterFlags flags = default) =>
        new(FakePortKind.Pipe, pipeBase + (master ? "{" : "}") + id)
        {
            PipeBase = pipeBase, PipeId = id, PipeMaster = master, Flags = flags,
            TxRings = txRings, RxRings = rxRings, TxSlots = slots, RxSlots = slots,
        };

    public static FakePortRequest Vale(string name, NetmapRegisterFlags flags = default, int? slots = null) =>
        new(FakePortKind.Vale, name) { SwitchName = name[..name.IndexOf(':', StringComparison.Ordinal)], Flags = flags, TxSlots = slots, RxSlots = slots };

    public static FakePortRequest Nic(string name, NetmapRegisterMode mode = NetmapRegisterMode.NR_REG_ALL_NIC,
        ushort ringId = 0, NetmapRegisterFlags flags = default) =>
        new(FakePortKind.Nic, name) { Mode = mode, RingId = ringId, Flags = flags };

    public static NetmapPort OpenPipe(this FakeNetmapBackend backend, string id, bool master, string pipeBase = "pipe") =>
        backend.Open(Pipe(pipeBase, id, master));
}
