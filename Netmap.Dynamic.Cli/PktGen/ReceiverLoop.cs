using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>What the receiver saw. <c>Bytes</c> sums the slots' lengths.</summary>
internal readonly record struct ReceiverTotals(long Received, long Bytes, long Corrupt, long Gaps, long OutOfOrder, long FirstFrameTimestamp, long LastFrameTimestamp);

/// <summary>When the receiver stops besides its count.</summary>
/// <param name="FollowsSender">txrx: the sender in this process says when everything is in.</param>
/// <param name="DrainTimeout">txrx: how long to wait for stragglers once the sender has finished.</param>
/// <param name="IdleTimeout">rx -W: stop once nothing arrived for this long after the first frame.</param>
internal readonly record struct ReceiverStop(bool FollowsSender, TimeSpan DrainTimeout, TimeSpan? IdleTimeout);

/// <summary>
/// pkt-gen's receive loop: one RX sync per pass (which also hands back the slots read in the
/// previous pass), look at every frame in place, then advance head past them; when the rings
/// are empty, wait in Poll (which syncs too, so the pass after it needs no RX sync of its own). No allocation and no exception per frame. By default a frame is
/// only counted (with its length), as netmap's pkt-gen does; with a <see cref="FrameChecker"/>
/// (--verify) it is checked and its sequence number followed.
/// </summary>
internal static class ReceiverLoop
{
    /// <summary>
    /// Receives until <paramref name="count"/> frames arrived, the run is stopped, or — when a
    /// sender in this process has finished — every frame it sent is accounted for: the last
    /// sequence number was seen (the channel keeps order, so nothing earlier can still come), as
    /// many frames as it sent arrived, or nothing arrived for the drain timeout (the last frames were lost).
    /// Frames longer than a buffer (<c>frameSize</c> above the port's buffer size, or the checker's
    /// size) are read whole across their slots (<see cref="MultiSlotFrames"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ReceiverTotals Run(NetmapPort port, FrameChecker? checker, long count, RunControl control, PktGenCounters counters, ReceiverStop stop, int frameSize = 0)
    {
        int first = port.FirstRxRing;
        int last = port.LastRxRing;
        long received = 0;
        long bytes = 0;
        long corrupt = 0;
        long firstFrame = 0;
        long lastFrame = control.StartTimestamp;
        long idleSince = 0;
        long drainTicks = (long)(stop.DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        long idleTicks = stop.IdleTimeout is { } idle ? (long)(idle.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        SequenceTracker tracker = default;
        byte[]? jumbo = MultiSlotFrames.ScratchFor(port, checker?.Size ?? frameSize);

        bool polled = false;
        while (received < count)
        {
            if (!polled)
            {
                port.RxSync();   // after a Poll the rings are synced already: one call per pass, as netmap's pkt-gen
            }
            polled = false;
            counters.PublishAccounted(checker is null ? received : (long)Math.Min(tracker.Expected, long.MaxValue));   // slots read so far are the kernel's again

            long got = 0;
            for (int r = first; r < last; r++)
            {
                NetmapRing ring = port.GetRxRing(r);
                if (jumbo is not null)
                {
                    got += MultiSlotFrames.Read(ring, checker, jumbo, count - received - got, ref tracker, ref corrupt, ref bytes);
                    continue;
                }
                uint n = (uint)Math.Min(ring.Space, count - received - got);
                if (n == 0)
                {
                    continue;
                }
                bytes += checker is null ? Count(ring, n) : Check(ring, n, checker, ref tracker, ref corrupt);
                ring.Advance(n);
                got += n;
            }

            long now = Stopwatch.GetTimestamp();
            if (got > 0)
            {
                received += got;
                counters.PublishReceived(received);
                lastFrame = now;
                if (firstFrame == 0)
                {
                    firstFrame = lastFrame;
                }
                idleSince = 0;
                continue;
            }

            if (stop.FollowsSender)
            {
                long senderTotal = counters.SenderTotal;
                if (senderTotal >= 0)
                {
                    if (received >= senderTotal || (checker is not null && tracker.Expected >= (ulong)senderTotal))
                    {
                        break;
                    }
                    if (idleSince == 0)
                    {
                        idleSince = now;
                    }
                    else if (now - idleSince >= drainTicks)
                    {
                        break;
                    }
                }
            }
            else if (control.ShouldStop || (received > 0 && now - lastFrame >= idleTicks))
            {
                break;
            }

            port.Poll(NetmapPollEvents.Receive, RunControl.PollSlice);
            polled = true;
        }
        port.RxSync();   // give the last slots back
        return new ReceiverTotals(received, bytes, corrupt, tracker.Gaps, tracker.OutOfOrder, firstFrame, lastFrame);
    }

    // The default, netmap pkt-gen's work: count the frames and their bytes.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Count(NetmapRing ring, uint n)
    {
        long bytes = 0;
        uint slots = ring.SlotCount;
        uint i = ring.Head;
        for (uint k = 0; k < n; k++)
        {
            bytes += ring[i].Length;             // the one checked access per frame
            i = i + 1 == slots ? 0 : i + 1;      // ring.Next without a second lifetime check
        }
        return bytes;
    }

    // --verify: check every frame against the sender's template and follow its sequence number.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Check(NetmapRing ring, uint n, FrameChecker checker, ref SequenceTracker tracker, ref long corrupt)
    {
        long bytes = 0;
        uint i = ring.Head;
        for (uint k = 0; k < n; k++)
        {
            ReadOnlySpan<byte> frame = ring.GetPacket(i);
            bytes += frame.Length;
            if (checker.TryCheck(frame, out ulong sequence))
            {
                tracker.Observe(sequence);
            }
            else
            {
                corrupt++;
            }
            i = ring.Next(i);
        }
        return bytes;
    }
}
