using BenchmarkDotNet.Attributes;

namespace Netmap.Dynamic.Benchmarks;

/// <summary>
/// Per-frame cost of the ring API on a real netmap region layout (a fake pipe's region), with no
/// sync: when a ring runs out the benchmark plays the kernel by moving <c>tail</c> to
/// <c>head - 1</c>, exactly as cref/ringbench.c does. Compare with ringbench's tx-fill, rx-drain
/// and forward.
/// </summary>
[MemoryDiagnoser]
public unsafe class RingBenchmarks
{
    private FakePipePair _pipe = null!;
    private NetmapPort _a = null!;
    private NetmapPort _b = null!;
    private byte[] _frame = null!;

    /// <summary>Slots per batch: netmap pkt-gen's default burst.</summary>
    public const int Burst = 512;

    [GlobalSetup]
    public void Setup()
    {
        _pipe = new FakePipePair("bench");
        _a = _pipe.Master;
        _b = _pipe.Slave;
        _frame = BenchFrames.Frame();
        NetmapRing rx = _b.GetRxRing(0);
        for (int i = 0; i < rx.SlotCount; i++)
        {
            _frame.CopyTo(rx.GetBuffer(i));
            rx[i].Length = BenchFrames.FrameLength;
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _pipe.Dispose();

    /// <summary>The kernel's part, outside the measured API: hand every slot to the user.</summary>
    private static void GiveAllSlots(NetmapRing ring)
    {
        uint head = ring.RawRing->head;
        ring.RawRing->tail = head == 0 ? (uint)ring.SlotCount - 1 : head - 1;
    }

    [Benchmark(OperationsPerInvoke = BenchFrames.PerInvoke)]
    public void TxFill()
    {
        NetmapRing tx = _a.GetTxRing(0);
        ReadOnlySpan<byte> frame = _frame;
        for (int n = 0; n < BenchFrames.PerInvoke; n++)
        {
            if (!tx.TryWrite(frame))
            {
                GiveAllSlots(tx);   // the ring is full: the "kernel" completes every slot
                tx.TryWrite(frame);
            }
        }
    }

    [Benchmark(OperationsPerInvoke = BenchFrames.PerInvoke)]
    public uint RxDrain()
    {
        NetmapRing rx = _b.GetRxRing(0);
        uint total = 0;
        for (int n = 0; n < BenchFrames.PerInvoke; n++)
        {
            if (!rx.TryRead(out ReadOnlySpan<byte> packet))
            {
                GiveAllSlots(rx);   // the ring is empty: the "kernel" delivers a ring full
                rx.TryRead(out packet);
            }
            total += BenchFrames.Checksum(packet);
        }
        return total;
    }

    /// <summary>
    /// netmap pkt-gen's default TX work with the batch API: every buffer already holds the frame,
    /// so per slot only <c>flags</c> and <c>len</c> are written, through the batch's slot span;
    /// <c>head</c>/<c>cur</c> once per batch of up to <see cref="Burst"/>. C: ringbench's tx-len.
    /// </summary>
    [Benchmark(OperationsPerInvoke = BenchFrames.PerInvoke)]
    public void TxBatchLength()
    {
        NetmapRing tx = _a.GetTxRing(0);
        for (int n = 0; n < BenchFrames.PerInvoke;)
        {
            NetmapTxBatch batch = tx.Reserve(Math.Min(Burst, BenchFrames.PerInvoke - n));
            if (batch.IsEmpty)
            {
                GiveAllSlots(tx);   // the ring is full: the "kernel" completes every slot
                continue;
            }
            foreach (ref NetmapSlot slot in batch.Slots)
            {
                slot.Flags = 0;
                slot.Length = BenchFrames.FrameLength;
            }
            n += batch.Count;
            batch.Commit();
        }
    }

    /// <summary>
    /// netmap pkt-gen's default RX work with the batch API: per packet read <c>len</c> and
    /// <c>flags</c> through the batch's slot span (bytes and complete frames counted), release the
    /// batch at once. C: ringbench's rx-count.
    /// </summary>
    [Benchmark(OperationsPerInvoke = BenchFrames.PerInvoke)]
    public long RxBatchCount()
    {
        NetmapRing rx = _b.GetRxRing(0);
        long bytes = 0, frames = 0;
        for (int n = 0; n < BenchFrames.PerInvoke;)
        {
            NetmapRxBatch batch = rx.Peek(Math.Min(Burst, BenchFrames.PerInvoke - n));
            if (batch.IsEmpty)
            {
                GiveAllSlots(rx);   // the ring is empty: the "kernel" delivers a ring full
                continue;
            }
            foreach (ref readonly NetmapSlot slot in batch.Slots)
            {
                bytes += slot.Length;
                if ((slot.Flags & Interop.NetmapSlotFlags.NS_MOREFRAG) == 0) frames++;
            }
            n += batch.Count;
            batch.Release();
        }
        return bytes + frames;
    }

    [Benchmark(OperationsPerInvoke = BenchFrames.PerInvoke)]
    public void Forward()
    {
        NetmapRing rx = _b.GetRxRing(0);
        NetmapRing tx = _b.GetTxRing(0);
        for (int n = 0; n < BenchFrames.PerInvoke; n++)
        {
            if (!NetmapZeroCopy.TryForward(rx, tx))
            {
                // The kernel's part, outside the measured API: refill whichever ring ran out.
                if (rx.IsEmpty) GiveAllSlots(rx);
                if (tx.IsEmpty) GiveAllSlots(tx);
                NetmapZeroCopy.TryForward(rx, tx);
            }
        }
    }
}
