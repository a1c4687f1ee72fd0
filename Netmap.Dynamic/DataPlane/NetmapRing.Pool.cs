namespace Netmap.Dynamic;

public readonly unsafe partial struct NetmapRing
{
    /// <summary>The port this view belongs to (null for a default value), for pools that check rings against their port.</summary>
    internal PortLifetime? Owner => _owner;

    /// <summary>The address of buffer index 0 (no check).</summary>
    internal byte* BuffersUnchecked => _buffers;

    /// <summary>Every buffer index below this lies wholly inside the region (no check).</summary>
    internal uint BufferLimitUnchecked => _bufferLimit;
}
