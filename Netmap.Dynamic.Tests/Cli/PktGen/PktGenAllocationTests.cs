using Netmap.Dynamic.Cli.PktGen;
using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Tests.Cli.PktGen;

/// <summary>The hot loops allocate nothing per frame: a run 20 times longer allocates far less than a byte per extra frame.</summary>
public class PktGenAllocationTests
{
    private static long AllocatedBy(long frames, bool verify)
    {
        using FakeNetmapBackend backend = new();
        PktGenOptions options = new() { Peer = PktGenOptions.DefaultPeer, Count = frames, Verify = verify, RateIntervalSeconds = 0 };
        long before = GC.GetTotalAllocatedBytes(precise: true);
        PktGenResult result = new PktGenRunner().Run(options, backend, TextWriter.Null, CancellationToken.None);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.That(result.Received, Is.EqualTo(frames));
        return allocated;
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Allocation_does_not_grow_with_the_number_of_frames(bool verify)
    {
        AllocatedBy(10_000, verify);   // warm up: JIT, tiering, statics
        long small = AllocatedBy(10_000, verify);
        long large = AllocatedBy(200_000, verify);
        TestContext.Out.WriteLine($"allocated: {small} B for 10k frames, {large} B for 200k frames");
        // 190,000 more frames: the smallest object per frame (24 B) would add 4.5 MB. What does
        // grow is a few dozen bytes per Poll that really blocks (inside the fake), and how often
        // a ring runs full or empty depends on thread timing, so allow less than a byte a frame.
        Assert.That(large - small, Is.LessThan(190_000));
    }
}
