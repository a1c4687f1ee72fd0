using BenchmarkDotNet.Attributes;
using Netmap.Dynamic.Fake;

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
    private FakeNetmapBackend _backend = null!;
    private NetmapPort _a = null!;
    private NetmapPort _b = null!;
    private byte[] _frame = null!;

    [GlobalSetup]
    public void Setup()
    {
        _backend = new FakeNetmapBackend();
        _a = _backend.OpenPort("netmap:bench{1");
        _b = _backend.OpenPort("netmap:bench}1");
        _frame = BenchFrames.Frame();
        NetmapRing rx = _b.GetRxRing(0);
        for (uint i = 0; i < rx.SlotCount; i++)
        {
            _frame.CopyTo(rx.GetBuffer(i));
            rx[i].Length = BenchFrames.FrameLength;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _a.Dispose();
        _b.Dispose();
        _backend.Dispose();
    }

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
            if (tx.IsEmpty) GiveAllSlots(tx);
            tx.TryWrite(frame);
        }
    }

    [Benchmark(OperationsPerInvoke = BenchFrames.PerInvoke)]
    public uint RxDrain()
    {
        NetmapRing rx = _b.GetRxRing(0);
        uint total = 0;
        for (int n = 0; n < BenchFrames.PerInvoke; n++)
        {
            if (rx.IsEmpty) GiveAllSlots(rx);
            rx.TryRead(out ReadOnlySpan<byte> packet);
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
