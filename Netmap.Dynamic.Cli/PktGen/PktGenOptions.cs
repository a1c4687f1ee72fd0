using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>A pkt-gen run as the command line asked for it.</summary>
internal sealed record PktGenOptions : ToolOptions
{
    public const string DefaultPort = "netmap:pktgen{1";
    public const string DefaultPeer = "netmap:pktgen}1";
    /// <summary>Frames sent when neither --count nor --duration is given: a few million, a
    /// couple of seconds over the fake backend's pipe.</summary>
    public const long DefaultCount = 4_000_000;
    public const long DefaultPingCount = 10_000;
    /// <summary>Slots filled per sync; netmap pkt-gen's default burst is 512 too.</summary>
    public const int DefaultBatch = 512;
    public const int MaxBatch = 65536;
    /// <summary>`--peer none`: ping talks to a pong running elsewhere.</summary>
    public const string NoPeer = "none";
    /// <summary>Most threads `-p` starts (netmap's pkt-gen takes up to 63 rings' worth).</summary>
    public const int MaxThreads = 64;
    /// <summary>`-W`: how long rx waits with nothing arriving, once frames came, before it stops.</summary>
    public static readonly TimeSpan IdleStop = TimeSpan.FromSeconds(1);

    public PktGenMode Mode { get; init; } = PktGenMode.TxRx;
    public string Port { get; init; } = DefaultPort;
    /// <summary>Null when the mode has no peer (tx, rx, pong, or ping with `--peer none`).</summary>
    public string? Peer { get; init; }
    public long? Count { get; init; }
    public int Size { get; init; } = FrameLayout.DefaultSize;
    public int Batch { get; init; } = DefaultBatch;
    /// <summary>`--verify`: number every frame and check what arrives; null: the mode's default
    /// (see <see cref="EffectiveVerify"/>).</summary>
    public bool? Verify { get; init; }
    /// <summary>`-p`: threads, each on its own ring (`PORT-0`, `PORT-1`, ...).</summary>
    public int Threads { get; init; } = 1;
    /// <summary>`-W`: rx stops once nothing has arrived for <see cref="IdleStop"/> after the first frame.</summary>
    public bool StopWhenIdle { get; init; }

    /// <summary>
    /// Whether frames are numbered and checked. By default only where both ends are this tool
    /// (txrx, ping, pong): tx then fills each buffer once and afterwards only sets its length,
    /// and rx only counts, the work netmap's pkt-gen does, so either side can face it.
    /// </summary>
    public bool EffectiveVerify => Verify ?? Mode is PktGenMode.TxRx or PktGenMode.Ping or PktGenMode.Pong;

    /// <summary>How many frames to send (or receive, or answer): --count; else unbounded with
    /// --duration; else a default for txrx and ping, and until Ctrl+C for tx, rx and pong, as
    /// netmap's pkt-gen does.</summary>
    public long EffectiveCount => Count ?? (DurationSeconds is not null ? long.MaxValue : Mode switch
    {
        PktGenMode.TxRx => DefaultCount,
        PktGenMode.Ping => DefaultPingCount,
        _ => long.MaxValue,
    });

    /// <summary>The first usage error, or null when the options make sense together.</summary>
    public string? Validate()
    {
        if (Size is < FrameLayout.MinSize or > FrameLayout.MaxSize)
        {
            return $"--size must be {FrameLayout.MinSize} to {FrameLayout.MaxSize} bytes (an Ethernet frame without CRC), got {Size}";
        }
        if ((CountProblem(Count) ?? BatchProblem(Batch, MaxBatch) ?? CommonProblem()) is { } problem)
        {
            return problem;
        }
        if (Threads is < 1 or > MaxThreads)
        {
            return $"-p (--threads) must be 1 to {MaxThreads}, got {Threads}";
        }
        if (Threads > 1 && Mode is PktGenMode.Ping or PktGenMode.Pong)
        {
            return $"{PktGenResult.ModeName(Mode)} runs on one thread (-p 1), like netmap's pkt-gen";
        }
        if (StopWhenIdle && Mode != PktGenMode.Rx)
        {
            return $"-W (--stop-when-idle) is for rx, not {PktGenResult.ModeName(Mode)}";
        }
        if (string.IsNullOrWhiteSpace(Port))
        {
            return "--port must name a netmap port, e.g. netmap:eth0 or vale0:a";
        }
        if (Peer is not null)
        {
            if (Mode is not (PktGenMode.TxRx or PktGenMode.Ping))
            {
                return $"--peer is only for txrx and ping, not {PktGenResult.ModeName(Mode)}";
            }
            if (string.Equals(Peer, Port, StringComparison.Ordinal))
            {
                return $"--peer must differ from --port (both are {Port})";
            }
        }
        else if (Mode == PktGenMode.TxRx)
        {
            return "txrx needs a --peer to receive on";
        }
        return null;
    }
}
