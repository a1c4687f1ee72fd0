namespace Netmap.Dynamic;

/// <summary>What a check of <see cref="NetmapDoctor"/> looked at.</summary>
public enum NetmapCheckKind
{
    /// <summary>The port spec: does it parse, does it name what was meant (a missing <c>netmap:</c> prefix).</summary>
    PortSpec,
    /// <summary>The netmap kernel module.</summary>
    Module,
    /// <summary>The control device (<c>/dev/netmap</c>): there, and who may open it.</summary>
    Device,
    /// <summary>A module parameter that bounds ports (<c>buf_num</c>, <c>ring_num</c>, <c>ring_size</c>, <c>buf_size</c>, <c>admode</c>) against what the port needs.</summary>
    ModuleParameter,
    /// <summary>The network interface behind the port: there, up, promiscuous.</summary>
    Interface,
    /// <summary>The interface's MTU against netmap's buffer size.</summary>
    Mtu,
    /// <summary>One offload of the interface (GRO, LRO, TSO, GSO, RX or TX checksum).</summary>
    Offload,
    /// <summary>Whether the interface has a native netmap driver or runs on the emulated (generic) adapter.</summary>
    Adapter,
}
