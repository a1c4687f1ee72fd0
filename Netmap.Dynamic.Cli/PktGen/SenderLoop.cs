using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>
/// pkt-gen's transmit loop: fill up to a batch of free slots across the bound TX rings
/// straight in the ring buffers, advance head/cur, and sync once per batch; when every ring is
/// full, wait in Poll for the peer to free slots. No allocation and no exception per frame.
/// Filling is the per-frame work: by default only the slot's length once the buffer holds the
/// frame (netmap pkt-gen's work, see <see cref="TxBufferMemory"/>); with --verify the whole
/// frame with its sequence number and checksum.
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

    /// <summary>Sends up to <paramref name="count"/> frames; returns how many were handed to the
    /// kernel, when the loop started and when the last batch went out. With <paramref name="verify"/> the frames carry
    /// the sequence numbers 0, 1, 2, ... (and a UDP checksum to match); without, every frame is
    /// the same (sequence 0), so a buffer is written only the first time a slot brings it round.
    /// <paramref name="filled"/> remembers which buffers hold the frame already (a new one when
    /// null; tests pass one to run the loop twice over the same ring).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (long Sent, long StartTimestamp, long EndTimestamp) Run(NetmapPort port, FrameBuilder builder, long count, int batch, bool verify, RunControl control, PktGenCounters counters,
        long window = long.MaxValue, TxBufferMemory? filled = null)
    {
        long windowTimeoutTicks = (long)(WindowTimeout.TotalSeconds * Stopwatch.Frequency);
        int first = port.FirstTxRing;
        int last = port.LastTxRing;
        filled ??= new TxBufferMemory(port);
        long sent = 0;
        ulong sequence = 0;
        long start = Stopwatch.GetTimestamp();   // like netmap pkt-gen's tic: when the loop starts, not the thread
        byte[]? jumbo = MultiSlotFrames.ScratchFor(port, builder.Size);   // frames longer than a buffer span slots

        while (sent < count && !control.ShouldStop)
        {
            long budget = Math.Min(batch, count - sent);
            if (window != long.MaxValue)
            {
                budget = Math.Min(budget, WaitForWindow(sent, window, counters, control, windowTimeoutTicks));
            }
            long filledNow = 0;
            for (int r = first; r < last && filledNow < budget; r++)
            {
                NetmapRing ring = port.GetTxRing(r);
                if (jumbo is not null)
                {
                    filledNow += MultiSlotFrames.Write(ring, builder, jumbo, budget - filledNow, ref sequence);
                    continue;
                }
                uint n = (uint)Math.Min(ring.Space, budget - filledNow);
                if (n == 0)
                {
                    continue;
                }
                if (verify)
                {
                    FillNumbered(ring, n, builder, sequence);
                    sequence += n;
                }
                else
                {
                    FillSame(ring, n, builder, filled.Ring(r));
                }
                ring.Advance(n);
                filledNow += n;
            }

            if (filledNow == 0)
            {
                // Every ring is full: Poll flushes like a TX sync and returns once slots are free.
                port.Poll(NetmapPollEvents.Transmit, RunControl.PollSlice);
                continue;
            }
            if (filledNow < budget)
            {
                // The fill took every free slot: the next pass would only find full rings and
                // wait. Poll hands these slots to the kernel like a TX sync and then waits for
                // room, so a full ring costs one call per batch (netmap's pkt-gen polls too).
                port.Poll(NetmapPollEvents.Transmit, RunControl.PollSlice);
            }
            else
            {
                port.TxSync();
            }
            sent += filledNow;
            counters.PublishSent(sent);
        }
        return (sent, start, Stopwatch.GetTimestamp());
    }

    // The default, netmap pkt-gen's work: a slot whose buffer already holds the frame only gets its length.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FillSame(NetmapRing ring, uint n, FrameBuilder builder, uint[] filled)
    {
        ushort size = (ushort)builder.Size;
        uint slots = ring.SlotCount;
        uint i = ring.Head;
        for (uint k = 0; k < n; k++)
        {
            ref NetmapSlot slot = ref ring[i];   // the one checked access per frame
            uint buffer = slot.BufferIndex;
            if (filled[i] != buffer)
            {
                builder.Write(ring.GetBuffer(i), 0);
                filled[i] = buffer;
            }
            slot.Length = size;
            i = i + 1 == slots ? 0 : i + 1;      // ring.Next without a second lifetime check
        }
    }

    // --verify: every frame is written whole with its own sequence number (a receiver on a
    // pipe may have changed the buffer it gave back; the check must see the sender's frame).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FillNumbered(NetmapRing ring, uint n, FrameBuilder builder, ulong sequence)
    {
        ushort size = (ushort)builder.Size;
        uint i = ring.Head;
        for (uint k = 0; k < n; k++)
        {
            builder.Write(ring.GetBuffer(i), sequence++);
            ring[i].Length = size;
            i = ring.Next(i);
        }
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
