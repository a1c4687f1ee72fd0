using System.Runtime.CompilerServices;
using Netmap.Dynamic.Cli.Shared;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Cli.Lb;

/// <summary>
/// The balancer's one thread, as netmap's <c>lb</c>: one <see cref="NetmapPoller"/> wait over the
/// input (frames) and the outputs (room, for those that are full), then every frame on the input's
/// RX rings goes to one output pipe of each group, chosen by the frame's symmetric
/// <see cref="FlowHash"/>, so both directions of a flow land on the same pipe. Into the first group
/// by buffer swap when the pipes share the input's memory (zero copy), otherwise, and into later
/// groups, by copy. A full pipe puts the frame into its overflow queue, or drops it. The outputs'
/// TX syncs come with the next poll (the ports poll TX). No allocation per frame.
/// </summary>
internal static class LbLoop
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(NetmapPort input, LbOutput[][] groups, bool zeroCopy, int batch, RunControl control, LbCounters counters)
    {
        LbOutput[] outputs = [.. groups.SelectMany(g => g)];
        using NetmapPoller poller = new();
        int inputIndex = poller.Add(input, NetmapPollEvents.Receive);
        foreach (LbOutput output in outputs)
        {
            poller.Add(output.Port, NetmapPollEvents.None);
        }
        uint lastHash = 0;
        bool continued = false;   // the previous slot had NS_MOREFRAG: this one belongs to the same frame
        while (!control.ShouldStop)
        {
            for (int i = 0; i < outputs.Length; i++)
            {
                bool full = outputs[i].Port.GetTxRing(0).IsEmpty;   // no free slot: wait for the receiver to release
                poller.SetEvents(i + 1, full && outputs[i].Queue is { Count: > 0 } ? NetmapPollEvents.Transmit : NetmapPollEvents.None);
            }
            if (poller.Poll(RunControl.PollSlice) == 0)
            {
                continue;
            }
            foreach (LbOutput output in outputs)
            {
                DrainQueue(output);
            }
            if (!poller.IsReady(inputIndex, NetmapPollEvents.Receive))
            {
                continue;
            }
            int sinceSync = 0;
            for (int r = input.FirstRxRing; r < input.LastRxRing; r++)
            {
                NetmapRing rx = input.GetRxRing(r);
                while (!rx.IsEmpty)
                {
                    int slot = rx.Head;
                    ReadOnlySpan<byte> frame = rx.GetPacket(slot);
                    uint hash = continued ? lastHash : FlowHash.Of(frame);
                    lastHash = hash;
                    continued = (rx[slot].Flags & NetmapSlotFlags.NS_MOREFRAG) != 0;
                    counters.Received(frame.Length);
                    for (int g = groups.Length - 1; g >= 0; g--)   // copies first, the swap (first group) last
                    {
                        LbOutput[] group = groups[g];
                        Deliver(group[(int)(hash % (uint)group.Length)], rx, slot, frame, zeroCopy && g == 0);
                    }
                    rx.Advance(1);
                    if (++sinceSync >= batch)
                    {
                        input.RxSync();   // give slots back early, as netmap's lb does every batch
                        sinceSync = 0;
                    }
                }
            }
        }
        input.RxSync();
        foreach (LbOutput output in outputs)
        {
            output.Port.TxSync();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Deliver(LbOutput output, in NetmapRing rx, int slot, ReadOnlySpan<byte> frame, bool swap)
    {
        NetmapRing tx = output.Port.GetTxRing(0);
        if (!tx.IsEmpty && output.Queue is not { Count: > 0 })   // queued frames go first, in order
        {
            int t = tx.Head;
            if (swap)
            {
                NetmapZeroCopy.SwapBuffers(rx, slot, tx, t);
            }
            else
            {
                frame.CopyTo(tx.GetBuffer(t));
                tx[t].Length = (ushort)frame.Length;
            }
            tx.Advance(1);
            output.CountSent(frame.Length);
            return;
        }
        if (output.Queue is null || !output.Queue.TryEnqueue(frame))
        {
            output.CountDropped();
        }
    }

    private static void DrainQueue(LbOutput output)
    {
        OverflowQueue? queue = output.Queue;
        if (queue is null)
        {
            return;
        }
        NetmapRing tx = output.Port.GetTxRing(0);
        while (queue.Count > 0 && !tx.IsEmpty)
        {
            ReadOnlySpan<byte> frame = queue.Peek();
            int t = tx.Head;
            frame.CopyTo(tx.GetBuffer(t));
            tx[t].Length = (ushort)frame.Length;
            tx.Advance(1);
            output.CountSent(frame.Length);
            queue.Dequeue();
        }
    }
}

/// <summary>What the input received (read from any thread).</summary>
internal sealed class LbCounters
{
    private long _frames;
    private long _bytes;

    public long Frames => Volatile.Read(ref _frames);

    public long Bytes => Volatile.Read(ref _bytes);

    public void Received(int length)
    {
        Volatile.Write(ref _frames, _frames + 1);
        Volatile.Write(ref _bytes, _bytes + length);
    }
}
