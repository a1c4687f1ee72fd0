namespace Netmap.Dynamic;

/// <summary>
/// The offloads of a network interface that hurt netmap: with them on, the host rings and the
/// emulated adapter see coalesced super-frames larger than netmap's buffers (GRO, LRO) or frames
/// whose checksums were left for hardware that never computes them (TSO, GSO, TX checksum), and
/// drop or corrupt them silently. netmap's own advice is to turn them all off.
/// </summary>
[Flags]
public enum NetmapOffloads
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>Generic receive offload (<c>ethtool -K IF gro off</c>).</summary>
    Gro = 1,
    /// <summary>Large receive offload (<c>lro</c>).</summary>
    Lro = 2,
    /// <summary>TCP segmentation offload (<c>tso</c>).</summary>
    Tso = 4,
    /// <summary>Generic segmentation offload (<c>gso</c>).</summary>
    Gso = 8,
    /// <summary>Receive checksum offload (<c>rx</c>).</summary>
    RxChecksum = 16,
    /// <summary>Transmit checksum offload (<c>tx</c>).</summary>
    TxChecksum = 32,
    /// <summary>All of the above.</summary>
    All = Gro | Lro | Tso | Gso | RxChecksum | TxChecksum,
}
