namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// Pipes whose parent is a VALE port (<c>valeX:y{N</c>): the kernel looks the parent up as a VALE
/// port (creating it if need be), and the pipe lives in that port's memory.
/// </summary>
public sealed class PipeOnValePortTests(BackendKind kind) : TwoBackendTest(kind)
{
    [Test]
    public void A_pipe_on_a_vale_port_shares_the_ports_memory()
    {
        string port = $"{UniqueSwitch()}:p";
        using NetmapPort vale = Backend.OpenPort(port);
        using NetmapPort pipe = Backend.OpenPort($"{port}{{1");
        Assert.That((pipe.MemId, pipe.RegionSize), Is.EqualTo((vale.MemId, vale.RegionSize)));
        Assert.That(pipe.GetTxRing(0).SharesMemoryWith(vale.GetRxRing(0)), Is.True, "buffers can be swapped between them");
    }

    [Test]
    public void A_pipe_on_a_vale_port_nobody_opened_creates_the_port_which_lives_as_long_as_the_pipe()
    {
        string port = $"{UniqueSwitch()}:p";
        using (NetmapPort pipe = Backend.OpenPort($"{port}{{1@conf:rings=2"))
        {
            NetmapPortInfo info = Backend.GetPortInfo(port);
            Assert.That((info.MemId, info.TxRings, info.MemorySize), Is.EqualTo((pipe.MemId, 2, pipe.RegionSize)),
                "the port was made for the pipe's request and is still there");
        }
        Assert.That(Backend.GetPortInfo(port).TxRings, Is.EqualTo(1), "gone with the pipe: port info describes a new port");
    }
}
