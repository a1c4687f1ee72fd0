namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>One thread's (or, for txrx and ping, one pair of threads') ports, counters and totals.</summary>
internal sealed class PktGenLane(string portSpec, NetmapPort port, string? peerSpec, NetmapPort? peer)
{
    public string PortSpec { get; } = portSpec;
    public NetmapPort Port { get; } = port;
    public string? PeerSpec { get; } = peerSpec;
    public NetmapPort? Peer { get; } = peer;
    public PktGenCounters Counters { get; } = new();

    // Written by the lane's workers, read after they have been joined.
    public long Sent { get; set; }
    public long SenderStart { get; set; }
    public long SenderEnd { get; set; }
    public ReceiverTotals Rx { get; set; }
    public PingTotals Ping { get; set; }
    public (long Answered, long Corrupt, long EndTimestamp) Pong { get; set; }
    public LatencyRecorder? Latency { get; set; }
}
