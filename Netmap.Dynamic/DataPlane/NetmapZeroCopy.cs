using System.Diagnostics.CodeAnalysis;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic;

/// <summary>Zero-copy forwarding: move a packet from an RX slot to a TX slot by swapping buffer indexes.</summary>
public static class NetmapZeroCopy
{
    /// <summary>
    /// Swaps the buffers of RX slot <paramref name="rxIndex"/> and TX slot <paramref name="txIndex"/>:
    /// the TX slot gets the received packet (buffer and length), the RX slot the TX slot's old buffer,
    /// and both are marked <c>NS_BUF_CHANGED</c> so the kernel reloads them. The caller still advances
    /// both rings. Both rings must map the same memory allocator (same <c>nr_mem_id</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The rings belong to different memory regions.</exception>
    public static void SwapBuffers(in NetmapRing rx, int rxIndex, in NetmapRing tx, int txIndex)
    {
        // The indexers check both lifetimes and slot indexes; everything after them is unchecked access.
        ref NetmapSlot rs = ref rx[rxIndex];
        ref NetmapSlot ts = ref tx[txIndex];
        if (!rx.SharesMemoryWithUnchecked(in tx)) ThrowDifferentRegions(rx, tx);
        uint rxBuffer = rs.BufferIndex, txBuffer = ts.BufferIndex;
        rx.CheckBufferIndex(rxBuffer, (uint)rxIndex);
        tx.CheckBufferIndex(txBuffer, (uint)txIndex);
        ushort length = rs.Length;
        if (length > rx.BufferSizeUnchecked) ThrowLength(rxIndex, length, rx.BufferSizeUnchecked);
        ts.BufferIndex = rxBuffer;
        ts.Length = length;
        ts.Flags |= NetmapSlotFlags.NS_BUF_CHANGED;
        rs.BufferIndex = txBuffer;
        rs.Flags |= NetmapSlotFlags.NS_BUF_CHANGED;
    }

    /// <summary>
    /// The whole forwarding step for the common loop: when both rings have a slot at their head,
    /// swaps those two slots' buffers (as <see cref="SwapBuffers"/> does, <c>NS_BUF_CHANGED</c> on
    /// both), advances both rings by one and returns true; returns false, changing nothing, when
    /// either ring is empty (sync or poll, then retry).
    /// </summary>
    /// <exception cref="ArgumentException">The rings belong to different memory regions.</exception>
    public static bool TryForward(in NetmapRing rx, in NetmapRing tx) => NetmapRing.TryForward(in rx, in tx);

    /// <summary>
    /// Forwards received frames to free TX slots with no copy: swaps the buffers of as many positions
    /// as both batches have (position <c>i</c> of <paramref name="received"/> into position <c>i</c> of
    /// <paramref name="send"/>, <c>NS_BUF_CHANGED</c> on both), then releases that many received
    /// frames and commits that many TX slots. Returns the count; what is left of the received batch
    /// stays in its ring for the next receive. Sync the TX port (or poll it) to send them.
    /// </summary>
    /// <exception cref="ArgumentException">The two ports do not share a memory region (same <c>nr_mem_id</c>).</exception>
    public static int Forward(ref NetmapRxBatch received, ref NetmapTxBatch send)
    {
        int n = Math.Min(received.Count, send.Count);
        if (n > 0)
        {
            BatchSlots rx = received.Batch, tx = send.Batch;
            NetmapRing rxRing = rx.Ring, txRing = tx.Ring;
            for (int i = 0; i < n; i++)
                SwapBuffers(in rxRing, (int)rx.RingIndex(i), in txRing, (int)tx.RingIndex(i));
        }
        received.Release(n);
        send.Commit(n);
        return n;
    }

    [DoesNotReturn]
    internal static void ThrowDifferentRegions(in NetmapRing rx, in NetmapRing tx) =>
        throw new ArgumentException(
            $"Cannot swap buffers between different memory regions (mem_id {rx.MemId} and {tx.MemId}); copy the packet instead.",
            nameof(tx));

    [DoesNotReturn]
    private static void ThrowLength(int rxIndex, uint length, uint bufferSize) =>
        throw new InvalidOperationException($"RX slot {rxIndex} has len {length}, more than nr_buf_size {bufferSize} (corrupt slot).");
}
