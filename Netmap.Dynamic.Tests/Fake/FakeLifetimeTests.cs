using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Tests.Fake;

/// <summary>The fake's memory: disposing frees every region, cycles leak nothing (wake-ups: BothBackends/DisposeStressTests).</summary>
public class FakeLifetimeTests
{
    [Test]
    public void Disposing_the_backend_closes_every_port_and_frees_every_region()
    {
        var backend = new FakeNetmapBackend();
        backend.AddInterface("eth0");
        NetmapPort[] ports = [backend.OpenPort("netmap:eth0"), backend.OpenPort("vale0:a"), backend.OpenPort("netmap:p{1")];
        NetmapRing ring = ports[0].GetTxRing(0);
        Assert.That(backend.AllocatedRegions, Is.EqualTo(3));
        backend.Dispose();
        Assert.That(ports.All(p => p.IsDisposed), Is.True);
        Assert.Throws<ObjectDisposedException>(() => _ = ring.Head);
        Assert.That((backend.AllocatedRegions, backend.AllocatedRegionBytes), Is.EqualTo((0, 0L)));
        Assert.Throws<ObjectDisposedException>(() => backend.OpenPort("netmap:p{2"));
    }

    [Test]
    public void Ten_thousand_open_close_cycles_leave_nothing_behind()
    {
        using var backend = new FakeNetmapBackend();
        backend.AddInterface("eth0");
        for (int i = 0; i < 3000; i++) CycleOnce(backend, i);   // warm up every path (JIT tiers, runtime caches)
        long managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var samples = new List<WeakReference>();
        for (int i = 0; i < 10_000; i++)
        {
            NetmapPort port = CycleOnce(backend, i);
            if (i % 500 == 0) samples.Add(new WeakReference(port));
            if (backend.AllocatedRegions != 0) Assert.Fail($"cycle {i}: {backend.AllocatedRegions} regions still allocated");
        }
        long managedAfter = GC.GetTotalMemory(forceFullCollection: true);
        GC.WaitForPendingFinalizers();
        GC.Collect();
        TestContext.Out.WriteLine($"managed memory before {managedBefore} after {managedAfter}");
        Assert.That(backend.AllocatedRegionBytes, Is.Zero, "native regions freed");
        Assert.That(backend.RegistryEntries, Is.Zero, "the backend keeps nothing of closed ports");
        Assert.That(samples.Count(w => w.IsAlive), Is.Zero, "closed ports are collectable");
        // A loose bound (runtime warm-up, background JIT): a leak of 200 B per cycle would exceed it.
        Assert.That(managedAfter - managedBefore, Is.LessThan(2 << 20), "managed memory does not grow with cycles");
    }

    private static NetmapPort CycleOnce(FakeNetmapBackend backend, int i)
    {
        string spec = (i % 3) switch { 0 => "netmap:eth0", 1 => "vale9:x", _ => "netmap:cyc{7" };
        using NetmapPort port = backend.OpenPort(spec);
        port.GetTxRing(0).TryWrite([1, 2, 3]);
        port.TxSync();
        if (spec == "netmap:eth0") Assert.That(backend.GetInterface("eth0").TakeTransmitted(), Has.Count.EqualTo(1));   // the hook's record is the test's to take
        return port;
    }
}
