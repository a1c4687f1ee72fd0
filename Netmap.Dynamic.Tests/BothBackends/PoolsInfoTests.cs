namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// <c>NETMAP_REQ_POOLS_INFO_GET</c> (<see cref="INetmapBackend.GetPoolsInfo"/>): the three pools of
/// the allocator behind a port. ctrl-api-test 12 (pools_info_get_and_register), 13
/// (pools_info_get_empty_ifname) and 17 (pipe_pools_info_get).
/// </summary>
public sealed class PoolsInfoTests(BackendKind kind) : TwoBackendTest(kind)
{
    /// <summary>The pools lie one after the other and fill the region exactly.</summary>
    private static void AssertContiguous(NetmapPoolsInfo pools)
    {
        Assert.Multiple(() =>
        {
            Assert.That(pools.Interfaces.Offset, Is.Zero);
            Assert.That(pools.Rings.Offset, Is.EqualTo((long)pools.Interfaces.Count * pools.Interfaces.ObjectSize));
            Assert.That(pools.Buffers.Offset, Is.EqualTo(pools.Rings.Offset + ((long)pools.Rings.Count * pools.Rings.ObjectSize)));
            Assert.That(pools.MemorySize, Is.EqualTo(pools.Buffers.Offset + ((long)pools.Buffers.Count * pools.Buffers.ObjectSize)));
        });
    }

    [Test]
    public void Pools_info_of_an_open_vale_port_describes_the_region_the_port_maps()
    {
        string name = $"{UniqueSwitch()}:a";
        using NetmapPort port = Backend.OpenPort(name);
        NetmapPoolsInfo pools = Backend.GetPoolsInfo(name);

        Assert.That((pools.MemId, pools.MemorySize, pools.Buffers.ObjectSize), Is.EqualTo((port.MemId, port.RegionSize, port.BufferSize)));
        // The default VALE port's allocator, as recorded on the kernel: 12 x 1024 B interfaces,
        // 20 x 20480 B rings at 12288, 20482 x 2048 B buffers at 421888.
        Assert.That((pools.Interfaces, pools.Rings, pools.Buffers), Is.EqualTo((
            new NetmapPool(0, 12, 1024), new NetmapPool(12288, 20, 20480), new NetmapPool(421888, 20482, 2048))));
        AssertContiguous(pools);
    }

    [Test]
    public void Pools_info_before_a_register_describes_the_allocator_the_register_then_gets()
    {
        // ctrl-api-test 12: pools info works before a register and after it. A VALE port nobody has
        // open is created to answer and dropped again, so the allocator has the same pools (not
        // necessarily the same id) as the one the open then gets.
        string name = $"{UniqueSwitch()}:a";
        NetmapPoolsInfo before = Backend.GetPoolsInfo(name);
        using NetmapPort port = Backend.OpenPort(name);
        NetmapPoolsInfo after = Backend.GetPoolsInfo(name);

        Assert.That(after with { MemId = before.MemId }, Is.EqualTo(before));
        Assert.That(after.MemId, Is.EqualTo(port.MemId));
        AssertContiguous(before);
    }

    [Test]
    public void Pools_info_of_a_pipe_is_that_of_its_parents_allocator()
    {
        // ctrl-api-test 17 asks about a pipe nobody opened ("{xid"); here also one that is open.
        string parent = Unique("pools");
        NetmapPoolsInfo unopened = Backend.GetPoolsInfo($"{parent}{{xid");
        Assert.That(unopened.Buffers.Count, Is.GreaterThan(0));
        AssertContiguous(unopened);

        using NetmapPort master = Backend.OpenPort($"netmap:{parent}{{1");
        NetmapPoolsInfo open = Backend.GetPoolsInfo($"{parent}{{1");
        Assert.That((open.MemId, open.MemorySize), Is.EqualTo((master.MemId, master.RegionSize)));
        Assert.That(Backend.GetPoolsInfo($"{parent}}}1").MemId, Is.EqualTo(master.MemId), "the other end shares the allocator");
    }

    [Test]
    public void Pools_info_of_an_empty_name_is_ENXIO()
    {
        // ctrl-api-test 13 expects only a failure; Linux 6.1 answers ENXIO (no port has that name).
        NetmapException e = Assert.Catch<NetmapException>(() => Backend.GetPoolsInfo(""))!;
        Assert.That(e.Errno, Is.EqualTo(Errno.ENXIO));
    }

    [Test]
    public void Pools_info_of_an_interface_that_does_not_exist_is_ENXIO()
    {
        NetmapException e = Assert.Catch<NetmapException>(() => Backend.GetPoolsInfo(Unique("nmnone")))!;
        Assert.That(e.Errno, Is.EqualTo(Errno.ENXIO));
    }
}
