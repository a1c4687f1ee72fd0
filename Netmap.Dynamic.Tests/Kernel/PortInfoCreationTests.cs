namespace Netmap.Dynamic.Tests.Kernel;

/// <summary>
/// Port info (<c>NETMAP_REQ_PORT_INFO_GET</c>) looks a port up the way a registration does, creating
/// it if need be (and dropping it again): for a VALE port or a pipe nobody opened it answers with the
/// port an open would create, not ENXIO (which stays the answer for an interface that does not exist).
/// </summary>
public sealed class PortInfoCreationTests(BackendKind kind) : TwoBackendTest(kind)
{
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

    [Test]
    public void Port_info_of_an_open_pipe_end_answers_for_its_parents_allocator()
    {
        string parent = Unique("pj");
        using NetmapPort master = Backend.OpenPort($"netmap:{parent}{{1@conf:rings=2");
        NetmapPortInfo slave = Backend.GetPortInfo($"{parent}}}1");
        Assert.That((slave.MemId, slave.MemorySize, slave.TxRings, slave.RxRings), Is.EqualTo((master.MemId, master.RegionSize, 2, 2)));
    }
}
