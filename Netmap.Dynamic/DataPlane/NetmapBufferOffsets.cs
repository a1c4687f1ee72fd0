namespace Netmap.Dynamic;

/// <summary>
/// What a port asks of <c>NETMAP_REQ_OPT_OFFSETS</c>: per-slot buffer offsets, so that a packet may
/// start <see cref="Initial"/> (and up to <see cref="Max"/>) bytes into its buffer. The kernel checks
/// <see cref="Max"/> against the buffer size at open (EINVAL when larger) and refuses ports that do
/// not support offsets (EOPNOTSUPP: zero-copy monitors, for one).
/// </summary>
public sealed record NetmapBufferOffsets
{
    /// <summary>Asks for offsets: every slot starts at <paramref name="initial"/>; offsets up to <paramref name="max"/> may be written.</summary>
    /// <param name="initial">Offset the kernel writes into every slot at register time.</param>
    /// <param name="max">Largest offset the program will write (at least <paramref name="initial"/>).</param>
    /// <param name="bits">Low bits of a slot's <c>ptr</c> that hold the offset, 1..64; 0 (the default) means all 64.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value out of range, <paramref name="initial"/> above
    /// <paramref name="max"/>, or <paramref name="max"/> too large for <paramref name="bits"/>.</exception>
    public NetmapBufferOffsets(int initial, int max, int bits = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initial);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        ArgumentOutOfRangeException.ThrowIfNegative(bits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, NetmapOffsetOption.MaxBits);
        if (bits is > 0 and < NetmapOffsetOption.MaxBits && (ulong)max >> bits != 0)
            throw new ArgumentOutOfRangeException(nameof(max), max, $"An offset of {max} does not fit in {bits} bits.");
        Initial = initial;
        Max = max;
        Bits = bits;
    }

    /// <summary>Offset written into every slot at register time.</summary>
    public int Initial { get; }

    /// <summary>Largest offset the program declares (the kernel may answer with a larger one).</summary>
    public int Max { get; }

    /// <summary>Bits of <c>ptr</c> holding the offset; 0 for all 64.</summary>
    public int Bits { get; }

    /// <summary>The mask the kernel puts in <c>offset_mask</c> for these bits.</summary>
    internal ulong Mask => Bits is 0 or NetmapOffsetOption.MaxBits ? ulong.MaxValue : (1UL << Bits) - 1;

    /// <summary>What a spec's <c>@offset</c> asks for: max = initial, as in libnetmap.</summary>
    internal static NetmapBufferOffsets From(NetmapOffsetOption option) => new(option.Initial, option.MaxOffset, option.Bits ?? 0);
}
