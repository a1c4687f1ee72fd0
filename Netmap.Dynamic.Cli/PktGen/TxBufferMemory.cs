namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>
/// Remembers, for every slot of a port's bound TX rings, which buffer the sender last filled
/// with a frame, so that a buffer is written once and afterwards only the slot's length is set —
/// what netmap's pkt-gen does (it marks every slot "buffer changed" at start and copies the
/// frame only into a slot so marked). Keyed by buffer index rather than a flag in shared
/// memory, so a kernel that hands a slot a different buffer (a swap) gets the frame copied again.
/// </summary>
internal sealed class TxBufferMemory
{
    private const uint NotFilled = uint.MaxValue;

    private readonly uint[][] _filled;   // per bound TX ring, per slot: the buffer index filled, or NotFilled
    private readonly int _firstRing;

    public TxBufferMemory(NetmapPort port)
    {
        _firstRing = port.FirstTxRing;
        _filled = new uint[port.LastTxRing - port.FirstTxRing][];
        for (int r = 0; r < _filled.Length; r++)
        {
            _filled[r] = new uint[port.GetTxRing(_firstRing + r).SlotCount];
            Array.Fill(_filled[r], NotFilled);
        }
    }

    /// <summary>The buffers filled in TX ring <paramref name="ring"/>, indexed by slot.</summary>
    public uint[] Ring(int ring) => _filled[ring - _firstRing];
}
