namespace Netmap.Dynamic.Interop;

/// <summary>Flags of <see cref="netmap_ring.flags"/>.</summary>
[Flags]
public enum NetmapRingFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>Update the ring's timestamp on every sync.</summary>
    NR_TIMESTAMP = 0x0002,
    /// <summary>Honour <c>NS_FORWARD</c> between NIC and host rings.</summary>
    NR_FORWARD = 0x0004,
}
