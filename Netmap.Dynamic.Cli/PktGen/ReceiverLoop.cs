using System.Diagnostics;

namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>What the receiver saw.</summary>
internal readonly record struct ReceiverTotals(long Received, long Corrupt, long Gaps, long OutOfOrder, long FirstFrameTimestamp, long LastFrameTimestamp);

/// <summary>
/// pkt-gen's receive loop: one RX sync per pass (which also hands back the slots read in the
/// previous pass), check every frame in place, then advance head past them; when the rings
/// are empty, wait in Poll. No allocation and no exception per frame.
/// </summary>
internal static class ReceiverLoop
{
    /// <summary>
    /// Receives until <paramref name="count"/> frames arrived, the run is stopped, or — when a
    /// sender in this process has finished — every frame it sent is accounted for: the last
    /// sequence number was seen (the channel keeps order, so nothing earlier can still come)
    /// or nothing arrived for <paramref name="drainTimeout"/> (the last frames were lost).
    /// </summary>
    public static ReceiverTotals Run(NetmapPort port, FrameChecker checker, long count, RunControl control, PktGenCounters counters, TimeSpan drainTimeout, bool followsSender)
    {
        int first = port.FirstRxRing;
        int last = port.LastRxRing;
        long received = 0;
        long corrupt = 0;
        long firstFrame = 0;
        long lastFrame = control.StartTimestamp;
        long idleSince = 0;
        long drainTicks = (long)(drainTimeout.TotalSeconds * Stopwatch.Frequency);
        SequenceTracker tracker = default;
        byte[]? jumbo = MultiSlotFrames.Needed(port, checker.Size) ? new byte[checker.Size] : null;

        while (received < count)
        {
            port.RxSync();
            counters.PublishAccounted((long)Math.Min(tracker.Expected, long.MaxValue));   // slots read so far are the kernel's again

            long got = 0;
            for (int r = first; r < last; r++)
            {
                NetmapRing ring = port.GetRxRing(r);
                if (jumbo is not null)
                {
                    got += MultiSlotFrames.Read(ring, checker, jumbo, count - received - got, ref tracker, ref corrupt);
                    continue;
                }
                uint n = (uint)Math.Min(ring.Space, count - received - got);
                uint i = ring.Head;
                for (uint k = 0; k < n; k++)
                {
                    if (checker.TryCheck(ring.GetPacket(i), out ulong sequence))
                    {
                        tracker.Observe(sequence);
                    }
                    else
                    {
                        corrupt++;
                    }
                    i = ring.Next(i);
                }
                ring.Advance(n);
                got += n;
            }

            if (got > 0)
            {
                received += got;
                counters.PublishReceived(received);
                lastFrame = Stopwatch.GetTimestamp();
                if (firstFrame == 0)
                {
                    firstFrame = lastFrame;
                }
                idleSince = 0;
                continue;
            }

            if (followsSender)
            {
                long senderTotal = control.SenderTotal;
                if (senderTotal >= 0)
                {
                    if (received >= senderTotal || tracker.Expected >= (ulong)senderTotal)
                    {
                        break;
                    }
                    long now = Stopwatch.GetTimestamp();
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
            else if (control.ShouldStop)
            {
                break;
            }

            port.Poll(NetmapPollEvents.Receive, RunControl.PollSlice);
        }
        port.RxSync();   // give the last slots back
        return new ReceiverTotals(received, corrupt, tracker.Gaps, tracker.OutOfOrder, firstFrame, lastFrame);
    }
}
