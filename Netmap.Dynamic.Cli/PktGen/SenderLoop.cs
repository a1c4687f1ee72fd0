using System.Diagnostics;
using System.Runtime.CompilerServices;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>
/// pkt-gen's transmit loop: reserve up to a batch of free slots across the bound TX rings
/// (<see cref="NetmapRing.Reserve"/>: one check of the ring per batch, the slots as one span),
/// fill them straight in the ring buffers, commit, and sync once per batch; when every ring is
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
                int left = (int)(budget - filledNow);
                if (verify)
                {
                    int n = FillNumbered(ring, left, builder, sequence);
                    sequence += (ulong)n;
                    filledNow += n;
                }
                else
                {
                    filledNow += FillSame(ring, left, builder, filled.Ring(r));
                }
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

    // The default, netmap pkt-gen's work: a slot whose buffer already holds the frame only gets
    // its length. Fills up to `max` free slots of the ring in batches (a batch stops at the ring's
    // last slot, so a fill that crosses it takes two) and commits them; returns how many.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FillSame(NetmapRing ring, int max, FrameBuilder builder, uint[] filled)
    {
        ushort size = (ushort)builder.Size;
        int done = 0;
        while (done < max)
        {
            NetmapTxBatch batch = ring.Reserve(max - done);
            Span<NetmapSlot> slots = batch.Slots;   // contiguous: no check per slot
            if (slots.IsEmpty)
            {
                break;
            }
            Span<uint> memory = filled.AsSpan((int)batch.FirstSlot, slots.Length);
            // SetLengths does the steady state (every buffer holds the frame: set the length) and
            // stops at a slot whose buffer does not (the first round of the ring, or a buffer the
            // kernel swapped in), which gets the frame here; SetLengths then goes on from that slot.
            for (int i = SetLengths(slots, memory, 0, size); i < slots.Length; i = SetLengths(slots, memory, i, size))
            {
                builder.Write(batch.GetBuffer(i), 0);   // checks the buffer index the kernel gave
                memory[i] = slots[i].BufferIndex;
            }
            batch.Commit();
            done += slots.Length;
        }
        return done;
    }

    // Sets the length of the slots from `from` on while their buffer holds the frame; returns the
    // first slot whose buffer does not (or the end). A method of its own, not inlined: with the
    // frame writing in the same loop the JIT kept the loop's values on the stack (four loads and
    // two stores per slot, seen with DOTNET_JitDisasm); alone it keeps them all in registers.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int SetLengths(Span<NetmapSlot> slots, ReadOnlySpan<uint> memory, int from, ushort size)
    {
        for (int i = from; (uint)i < (uint)slots.Length; i++)
        {
            ref NetmapSlot slot = ref slots[i];
            if (memory[i] != slot.BufferIndex)
            {
                return i;
            }
            slot.Length = size;
        }
        return slots.Length;
    }

    // --verify: every frame is written whole with its own sequence number (a receiver on a
    // pipe may have changed the buffer it gave back; the check must see the sender's frame).
    // Fills and commits up to `max` slots like FillSame; returns how many.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FillNumbered(NetmapRing ring, int max, FrameBuilder builder, ulong sequence)
    {
        ushort size = (ushort)builder.Size;
        int done = 0;
        while (done < max)
        {
            NetmapTxBatch batch = ring.Reserve(max - done);
            Span<NetmapSlot> slots = batch.Slots;
            if (slots.IsEmpty)
            {
                break;
            }
            for (int i = 0; i < slots.Length; i++)
            {
                builder.Write(batch.GetBuffer(i), sequence++);
                slots[i].Length = size;
            }
            batch.Commit();
            done += slots.Length;
        }
        return done;
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
