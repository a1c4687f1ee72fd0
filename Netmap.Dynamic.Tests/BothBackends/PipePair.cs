namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>Both ends of one pipe; disposing the pair closes both.</summary>
public sealed record PipePair(NetmapPort Master, NetmapPort Slave) : IDisposable
{
    /// <summary>
    /// The master sends <paramref name="frames"/> frames (<see cref="KernelFrames.Numbered"/>) on TX
    /// ring <paramref name="ring"/>; the slave reads and releases them all. The master has not synced
    /// since, so its TX ring does not show the released slots yet.
    /// </summary>
    public void SendAndRelease(int frames, int ring = 0)
    {
        NetmapRing tx = Master.GetTxRing(ring), rx = Slave.GetRxRing(ring);
        for (int i = 0; i < frames; i++) Assert.That(tx.TryWrite(KernelFrames.Numbered(i)), Is.True);
        Master.TxSync();
        Slave.RxSync();
        Assert.That(rx.Space, Is.EqualTo((uint)frames), "every frame arrived");
        rx.Advance(rx.Space);
        Slave.RxSync();
    }

    public void Dispose()
    {
        Master.Dispose();
        Slave.Dispose();
    }
}
