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

    [GlobalSetup]
    public void Setup()
    {
        _pipe = new FakePipePair("bench");
        _a = _pipe.Master;
        _b = _pipe.Slave;
        _frame = BenchFrames.Frame();
        NetmapRing rx = _b.GetRxRing(0);
        for (uint i = 0; i < rx.SlotCount; i++)
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
        ring.RawRing->tail = head == 0 ? ring.SlotCount - 1 : head - 1;
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
