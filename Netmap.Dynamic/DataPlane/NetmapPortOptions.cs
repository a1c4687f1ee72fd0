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

    /// <summary>
    /// Per-slot buffer offsets (<c>NETMAP_REQ_OPT_OFFSETS</c>); wins over the spec's <c>@offset</c>.
    /// The ring API then reads and writes packets at each slot's offset (docs/rings.md).
    /// </summary>
    public NetmapBufferOffsets? Offsets { get; init; }

    /// <summary>
    /// Memory the application provides for the port's rings and buffers (<c>NETMAP_REQ_OPT_EXTMEM</c>);
    /// wins over the spec's <c>@extmem</c>. It must stay usable while the port is open: see
    /// <see cref="NetmapExternalMemory"/> for who unmaps it and when.
    /// </summary>
    public NetmapExternalMemory? ExternalMemory { get; init; }

    /// <summary>
    /// Packet buffers to ask for beyond the rings' own (<c>nr_extra_bufs</c>): the kernel grants what
    /// its allocator has free (possibly fewer) and the port hands them out through
    /// <see cref="NetmapPort.ExtraBuffers"/>. A VALE port (or a pipe's parent) created by this open
    /// gets an allocator with room for them.
    /// </summary>
    public int ExtraBuffers { get; init; }

    /// <summary>
    /// Registers a null port (<c>NR_REG_NULL</c>) instead of the port the spec names: rings of the
    /// counts asked for (<see cref="TxRings"/>, <see cref="TxSlots"/>, ...) in an existing memory
    /// allocator, which the spec must name with <c>@N</c> (<c>netmap:x@1</c>: the global one), attached
    /// to no device. Its syncs do nothing: nothing sent leaves, nothing arrives. The kernel names it
    /// <c>null:</c> plus the spec's name and never opens it twice; it is for a program that needs rings
    /// and buffers of an allocator (to swap buffers with its ports) without a device.
    /// </summary>
    public bool NullPort { get; init; }

    /// <summary>Bare option headers appended to the register's option list (tests of the kernel's option checks).</summary>
    internal RawRegisterOptions? RawOptions { get; init; }
}
