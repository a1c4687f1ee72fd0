using BenchmarkDotNet.Attributes;

namespace Netmap.Dynamic.Benchmarks;

/// <summary>
/// A pipe round trip on the fake backend, one thread: write up to a batch on one end, TX sync,
/// RX sync the other end, read every frame. cref/pipebench.c runs the same loop over the same
/// emulation written in C.
/// </summary>
[MemoryDiagnoser]
public class PipeBenchmarks
{
    private const int Batch = 256;
    private FakePipePair _pipe = null!;
    private NetmapPort _a = null!;
    private NetmapPort _b = null!;
    private byte[] _frame = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pipe = new FakePipePair("roundtrip");
        _a = _pipe.Master;
        _b = _pipe.Slave;
        _frame = BenchFrames.Frame();
    }

    [GlobalCleanup]
    public void Cleanup() => _pipe.Dispose();

    [Benchmark(OperationsPerInvoke = BenchFrames.PerInvoke)]
    public long PipeRoundTrip()
    {
        NetmapRing tx = _a.GetTxRing(0);
        NetmapRing rx = _b.GetRxRing(0);
        ReadOnlySpan<byte> frame = _frame;
        long sent = 0, received = 0, total = 0;
        while (received < BenchFrames.PerInvoke)
        {
            for (int n = 0; n < Batch && sent < BenchFrames.PerInvoke && tx.TryWrite(frame); n++) sent++;
            _a.TxSync();
            _b.RxSync();
            while (rx.TryRead(out ReadOnlySpan<byte> packet))
            {
                if (packet.Length != BenchFrames.FrameLength) throw new InvalidOperationException("corrupt frame");
                total += packet[0];
                received++;
            }
        }
        return total;
    }
}
