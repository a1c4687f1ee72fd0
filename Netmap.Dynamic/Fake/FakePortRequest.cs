using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Fake;

/// <summary>What kind of adapter a request names.</summary>
internal enum FakePortKind { Nic, Vale, Pipe }

/// <summary>
/// A register request in structured form (what a parsed port spec carries), so the emulation does
/// not depend on port-spec text.
/// </summary>
internal sealed record FakePortRequest(FakePortKind Kind, string Name)
{
    public string? SwitchName { get; init; }
    public string? PipeBase { get; init; }
    public bool PipeMaster { get; init; }
    public string? PipeId { get; init; }
    public NetmapRegisterMode Mode { get; init; } = NetmapRegisterMode.NR_REG_ALL_NIC;
    public ushort RingId { get; init; }
    public NetmapRegisterFlags Flags { get; init; }
    public int? TxRings { get; init; }
    public int? RxRings { get; init; }
    public int? TxSlots { get; init; }
    public int? RxSlots { get; init; }
}
