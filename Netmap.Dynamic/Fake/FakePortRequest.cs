using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Fake;

/// <summary>
/// A register request as the emulated kernel sees it: the parsed spec with the
/// <see cref="NetmapPortOptions"/> overrides applied (what <c>nmreq_register</c> would carry).
/// </summary>
internal sealed record FakePortRequest(NetmapPortSpec Spec)
{
    public NetmapPortKind Kind => Spec.Kind;
    public string Name => Spec.Name;
    public string? SwitchName => Spec.SwitchName;
    public string? PipeBase => Spec.PipeBase;
    public bool PipeMaster => Spec.PipeSide == NetmapPipeSide.Master;
    public string? PipeId => Spec.PipeId;
    public NetmapRegisterMode Mode => NullPort ? NetmapRegisterMode.NR_REG_NULL : Spec.Mode;
    public ushort RingId => Spec.RingId;
    public ushort MemId => Spec.MemId;
    public NetmapRegisterFlags Flags { get; init; }

    /// <summary>A null port (<c>NR_REG_NULL</c>) rather than the port the spec names.</summary>
    public bool NullPort { get; init; }
    public int? TxRings { get; init; }
    public int? RxRings { get; init; }
    public int? TxSlots { get; init; }
    public int? RxSlots { get; init; }

    /// <summary><c>nr_extra_bufs</c>: extra buffers asked for.</summary>
    public int ExtraBuffers { get; init; }

    /// <summary>Buffer offsets and external memory, resolved by <see cref="PortRegisterOptions"/> (the port releases them).</summary>
    public PortRegisterOptions? Extra { get; init; }
    public NetmapBufferOffsets? Offsets => Extra?.Offsets;
    public NetmapExternalMemory? ExternalMemory => Extra?.Memory;

    public static FakePortRequest From(NetmapPortSpec spec, NetmapPortOptions? options) => new(spec)
    {
        Flags = spec.Flags | (options?.ExtraFlags ?? NetmapRegisterFlags.None),
        TxRings = options?.TxRings ?? spec.TxRings,
        RxRings = options?.RxRings ?? spec.RxRings,
        TxSlots = options?.TxSlots ?? spec.TxSlots,
        RxSlots = options?.RxSlots ?? spec.RxSlots,
        ExtraBuffers = options?.ExtraBuffers ?? 0,
        NullPort = options?.NullPort ?? false,
    };
}
