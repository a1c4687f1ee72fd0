using System.Diagnostics;
using System.Runtime.CompilerServices;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>What the receiver saw. <c>Bytes</c> sums the slots' lengths.</summary>
internal readonly record struct ReceiverTotals(long Received, long Bytes, long Corrupt, long Gaps, long OutOfOrder, long FirstFrameTimestamp, long LastFrameTimestamp);

/// <summary>When the receiver stops besides its count.</summary>
/// <param name="FollowsSender">txrx: the sender in this process says when everything is in.</param>
/// <param name="DrainTimeout">txrx: how long to wait for stragglers once the sender has finished.</param>
/// <param name="IdleTimeout">rx -W: stop once nothing arrived for this long after the first frame.</param>
internal readonly record struct ReceiverStop(bool FollowsSender, TimeSpan DrainTimeout, TimeSpan? IdleTimeout);

/// <summary>
/// pkt-gen's receive loop, netmap pkt-gen's: one Poll per pass, which syncs the RX rings (and so
/// hands back the slots read in the previous pass) and returns at once when frames are there, or
/// waits for them; then look at every frame in place through a batch (<see cref="NetmapRing.Peek"/>:
/// one check of the ring per batch, the slots as one span) and release them. One system call per
/// pass whether or not the rings were empty: a receiver that keeps up with its sender finds them
/// empty on most passes, and an RX sync followed by a Poll would be two.
/// No allocation and no exception per frame. By default a frame is
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

        while (received < count)
        {
            port.Poll(NetmapPollEvents.Receive, RunControl.PollSlice);   // syncs; waits only while nothing is there
            counters.PublishAccounted(checker is null ? received : (long)Math.Min(tracker.Expected, long.MaxValue));   // slots read so far are the kernel's again

            long got = 0;
            for (int r = first; r < last && received + got < count; r++)
            {
                NetmapRing ring = port.GetRxRing(r);
                long max = count - received - got;
                if (jumbo is not null)
                {
                    got += MultiSlotFrames.Read(ring, checker, jumbo, max, ref tracker, ref corrupt, ref bytes);
                    continue;
                }
                got += checker is null ? Count(ring, max, ref bytes) : Check(ring, max, checker, ref tracker, ref bytes, ref corrupt);
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
        }
        port.RxSync();   // give the last slots back
        return new ReceiverTotals(received, bytes, corrupt, tracker.Gaps, tracker.OutOfOrder, firstFrame, lastFrame);
    }

    // The default, netmap pkt-gen's work: count the frames and their bytes. Takes up to `max`
    // packets of the ring in batches (a batch stops at the ring's last slot, so a run that crosses
    // it takes two) and releases them; returns how many.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Count(NetmapRing ring, long max, ref long bytes)
    {
        int got = 0;
        long sum = 0;
        while (got < max)
        {
            NetmapRxBatch batch = ring.Peek((int)Math.Min(max - got, int.MaxValue));
            Span<NetmapSlot> slots = batch.Slots;   // contiguous: no check per slot
            if (slots.IsEmpty)
            {
                break;
            }
            foreach (ref NetmapSlot slot in slots)
            {
                sum += slot.Length;
            }
            batch.Release();
            got += slots.Length;
        }
        bytes += sum;
        return got;
    }

    // --verify: check every frame against the sender's template and follow its sequence number.
    // Takes and releases up to `max` packets like Count; returns how many.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Check(NetmapRing ring, long max, FrameChecker checker, ref SequenceTracker tracker, ref long bytes, ref long corrupt)
    {
        int got = 0;
        while (got < max)
        {
            NetmapRxBatch batch = ring.Peek((int)Math.Min(max - got, int.MaxValue));
            if (batch.IsEmpty)
            {
                break;
            }
            for (int i = 0; i < batch.Count; i++)
            {
                ReadOnlySpan<byte> frame = batch.GetPacket(i);   // checks the buffer index and length
                bytes += frame.Length;
                if (checker.TryCheck(frame, out ulong sequence))
                {
                    tracker.Observe(sequence);
                }
                else
                {
                    corrupt++;
                }
            }
            got += batch.Count;
            batch.Release();
        }
        return got;
    }
}
