namespace Netmap.Dynamic.Interop;

/// <summary><c>NS_*</c>: flags of <see cref="netmap_slot.flags"/> (low byte).</summary>
[Flags]
public enum NetmapSlotFlags : ushort
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>The buffer index changed: the kernel must reload its mapping.</summary>
    NS_BUF_CHANGED = 0x0001,
    /// <summary>Ask the kernel to report when this slot's packet is sent.</summary>
    NS_REPORT = 0x0002,
    /// <summary>Forward between NIC and host rings (with <c>NR_FORWARD</c>).</summary>
    NS_FORWARD = 0x0004,
    /// <summary>VALE: do not learn the source address of this packet.</summary>
    NS_NO_LEARN = 0x0008,
    /// <summary>The data is at <c>ptr</c>, not in the buffer.</summary>
    NS_INDIRECT = 0x0010,
    /// <summary>The packet continues in the next slot.</summary>
    NS_MOREFRAG = 0x0020,
    /// <summary>Monitor: the packet was transmitted (not received).</summary>
    NS_TXMON = 0x0040,
}
