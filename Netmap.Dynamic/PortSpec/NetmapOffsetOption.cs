namespace Netmap.Dynamic;

/// <summary>
/// The <c>@offset</c> option as written (<c>@offset=64</c>, <c>@offset:initial=64,bits=10</c>): ask the
/// kernel for per-slot buffer offsets (<c>NETMAP_REQ_OPT_OFFSETS</c>), so that a packet may start
/// <see cref="Initial"/> bytes into its buffer (headroom for headers a program adds in place).
/// As in libnetmap, the initial offset is also the largest offset the program declares
/// (<see cref="MaxOffset"/>); <see cref="NetmapPortOptions.Offsets"/> can ask for more.
/// </summary>
public sealed record NetmapOffsetOption
{
    /// <summary>The widest offset field: the whole 64-bit <c>ptr</c> of a slot.</summary>
    public const int MaxBits = 64;

    internal NetmapOffsetOption(int initial, int? bits)
    {
        Initial = initial;
        Bits = bits;
    }

    /// <summary>Offset the kernel writes into every slot at register time (key <c>initial</c>, the default key).</summary>
    public int Initial { get; }

    /// <summary>
    /// Low bits of a slot's <c>ptr</c> that hold the offset (key <c>bits</c>); null or 0 means all 64,
    /// which is what the kernel takes for 0.
    /// </summary>
    public int? Bits { get; }

    /// <summary>The largest offset declared to the kernel: libnetmap uses the initial offset.</summary>
    public int MaxOffset => Initial;
}
