namespace Netmap.Dynamic;

/// <summary>
/// Settings for <see cref="INetmapBackend.OpenPort(string, NetmapPortOptions?)"/> that the port spec
/// text does not carry. Ring and slot counts given here override the spec's <c>@conf:</c> values.
/// </summary>
public sealed class NetmapPortOptions
{
    /// <summary>TX rings to ask for (pipes and VALE ports only; a NIC keeps its own).</summary>
    public int? TxRings { get; init; }

    /// <summary>RX rings to ask for (pipes and VALE ports only).</summary>
    public int? RxRings { get; init; }

    /// <summary>Slots per TX ring to ask for (pipes and VALE ports only).</summary>
    public int? TxSlots { get; init; }

    /// <summary>Slots per RX ring to ask for (pipes and VALE ports only).</summary>
    public int? RxSlots { get; init; }

    /// <summary>Register flags added to those of the spec (for example <c>NR_EXCLUSIVE</c>).</summary>
    public Interop.NetmapRegisterFlags ExtraFlags { get; init; }
}
