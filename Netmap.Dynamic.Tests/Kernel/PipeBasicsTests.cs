namespace Netmap.Dynamic.Tests.Kernel;

/// <summary>First rules of the two-backend suite: a pipe's two ends and the frames between them.</summary>
public sealed class PipeBasicsTests(BackendKind kind) : TwoBackendTest(kind)
{
    [Test]
    public void Both_ends_of_a_pipe_share_one_memory_region()
    {
        string pipe = Unique("pb");
        using NetmapPort master = Backend.OpenPort($"netmap:{pipe}{{1");
        using NetmapPort slave = Backend.OpenPort($"netmap:{pipe}}}1");

        Assert.Multiple(() =>
        {
            Assert.That(slave.MemId, Is.EqualTo(master.MemId));
            Assert.That(master.GetTxRing(0).SharesMemoryWith(slave.GetRxRing(0)), Is.True);
        });
    }

    [Test]
    public void A_frame_crosses_a_pipe_only_after_the_senders_sync_and_the_receivers_sync()
    {
        string pipe = Unique("pb");
        using NetmapPort master = Backend.OpenPort($"netmap:{pipe}{{1");
        using NetmapPort slave = Backend.OpenPort($"netmap:{pipe}}}1");
        byte[] frame = [.. Enumerable.Range(0, 60).Select(i => (byte)(i * 7))];

        Assert.That(master.GetTxRing(0).TryWrite(frame), Is.True);
        slave.RxSync();
        Assert.That(slave.GetRxRing(0).IsEmpty, Is.True, "nothing crosses before the sender's sync");

        master.TxSync();
        Assert.That(slave.GetRxRing(0).IsEmpty, Is.True, "nothing appears on RX without the receiver's syscall");
        slave.RxSync();
        Assert.That(slave.GetRxRing(0).TryRead(out ReadOnlySpan<byte> got), Is.True);
        Assert.That(got.ToArray(), Is.EqualTo(frame));
    }
}
