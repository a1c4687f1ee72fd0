using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic;

/// <summary>
/// Which rings a register binds, as the kernel's <c>netmap_interp_ringid</c> decides it:
/// ranges <c>[first, last)</c> over ring numbers where hardware rings come first and host rings follow.
/// Shared by <see cref="NetmapPort"/> (to report them) and the fake backend (to bind them).
/// </summary>
internal readonly record struct BoundRings(int FirstTx, int LastTx, int FirstRx, int LastRx)
{
    /// <summary>
    /// Computes the bound rings, or returns false (EINVAL) when the selection names rings the port
    /// does not have.
    /// </summary>
    public static bool TryCompute(
        NetmapRegisterMode mode, ushort ringId, NetmapRegisterFlags flags,
        int txRings, int rxRings, int hostTxRings, int hostRxRings, out BoundRings bound)
    {
        bound = default;
        // One ring pair: the id must name a ring in at least one direction; a direction with fewer
        // rings binds its first ring instead (a monitor has one TX ring and as many RX rings as its
        // parent has in either direction, so "-1" binds its TX ring 0 and RX ring 1).
        if (mode == NetmapRegisterMode.NR_REG_ONE_NIC && ringId >= txRings && ringId >= rxRings)
            return false;
        if (mode == NetmapRegisterMode.NR_REG_ONE_SW && ringId >= hostTxRings && ringId >= hostRxRings)
            return false;
        if (!TryRange(mode, ringId, txRings, hostTxRings, out int firstTx, out int lastTx)
            || !TryRange(mode, ringId, rxRings, hostRxRings, out int firstRx, out int lastRx))
            return false;
        // /T binds only the TX rings, /R only the RX rings.
        if ((flags & NetmapRegisterFlags.NR_TX_RINGS_ONLY) != 0) firstRx = lastRx = 0;
        if ((flags & NetmapRegisterFlags.NR_RX_RINGS_ONLY) != 0) firstTx = lastTx = 0;
        bound = new BoundRings(firstTx, lastTx, firstRx, lastRx);
        return true;
    }

    private static bool TryRange(NetmapRegisterMode mode, ushort ringId, int rings, int hostRings, out int first, out int last)
    {
        int one = ringId < rings ? ringId : 0;
        int oneHost = ringId < hostRings ? ringId : 0;
        (first, last) = mode switch
        {
            // A null port binds all its rings, as netmap_interp_ringid does for NR_REG_NULL.
            NetmapRegisterMode.NR_REG_ALL_NIC or NetmapRegisterMode.NR_REG_DEFAULT or NetmapRegisterMode.NR_REG_NULL => (0, rings),
            NetmapRegisterMode.NR_REG_SW => (rings, rings + hostRings),
            NetmapRegisterMode.NR_REG_NIC_SW => (0, rings + hostRings),
            NetmapRegisterMode.NR_REG_ONE_NIC => (one, one + 1),
            NetmapRegisterMode.NR_REG_ONE_SW => (rings + oneHost, rings + oneHost + 1),
            _ => (-1, -1),
        };
        return mode switch
        {
            NetmapRegisterMode.NR_REG_ONE_NIC => rings > 0,
            NetmapRegisterMode.NR_REG_ONE_SW or NetmapRegisterMode.NR_REG_SW or NetmapRegisterMode.NR_REG_NIC_SW => hostRings > 0,
            _ => first >= 0,
        };
    }
}
