namespace Netmap.Dynamic.Interop;

/// <summary><c>NR_*</c>: flags of <see cref="nmreq_register.nr_flags"/>.</summary>
[Flags]
public enum NetmapRegisterFlags : ulong
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>Monitor the port's TX (<c>/t</c>).</summary>
    NR_MONITOR_TX = 0x100,
    /// <summary>Monitor the port's RX (<c>/r</c>).</summary>
    NR_MONITOR_RX = 0x200,
    /// <summary>Zero-copy monitor (<c>/z</c>).</summary>
    NR_ZCOPY_MON = 0x400,
    /// <summary>Exclusive access to the bound rings (<c>/x</c>).</summary>
    NR_EXCLUSIVE = 0x800,
    /// <summary>Bind only the RX rings (<c>/R</c>).</summary>
    NR_RX_RINGS_ONLY = 0x2000,
    /// <summary>Bind only the TX rings (<c>/T</c>).</summary>
    NR_TX_RINGS_ONLY = 0x4000,
    /// <summary>Accept a virtio-net header.</summary>
    NR_ACCEPT_VNET_HDR = 0x8000,
    /// <summary>Poll also syncs RX.</summary>
    NR_DO_RX_POLL = 0x10000,
    /// <summary>Poll does not sync TX.</summary>
    NR_NO_TX_POLL = 0x20000,
}
