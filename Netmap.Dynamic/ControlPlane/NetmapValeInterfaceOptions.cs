namespace Netmap.Dynamic;

/// <summary>
/// Ring and slot counts of a persistent VALE interface made by
/// <see cref="NetmapLibrary.ValeNewInterface"/> (<c>vale-ctl -n</c>); null or 0 lets the kernel choose.
/// </summary>
public sealed class NetmapValeInterfaceOptions
{
    /// <summary>TX rings.</summary>
    public int? TxRings { get; init; }

    /// <summary>RX rings.</summary>
    public int? RxRings { get; init; }

    /// <summary>Slots per TX ring.</summary>
    public int? TxSlots { get; init; }

    /// <summary>Slots per RX ring.</summary>
    public int? RxSlots { get; init; }

    /// <summary>The memory allocator to put the interface in (0: a new private one).</summary>
    public ushort MemId { get; init; }
}
