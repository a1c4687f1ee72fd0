using System.Diagnostics;
using System.Runtime.CompilerServices;
using Netmap.Dynamic.Cli.Shared;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Cli.Bridge;

/// <summary>
/// One direction of the bridge: the source port's RX rings into the destination port's TX
/// rings, on a thread of its own. Each pass moves up to a batch of frames (buffer swap when the
/// ports share memory, copy otherwise), then one TX sync; when nothing can move it waits in
/// Poll: on the source for frames when its RX rings are empty, else on the destination for
/// room. No allocation, no exception and no system call per frame.
/// </summary>
/// <remarks>
/// The two directions share each port but never a ring: this thread touches only the source's
/// RX rings and the destination's TX rings, and syncs only those (RxSync on the source, TxSync
/// and a POLLOUT poll on the destination). The ports are opened with NR_NO_TX_POLL so that a
/// POLLIN poll on the source does not also sync the source's TX rings, which the other thread
/// fills at the same time. The per-ring work is in <see cref="MoveRing"/>, on the batch ring API.
/// </remarks>
internal static class BridgeLoop
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // compiled before the ports open (BridgeRunner), never in tier 0
    public static void Run(NetmapPort source, NetmapPort destination, int batch, bool zeroCopy, RunControl control, TrafficCounters counters)
    {
        int firstRx = source.FirstRxRing;
        int lastRx = source.LastRxRing;
        int firstTx = destination.FirstTxRing;
        int lastTx = destination.LastTxRing;
        uint limit = (uint)batch;
        long frames = 0;
        long bytes = 0;

        while (!control.ShouldStop)
        {
            uint moved = 0;
            int si = firstRx;
            int di = firstTx;
            // Like netmap's bridge: walk both ring sets in step, skipping empty RX and full TX rings.
            while (si < lastRx && di < lastTx && moved < limit)
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
                moved += MoveRing(rx, tx, limit - moved, zeroCopy, ref bytes);
            }

            if (moved > 0)
            {
                destination.TxSync();
                frames += moved;
                counters.Publish(frames, bytes, Stopwatch.GetTimestamp());
                continue;
            }
            // Nothing moved: either no frame is waiting (poll the source, which also hands back
            // the slots read so far) or the destination has no room (poll it for room).
            if (si >= lastRx)
            {
                source.Poll(NetmapPollEvents.Receive, RunControl.PollSlice);
            }
            else
            {
                destination.Poll(NetmapPollEvents.Transmit, RunControl.PollSlice);
            }
        }
        source.RxSync();        // give the last slots back
        destination.TxSync();   // and push the last frames out
    }

    /// <summary>
    /// Moves up to <paramref name="limit"/> frames from the head of <paramref name="rx"/> to the
    /// head of <paramref name="tx"/> and advances both rings; returns how many moved. Works in
    /// batches (<see cref="NetmapRing.Peek"/> on the source, <see cref="NetmapRing.Reserve"/> as many
    /// on the destination): one check of each ring per batch, the slots as spans. A batch stops at
    /// its ring's last slot, so a run that crosses either ring's end takes more than one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static uint MoveRing(in NetmapRing rx, in NetmapRing tx, uint limit, bool zeroCopy, ref long bytes)
    {
        if (zeroCopy && !rx.SharesMemoryWith(tx))
        {
            throw new ArgumentException($"Cannot swap buffers between different memory regions (mem_id {rx.MemId} and {tx.MemId}).", nameof(tx));
        }
        uint moved = 0;
        while (moved < limit)
        {
            NetmapRxBatch frames = rx.Peek((int)(limit - moved));
            NetmapTxBatch room = tx.Reserve(frames.Count);
            int n = room.Count;   // at most frames.Count
            if (n == 0)
            {
                break;            // nothing ends: batches left open move no head
            }
            bytes += zeroCopy ? SwapFrames(frames.Slots[..n], room.Slots) : CopyFrames(ref frames, ref room, n);
            frames.Release(n);
            room.Commit(n);
            moved += (uint)n;
        }
        return moved;
    }

    /// <summary>
    /// Zero copy: the TX slot takes the RX slot's buffer and length, the RX slot the TX slot's
    /// old buffer, both marked NS_BUF_CHANGED (what <see cref="NetmapZeroCopy.SwapBuffers"/> does
    /// for one slot; the regions are checked once per <see cref="MoveRing"/>). Buffer indexes and
    /// lengths are passed on, not read through: the kernel checks them when it takes the TX slot,
    /// and any later access of ours goes through the checked buffer accessors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long SwapFrames(Span<NetmapSlot> received, Span<NetmapSlot> free)
    {
        long moved = 0;
        for (int i = 0; i < free.Length; i++)
        {
            ref NetmapSlot ts = ref free[i];
            ref NetmapSlot rs = ref received[i];
            uint buffer = ts.BufferIndex;
            ushort length = rs.Length;
            ts.BufferIndex = rs.BufferIndex;
            ts.Length = length;
            // A frame of several slots stays one frame: carry NS_MOREFRAG over, as netmap's bridge does.
            ts.Flags = (ts.Flags & ~NetmapSlotFlags.NS_MOREFRAG) | (rs.Flags & NetmapSlotFlags.NS_MOREFRAG) | NetmapSlotFlags.NS_BUF_CHANGED;
            rs.BufferIndex = buffer;
            rs.Flags |= NetmapSlotFlags.NS_BUF_CHANGED;
            moved += length;
        }
        return moved;
    }

    /// <summary>Copy: each frame into the TX slot's own buffer (both are nr_buf_size bytes; the checked accessors refuse a corrupt buffer index or length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long CopyFrames(ref NetmapRxBatch frames, ref NetmapTxBatch room, int n)
    {
        Span<NetmapSlot> received = frames.Slots;
        Span<NetmapSlot> free = room.Slots;
        long moved = 0;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> frame = frames.GetPacket(i);
            frame.CopyTo(room.GetBuffer(i));
            ref NetmapSlot ts = ref free[i];
            ts.Length = (ushort)frame.Length;
            ts.Flags = (ts.Flags & ~NetmapSlotFlags.NS_MOREFRAG) | (received[i].Flags & NetmapSlotFlags.NS_MOREFRAG);
            moved += frame.Length;
        }
        return moved;
    }
}
