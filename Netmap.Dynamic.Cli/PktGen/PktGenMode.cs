namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>What pkt-gen does; the names are netmap pkt-gen's `-f` functions.</summary>
internal enum PktGenMode
{
    /// <summary>Send numbered frames on the port.</summary>
    Tx,
    /// <summary>Receive on the port and check sequence and content.</summary>
    Rx,
    /// <summary>Send on the port and receive on the peer, on two threads in this process.</summary>
    TxRx,
    /// <summary>Send one frame at a time and time its reply (round-trip latency).</summary>
    Ping,
    /// <summary>Answer every frame received on the port with its reply.</summary>
    Pong,
}
