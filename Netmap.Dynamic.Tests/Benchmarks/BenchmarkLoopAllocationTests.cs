using Netmap.Dynamic.Benchmarks;

namespace Netmap.Dynamic.Tests.Benchmarks;

/// <summary>
/// The steady-state loops the benchmarks measure (TX fill, RX drain, the TX and RX batches,
/// zero-copy forward, pipe round trip) allocate nothing: run each over a million frames and compare the thread's allocation
/// counter. A correctness test, not a timing one: it runs the benchmark methods themselves.
/// </summary>
public class BenchmarkLoopAllocationTests
{
    private const int Frames = 1_000_000;
    private const int Invocations = (Frames + BenchFrames.PerInvoke - 1) / BenchFrames.PerInvoke;

    private static long AllocatedBy(Action invocation)
    {
        invocation();   // warm up: JIT and tiering
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Invocations; i++) invocation();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Test]
    public void Ring_loops_allocate_nothing_over_a_million_frames()
    {
        RingBenchmarks bench = new();
        bench.Setup();
        try
        {
            Assert.Multiple(() =>
            {
                Assert.That(AllocatedBy(bench.TxFill), Is.Zero, "TX fill");
                Assert.That(AllocatedBy(() => bench.RxDrain()), Is.Zero, "RX drain");
                Assert.That(AllocatedBy(bench.Forward), Is.Zero, "forward");
                Assert.That(AllocatedBy(bench.TxBatchLength), Is.Zero, "TX batch, lengths only");
                Assert.That(AllocatedBy(() => bench.RxBatchCount()), Is.Zero, "RX batch, count and release");
            });
        }
        finally
        {
            bench.Cleanup();
        }
    }

    [Test]
    public void Pipe_round_trip_allocates_nothing_over_a_million_frames()
    {
        PipeBenchmarks bench = new();
        bench.Setup();
        try
        {
            Assert.That(AllocatedBy(() => bench.PipeRoundTrip()), Is.Zero);
        }
        finally
        {
            bench.Cleanup();
        }
    }

    [Test]
    public void Rx_drain_checksums_what_the_frames_hold()
    {
        // The benchmark's checksum is the RFC 1071 sum of 16-bit big-endian words: check it on bytes
        // whose sum is known by hand (0x0102 + 0x0304 + 0x0500 = 0x0906).
        Assert.That(BenchFrames.Checksum([1, 2, 3, 4, 5]), Is.EqualTo(0x0906u));
        Assert.That(BenchFrames.Checksum([0xff, 0xff, 0x00, 0x02]), Is.EqualTo(0x0002u), "end-around carry");
    }
}
