using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>What a register (open) answers: second opens, exclusive opens, unknown ports, @conf counts, one-ring specs (port info: <see cref="PortInfoRulesTests"/>).</summary>
public sealed class RegisterRulesTests(BackendKind kind) : TwoBackendTest(kind)
{
    private static readonly NetmapPortOptions s_exclusive = new() { ExtraFlags = NetmapRegisterFlags.NR_EXCLUSIVE };

    [Test]
    public void A_second_plain_open_of_a_pipe_end_or_a_vale_port_succeeds_with_its_own_interface()
    {
        string pipe = Unique("ro"), sw = UniqueSwitch();
        using NetmapPort m1 = Backend.OpenPort($"netmap:{pipe}{{1");
        using NetmapPort m2 = Backend.OpenPort($"netmap:{pipe}{{1");
        using NetmapPort a1 = Backend.OpenPort($"{sw}:a");
        using NetmapPort a2 = Backend.OpenPort($"{sw}:a");

        Assert.Multiple(() =>
        {
            Assert.That(m2.MemId, Is.EqualTo(m1.MemId));
            Assert.That((m1.InterfaceOffset, m2.InterfaceOffset), Is.EqualTo((0L, 1024L)), "each open gets its own netmap_if, the next in its allocator");
            Assert.That(a2.MemId, Is.EqualTo(a1.MemId));
            Assert.That((a1.InterfaceOffset, a2.InterfaceOffset), Is.EqualTo((0L, 1024L)));
        });
    }

    [TestCase("vale")]
    [TestCase("pipe")]
    public void An_exclusive_open_of_a_port_already_open_is_EBUSY(string what)
    {
        string spec = What(what);
        using NetmapPort plain = Backend.OpenPort(spec);

        NetmapBusyException? e = Assert.Throws<NetmapBusyException>(() => Backend.OpenPort(spec, s_exclusive));
        Assert.That(e!.Errno, Is.EqualTo(Errno.EBUSY));
        Assert.That(e.PortName, Is.EqualTo(plain.Name));
    }

    [TestCase("vale")]
    [TestCase("pipe")]
    public void Any_open_of_a_port_held_exclusively_is_EBUSY_until_the_holder_closes(string what)
    {
        // netmap's utils/tests/001 (ephemeral VALE port) and 003 (pipe).
        string spec = What(what);
        NetmapPort holder = Backend.OpenPort(spec + "/x");
        try
        {
            Assert.Throws<NetmapBusyException>(() => Backend.OpenPort(spec), "plain open");
            Assert.Throws<NetmapBusyException>(() => Backend.OpenPort(spec + "/x"), "exclusive open");
        }
        finally
        {
            holder.Dispose();
        }
        using NetmapPort after = Backend.OpenPort(spec + "/x");
        Assert.That(after.IsDisposed, Is.False, "exclusivity ends with the holder");
    }

    [TestCase("^")]
    [TestCase("*")]
    public void A_pipe_end_has_no_host_rings_to_bind_EINVAL(string suffix)
    {
        // ctrl-api-test's pipe_master: a pipe accepts only modes of hardware rings.
        NetmapException? e = Assert.Throws<NetmapException>(() => Backend.OpenPort($"netmap:{Unique("ph")}{{1{suffix}").Dispose());
        Assert.That(e!.Errno, Is.EqualTo(Errno.EINVAL));
    }

    [Test]
    public void Opening_an_interface_that_does_not_exist_is_ENXIO()
    {
        string name = Unique("nosuch");
        NetmapPortNotFoundException? e = Assert.Throws<NetmapPortNotFoundException>(() => Backend.OpenPort($"netmap:{name}"));
        Assert.That((e!.Errno, e.Operation, e.PortName), Is.EqualTo((Errno.ENXIO, "register", name)));
    }

    [Test]
    public void Conf_counts_shape_a_vale_port()
    {
        using NetmapPort vale = Backend.OpenPort($"{UniqueSwitch()}:q@conf:tx-rings=3,rx-rings=2,tx-slots=128,rx-slots=64");

        Assert.That((vale.TxRingCount, vale.RxRingCount, vale.TxSlots, vale.RxSlots), Is.EqualTo((3, 2, 128, 64)));
        Assert.That((vale.FirstTxRing, vale.LastTxRing, vale.FirstRxRing, vale.LastRxRing), Is.EqualTo((0, 3, 0, 2)));
        Assert.That(vale.GetTxRing(2).SlotCount, Is.EqualTo(128));
    }

    [Test]
    public void A_pipe_takes_the_counts_asked_for_as_the_master_ends_whichever_end_opens_first()
    {
        // The kernel builds the master end from the request and gives the slave the mirror image.
        string pipe = Unique("po");
        using NetmapPort slave = Backend.OpenPort($"netmap:{pipe}}}5", new NetmapPortOptions { TxRings = 2, RxSlots = 32 });
        using NetmapPort master = Backend.OpenPort($"netmap:{pipe}{{5");

        Assert.That((master.TxRingCount, master.RxRingCount, master.TxSlots, master.RxSlots), Is.EqualTo((2, 1, 1024, 32)));
        Assert.That((slave.TxRingCount, slave.RxRingCount, slave.TxSlots, slave.RxSlots), Is.EqualTo((1, 2, 32, 1024)));
    }

    [Test]
    public void A_one_ring_spec_binds_only_that_ring_pair()
    {
        string sw = UniqueSwitch();
        using NetmapPort all = Backend.OpenPort($"{sw}:r@conf:rings=3");
        using NetmapPort one = Backend.OpenPort($"{sw}:r-1");

        Assert.That((one.FirstTxRing, one.LastTxRing, one.FirstRxRing, one.LastRxRing), Is.EqualTo((1, 2, 1, 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => one.GetTxRing(0));
    }

    private string What(string what) => what == "vale" ? $"{UniqueSwitch()}:x" : $"netmap:{Unique("px")}{{1";
}
