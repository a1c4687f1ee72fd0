using System.Buffers.Binary;
using System.Diagnostics;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>What ping saw.</summary>
internal readonly record struct PingTotals(long Sent, long Received, long Corrupt, long Late, long EndTimestamp);

/// <summary>
/// Round-trip measurement in the manner of netmap pkt-gen's ping/pong: ping sends one frame,
/// waits (RX sync, then Poll) for the reply carrying the same sequence number, and records
/// the time between its TX sync and the reply's arrival; pong answers each frame with the
/// frame's addresses and ports swapped.
/// </summary>
internal static class PingPongLoops
{
    /// <summary>How long ping waits for one reply before counting it lost.</summary>
    public static readonly TimeSpan DefaultReplyTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Pings <paramref name="count"/> times. With a <paramref name="replyChecker"/>
    /// (--verify) a reply must be intact to count; without, only its sequence number is read.</summary>
    public static PingTotals Ping(NetmapPort port, FrameBuilder builder, FrameChecker? replyChecker, long count, RunControl control,
        PktGenCounters counters, LatencyRecorder latency, TimeSpan replyTimeout)
    {
        long timeoutTicks = (long)(replyTimeout.TotalSeconds * Stopwatch.Frequency);
        ushort size = (ushort)builder.Size;
        long sent = 0, received = 0, corrupt = 0, late = 0;

        while (sent < count && !control.ShouldStop)
        {
            NetmapRing tx = port.GetTxRing(port.FirstTxRing);
            if (tx.Space == 0)
            {
                port.Poll(NetmapPollEvents.Transmit, RunControl.PollSlice);
                continue;
            }
            ulong expected = (ulong)sent;
            int t = tx.Head;
            builder.Write(tx.GetBuffer(t), expected);
            tx[t].Length = size;
            tx.Advance(1);
            long start = Stopwatch.GetTimestamp();
            port.TxSync();
            sent++;
            counters.PublishSent(sent);

            bool answered = false;
            while (!answered)
            {
                port.RxSync();
                for (int r = port.FirstRxRing; r < port.LastRxRing; r++)
                {
                    NetmapRing rx = port.GetRxRing(r);
                    int n = rx.Space;
                    int i = rx.Head;
                    for (int k = 0; k < n; k++)
                    {
                        received++;
                        if (!TryReadReply(rx.GetPacket(i), replyChecker, out ulong sequence))
                        {
                            corrupt++;
                        }
                        else if (sequence == expected && !answered)
                        {
                            latency.Record(Stopwatch.GetTimestamp() - start);
                            answered = true;
                        }
                        else
                        {
                            late++;   // the reply to an earlier ping that had timed out, or a duplicate
                        }
                        i = rx.Next(i);
                    }
                    rx.Advance(n);
                }
                if (answered)
                {
                    break;
                }
                long left = start + timeoutTicks - Stopwatch.GetTimestamp();
                if (left <= 0 || control.Cancellation.IsCancellationRequested)
                {
                    break;   // no reply in time: sent − received counts it lost
                }
                port.Poll(NetmapPollEvents.Receive, TimeSpan.FromTicks(Math.Min(RunControl.PollSlice.Ticks, Math.Max(1, left * TimeSpan.TicksPerSecond / Stopwatch.Frequency))));
            }
            counters.PublishReceived(received);
        }
        port.RxSync();
        return new PingTotals(sent, received, corrupt, late, Stopwatch.GetTimestamp());
    }

    // The sequence number a reply carries; false when it is too short for one or, with a checker, not intact.
    private static bool TryReadReply(ReadOnlySpan<byte> frame, FrameChecker? checker, out ulong sequence)
    {
        if (checker is not null)
        {
            return checker.TryCheck(frame, out sequence);
        }
        if (frame.Length < FrameLayout.SequenceOffset + FrameLayout.SequenceLength)
        {
            sequence = 0;
            return false;
        }
        sequence = BinaryPrimitives.ReadUInt64BigEndian(frame[FrameLayout.SequenceOffset..]);
        return true;
    }

    /// <summary>Answers frames until <paramref name="count"/> were answered, the run stops,
    /// or the in-process ping has finished (its <paramref name="pingCounters"/> say so). With a
    /// <paramref name="checker"/> (--verify) frames that are not intact pkt-gen frames are
    /// counted as corrupt (and answered all the same).</summary>
    public static (long Answered, long Corrupt, long EndTimestamp) Pong(NetmapPort port, FrameChecker? checker, long count, RunControl control, PktGenCounters counters, PktGenCounters? pingCounters)
    {
        long answered = 0;
        long corrupt = 0;
        int txRing = port.FirstTxRing;
        while (answered < count)
        {
            port.RxSync();
            long got = 0;
            bool txFull = false;
            for (int r = port.FirstRxRing; r < port.LastRxRing; r++)
            {
                NetmapRing rx = port.GetRxRing(r);
                NetmapRing tx = port.GetTxRing(Math.Min(txRing + (r - port.FirstRxRing), port.LastTxRing - 1));
                got += Answer(rx, tx, count - answered - got, checker, ref corrupt);
                txFull |= !rx.IsEmpty;   // frames left: no room for their replies (or the count is reached)
            }
            if (got > 0)
            {
                port.TxSync();
                answered += got;
                counters.PublishReceived(answered);
                counters.PublishSent(answered);
                continue;
            }
            if (control.ShouldStop || pingCounters?.SenderTotal >= 0)
            {
                break;
            }
            port.Poll(txFull ? NetmapPollEvents.Transmit : NetmapPollEvents.Receive, RunControl.PollSlice);
        }
        return (answered, corrupt, Stopwatch.GetTimestamp());
    }

    // Answers up to `max` frames of `rx` into `tx` in batches (Peek, then Reserve as many; a batch
    // stops at its ring's last slot): each reply is the frame with its addresses and ports swapped.
    private static int Answer(NetmapRing rx, NetmapRing tx, long max, FrameChecker? checker, ref long corrupt)
    {
        int done = 0;
        while (done < max)
        {
            NetmapRxBatch frames = rx.Peek((int)Math.Min(max - done, int.MaxValue));
            NetmapTxBatch replies = tx.Reserve(frames.Count);
            int n = replies.Count;   // at most frames.Count
            if (n == 0)
            {
                break;               // nothing ends: batches left open move no head
            }
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<byte> frame = frames.GetPacket(i);
                if (checker is not null && !checker.TryCheck(frame, out _))
                {
                    corrupt++;
                }
                Span<byte> reply = replies.GetBuffer(i)[..frame.Length];
                frame.CopyTo(reply);
                if (reply.Length >= FrameLayout.PayloadOffset)
                {
                    FrameBuilder.SwapAddresses(reply);
                }
                replies[i].Length = (ushort)reply.Length;
            }
            frames.Release(n);
            replies.Commit(n);
            done += n;
        }
        return done;
    }
}
