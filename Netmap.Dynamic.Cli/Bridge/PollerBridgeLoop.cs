using System.Diagnostics;
using System.Runtime.CompilerServices;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.Bridge;

/// <summary>
/// Both directions of the bridge on one thread, as netmap's C <c>bridge</c> does: one
/// <see cref="NetmapPoller"/> wait over both ports per pass, then frames moved each way the wait
/// found room for. A port whose RX rings hold frames is waited on for room at its peer, otherwise
/// for frames; the poll itself does the syncs (RX for <c>POLLIN</c>, and TX for the frames moved by
/// the last pass, since the ports poll TX), so a pass makes one system call.
/// </summary>
internal static class PollerBridgeLoop
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // compiled before the ports open (BridgeRunner), never in tier 0
    public static void Run(NetmapPort a, NetmapPort b, int batch, bool zeroCopy, RunControl control, TrafficCounters aToB, TrafficCounters bToA)
    {
        using NetmapPoller poller = new();
        int pa = poller.Add(a, NetmapPollEvents.None);
        int pb = poller.Add(b, NetmapPollEvents.None);
        long framesAB = 0, bytesAB = 0, framesBA = 0, bytesBA = 0;
        while (!control.ShouldStop)
        {
            bool aHas = HasFrames(a);
            bool bHas = HasFrames(b);
            poller.SetEvents(pa, (aHas ? NetmapPollEvents.None : NetmapPollEvents.Receive) | (bHas ? NetmapPollEvents.Transmit : NetmapPollEvents.None));
            poller.SetEvents(pb, (bHas ? NetmapPollEvents.None : NetmapPollEvents.Receive) | (aHas ? NetmapPollEvents.Transmit : NetmapPollEvents.None));
            if (poller.Poll(RunControl.PollSlice) == 0)
            {
                continue;
            }
            if (poller.IsReady(pa, NetmapPollEvents.Transmit))
            {
                uint moved = Move(b, a, batch, zeroCopy, ref bytesBA);
                if (moved > 0)
                {
                    framesBA += moved;
                    bToA.Publish(framesBA, bytesBA, Stopwatch.GetTimestamp());
                }
            }
            if (poller.IsReady(pb, NetmapPollEvents.Transmit))
            {
                uint moved = Move(a, b, batch, zeroCopy, ref bytesAB);
                if (moved > 0)
                {
                    framesAB += moved;
                    aToB.Publish(framesAB, bytesAB, Stopwatch.GetTimestamp());
                }
            }
        }
        a.RxSync();   // give the last slots back
        b.RxSync();
        a.TxSync();   // and push the last frames out
        b.TxSync();
    }

    /// <summary>True when a bound RX ring of <paramref name="port"/> holds frames (netmap bridge's rx_slots_avail).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool HasFrames(NetmapPort port)
    {
        for (int i = port.FirstRxRing; i < port.LastRxRing; i++)
        {
            if (!port.GetRxRing(i).IsEmpty)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Up to <paramref name="batch"/> frames from the source's RX rings to the destination's TX rings (netmap bridge's ports_move).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static uint Move(NetmapPort source, NetmapPort destination, int batch, bool zeroCopy, ref long bytes)
    {
        uint limit = (uint)batch, moved = 0;
        int si = source.FirstRxRing, di = destination.FirstTxRing;
        while (si < source.LastRxRing && di < destination.LastTxRing && moved < limit)
        {
            NetmapRing rx = source.GetRxRing(si);
            if (rx.IsEmpty)
            {
                si++;
                continue;
            }
            NetmapRing tx = destination.GetTxRing(di);
            if (tx.IsEmpty)
            {
                di++;
                continue;
            }
            moved += BridgeLoop.MoveRing(rx, tx, limit - moved, zeroCopy, ref bytes);
        }
        return moved;
    }
}
