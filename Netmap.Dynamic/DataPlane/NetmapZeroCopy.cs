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
    public static void SwapBuffers(NetmapRing rx, uint rxIndex, NetmapRing tx, uint txIndex)
    {
        if (!rx.SharesMemoryWith(tx))
            throw new ArgumentException(
                $"Cannot swap buffers between different memory regions (mem_id {rx.MemId} and {tx.MemId}); copy the packet instead.",
                nameof(tx));
        ref NetmapSlot rs = ref rx[rxIndex];
        ref NetmapSlot ts = ref tx[txIndex];
        uint rxBuffer = rs.BufferIndex, txBuffer = ts.BufferIndex;
        rx.CheckBufferIndex(rxBuffer, rxIndex);
        tx.CheckBufferIndex(txBuffer, txIndex);
        if (rs.Length > rx.BufferSize)
            throw new InvalidOperationException($"RX slot {rxIndex} has len {rs.Length}, more than nr_buf_size {rx.BufferSize} (corrupt slot).");
        ts.BufferIndex = rxBuffer;
        ts.Length = rs.Length;
        ts.Flags |= NetmapSlotFlags.NS_BUF_CHANGED;
        rs.BufferIndex = txBuffer;
        rs.Flags |= NetmapSlotFlags.NS_BUF_CHANGED;
    }
}
