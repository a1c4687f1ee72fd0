using System.Diagnostics;

namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>
/// pkt-gen's transmit loop: fill up to a batch of free slots across the bound TX rings
/// straight in the ring buffers, advance head/cur, and sync once per batch; when every ring is
/// full, wait in Poll for the peer to free slots. No allocation and no exception per frame.
/// </summary>
/// <remarks>
/// A VALE switch (like a NIC) completes a TX sync at once and drops what does not fit in the
/// receiver's RX ring, so a sender faster than its receiver loses frames there, as netmap's
/// pkt-gen does. txrx runs both ends in one process, so it can do better: it keeps at most
/// <c>window</c> frames (the receiver's RX capacity) beyond what the receiver has accounted
/// for, and then waits for it. Frames that are really lost would stall that wait, so it gives
/// up after <see cref="WindowTimeout"/> and sends on. A pipe pushes back by itself.
/// </remarks>
internal static class SenderLoop
{
    /// <summary>How long the sender waits for the receiver to open the window before it
    /// counts the frames in flight as lost and sends on.</summary>
    public static readonly TimeSpan WindowTimeout = TimeSpan.FromMilliseconds(250);   // long enough for a descheduled receiver on a busy machine

    /// <summary>Sends up to <paramref name="count"/> frames numbered from 0; returns how many
    /// were handed to the kernel, and when the last batch went out.</summary>
    public static (long Sent, long EndTimestamp) Run(NetmapPort port, FrameBuilder builder, long count, int batch, RunControl control, PktGenCounters counters, long window = long.MaxValue)
    {
        long windowTimeoutTicks = (long)(WindowTimeout.TotalSeconds * Stopwatch.Frequency);
        int first = port.FirstTxRing;
        int last = port.LastTxRing;
        ushort size = (ushort)builder.Size;
        long sent = 0;
        ulong sequence = 0;
        byte[]? jumbo = MultiSlotFrames.Needed(port, builder.Size) ? new byte[builder.Size] : null;

        while (sent < count && !control.ShouldStop)
        {
            long budget = Math.Min(batch, count - sent);
            if (window != long.MaxValue)
            {
                budget = Math.Min(budget, WaitForWindow(sent, window, counters, control, windowTimeoutTicks));
            }
            long filled = 0;
            for (int r = first; r < last && filled < budget; r++)
            {
                NetmapRing ring = port.GetTxRing(r);
                if (jumbo is not null)
                {
                    filled += MultiSlotFrames.Write(ring, builder, jumbo, budget - filled, ref sequence);
                    continue;
                }
                uint n = (uint)Math.Min(ring.Space, budget - filled);
                uint i = ring.Head;
                for (uint k = 0; k < n; k++)
                {
                    builder.Write(ring.GetBuffer(i), sequence++);
                    ring[i].Length = size;
                    i = ring.Next(i);
                }
                ring.Advance(n);
                filled += n;
            }

            if (filled == 0)
            {
                // Every ring is full: Poll flushes like a TX sync and returns once slots are free.
                port.Poll(NetmapPollEvents.Transmit, RunControl.PollSlice);
                continue;
            }
            port.TxSync();
            sent += filled;
            counters.PublishSent(sent);
        }
        return (sent, Stopwatch.GetTimestamp());
    }

    // Frames the window allows now: waits (spinning, then yielding) while the receiver is a
    // full window behind, at most `timeoutTicks`; after that sends as if the frames in flight were lost.
    private static long WaitForWindow(long sent, long window, PktGenCounters counters, RunControl control, long timeoutTicks)
    {
        long open = window - (sent - counters.Accounted);
        if (open > 0)
        {
            return open;
        }
        long start = Stopwatch.GetTimestamp();
        SpinWait spin = default;
        while ((open = window - (sent - counters.Accounted)) <= 0)
        {
            if (Stopwatch.GetTimestamp() - start >= timeoutTicks || control.ShouldStop)
            {
                return window;
            }
            spin.SpinOnce();
        }
        return open;
    }
}
