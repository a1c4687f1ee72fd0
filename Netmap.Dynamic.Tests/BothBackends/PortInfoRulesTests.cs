namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// Port info (<c>NETMAP_REQ_PORT_INFO_GET</c>) looks a port up the way a registration does, creating
/// it if need be (and dropping it again): of an open port it answers with the registration, of a
/// VALE port or a pipe nobody opened with the port an open would create, and ENXIO only for an
/// interface that does not exist. (Of a NIC: <see cref="HostRingTests"/>.)
/// </summary>
public sealed class PortInfoRulesTests(BackendKind kind) : TwoBackendTest(kind)
{
    [Test]
    public void Port_info_of_an_interface_that_does_not_exist_is_ENXIO()
    {
        string name = Unique("nosuch");
        NetmapPortNotFoundException? e = Assert.Throws<NetmapPortNotFoundException>(() => Backend.GetPortInfo(name));
        Assert.That(e!.Errno, Is.EqualTo(Errno.ENXIO));
    }

    [Test]
    public void Port_info_of_an_open_pipe_end_matches_its_registration()
    {
        string pipe = Unique("pi");
        using NetmapPort port = Backend.OpenPort($"netmap:{pipe}{{2@conf:rings=2,slots=512");
        NetmapPortInfo info = Backend.GetPortInfo($"{pipe}{{2");

        Assert.Multiple(() =>
        {
            Assert.That(info.MemId, Is.EqualTo(port.MemId));
            Assert.That((info.TxRings, info.RxRings), Is.EqualTo((port.TxRingCount, port.RxRingCount)));
            Assert.That((info.TxSlots, info.RxSlots), Is.EqualTo((port.TxSlots, port.RxSlots)));
            Assert.That(info.MemorySize, Is.EqualTo(port.RegionSize));
            Assert.That((port.TxRingCount, port.TxSlots), Is.EqualTo((2, 512)));
        });
    }

    [Test]
    public void Port_info_of_the_other_end_of_an_open_pipe_answers_for_the_parents_allocator_with_the_counts_swapped()
    {
        string pipe = Unique("ps");
        using NetmapPort master = Backend.OpenPort($"netmap:{pipe}{{1@conf:tx-rings=2,rx-slots=64");
        NetmapPortInfo other = Backend.GetPortInfo($"{pipe}}}1");

        Assert.That((other.TxRings, other.RxRings, other.TxSlots, other.RxSlots), Is.EqualTo((1, 2, 64, 1024)));
        Assert.That((other.MemId, other.MemorySize), Is.EqualTo((master.MemId, master.RegionSize)));
    }

    [Test]
    public void Port_info_of_a_vale_port_nobody_opened_describes_the_port_an_open_would_create()
    {
        string name = $"{UniqueSwitch()}:x";
        NetmapPortInfo info = Backend.GetPortInfo(name);
        Assert.That((info.TxRings, info.RxRings, info.HostTxRings, info.HostRxRings, info.TxSlots, info.RxSlots, info.MemorySize),
            Is.EqualTo((1, 1, 0, 0, 1024, 1024, 42369024L)));
        using NetmapPort port = Backend.OpenPort(name);
        Assert.That(port.InterfaceOffset, Is.Zero, "the port made for the answer is gone: this open creates it afresh");
    }

    [Test]
    public void Port_info_of_a_pipe_nobody_opened_describes_the_pipe_an_open_would_create()
    {
        string name = $"{Unique("pi")}{{1";
        NetmapPortInfo info = Backend.GetPortInfo(name);
        Assert.That((info.TxRings, info.RxRings, info.HostTxRings, info.HostRxRings, info.TxSlots, info.RxSlots, info.MemorySize),
            Is.EqualTo((1, 1, 0, 0, 1024, 1024, 42369024L)));
    }
}
