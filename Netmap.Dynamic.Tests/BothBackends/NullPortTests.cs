using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// Null ports (<c>NR_REG_NULL</c>, <see cref="NetmapPortOptions.NullPort"/>): rings of any count in
/// an existing allocator, attached to nothing. ctrl-api-test 35 (null_port), 36 (null_port_all_zero)
/// and 37 (null_port_sync).
/// </summary>
public sealed class NullPortTests(BackendKind kind) : TwoBackendTest(kind)
{
    private static NetmapPortOptions Null(int txRings, int rxRings, int txSlots, int rxSlots) =>
        new() { NullPort = true, TxRings = txRings, RxRings = rxRings, TxSlots = txSlots, RxSlots = rxSlots };

    [Test]
    public void A_null_port_gets_the_rings_and_slots_it_asks_for_in_the_allocator_it_names()
    {
        using NetmapPort port = Backend.OpenPort($"netmap:{Unique("nmnull")}@1", Null(10, 5, 256, 100));
        Assert.Multiple(() =>
        {
            Assert.That((port.TxRingCount, port.RxRingCount), Is.EqualTo((10, 5)));
            Assert.That((port.TxSlots, port.RxSlots), Is.EqualTo((256, 100)));
            Assert.That((port.FirstTxRing, port.LastTxRing, port.FirstRxRing, port.LastRxRing), Is.EqualTo((0, 10, 0, 5)), "every ring is bound");
            Assert.That(port.MemId, Is.EqualTo((ushort)1), "the global allocator");
        });
    }

    [Test]
    public void A_null_port_in_a_pipes_allocator_can_swap_buffers_with_the_pipe()
    {
        using PipePair pipe = OpenPipe("nullmem");
        using NetmapPort port = Backend.OpenPort($"netmap:{Unique("nmnull")}@{pipe.Master.MemId}", Null(1, 1, 64, 64));
        Assert.That(port.MemId, Is.EqualTo(pipe.Master.MemId));
        Assert.That(port.GetTxRing(0).SharesMemoryWith(pipe.Master.GetRxRing(0)), Is.True);
    }

    [Test]
    public void A_null_port_that_asks_for_nothing_has_no_rings()
    {
        using NetmapPort port = Backend.OpenPort($"netmap:{Unique("nmnull")}@1", Null(0, 0, 0, 0));
        Assert.That((port.TxRingCount, port.RxRingCount, port.RegionSize > 0), Is.EqualTo((0, 0, true)));
    }

    [Test]
    public void A_sync_on_a_null_port_succeeds_and_moves_nothing()
    {
        using NetmapPort port = Backend.OpenPort($"netmap:{Unique("nmnull")}@1", Null(2, 2, 64, 64));
        NetmapRing tx = port.GetTxRing(0), rx = port.GetRxRing(1);
        Assert.That(tx.TryWrite(KernelFrames.Numbered(1)), Is.True);
        port.TxSync();
        port.RxSync();
        Assert.Multiple(() =>
        {
            Assert.That(KernelFrames.State(tx), Is.EqualTo((1, 1, 63)), "the sent slot is never completed");
            Assert.That(KernelFrames.State(rx), Is.EqualTo((0, 0, 0)), "nothing arrives");
        });
    }

    [Test]
    public void A_null_port_without_an_allocator_is_EINVAL()
    {
        string name = Unique("nmnull");
        Assert.That(Assert.Catch<NetmapException>(() => Backend.OpenPort($"netmap:{name}", Null(1, 1, 64, 64)).Dispose())!.Errno,
            Is.EqualTo(Errno.EINVAL), "no @N");
        Assert.That(Assert.Catch<NetmapException>(() => Backend.OpenPort($"netmap:{name}@999", Null(1, 1, 64, 64)).Dispose())!.Errno,
            Is.EqualTo(Errno.EINVAL), "no allocator has id 999");
    }
}
