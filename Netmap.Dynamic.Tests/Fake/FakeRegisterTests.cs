using System.Text.Json;
using Netmap.Dynamic.Fake;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.Fake;

/// <summary>Register outcomes: the kernel's exp5 (double opens, NR_EXCLUSIVE, malformed pipe), unknown NICs, @conf.</summary>
public class FakeRegisterTests
{
    private static readonly JsonElement s_exp5 = KernelFacts.Root.GetProperty("exp5_double_open");

    private static int Errno(string experiment) => s_exp5.GetProperty(experiment).GetProperty("errno").GetInt32();

    [Test]
    public void Exclusive_is_per_ring_on_a_nic()
    {
        using var backend = new FakeNetmapBackend();
        backend.AddInterface("eth0", txRings: 2, rxRings: 2);
        using NetmapPort ring0 = backend.OpenPort("netmap:eth0-0/x");
        using NetmapPort ring1 = backend.OpenPort("netmap:eth0-1/x");
        Assert.Throws<NetmapBusyException>(() => backend.OpenPort("netmap:eth0"));
    }

    [Test]
    public void A_malformed_pipe_name_is_refused()
    {
        Assert.That(Errno("malformed_pipe_name_no_id"), Is.EqualTo(Dynamic.Errno.EINVAL));
        using var backend = new FakeNetmapBackend();
        Assert.Throws<NetmapPortSpecException>(() => backend.OpenPort("netmap:pipe{"));
    }

    [Test]
    public void An_unknown_nic_is_ENXIO_and_port_info_knows_only_existing_ports()
    {
        using var backend = new FakeNetmapBackend();
        var e = Assert.Throws<NetmapPortNotFoundException>(() => backend.OpenPort("netmap:eth9"));
        Assert.That((e!.Errno, e.Operation, e.PortName), Is.EqualTo((Dynamic.Errno.ENXIO, "register", "eth9")));
        Assert.Throws<NetmapPortNotFoundException>(() => backend.GetPortInfo("eth9"));

        backend.AddInterface("eth1", txRings: 4, rxRings: 2, slots: 512);
        NetmapPortInfo info = backend.GetPortInfo("eth1");
        Assert.That(info, Is.EqualTo(new NetmapPortInfo("eth1", 1, FakeMemoryLayout.Global.TotalSize, 4, 2, 1, 1, 512, 512)));
        using NetmapPort pipe = backend.OpenPort("netmap:x{1@conf:tx-rings=2,rx-slots=64");
        // The parent's allocator is sized for the first pipe's request (2 TX rings, 64 RX slots):
        // 12 interfaces of 1024 B, 21 rings of 20480 B, (8+2)*64 + (8+3)*1024 + 2 = 11906 buffers of 2048 B.
        const long memsize = (12 * 1024) + (21 * 20480) + (11906L * 2048);
        Assert.That(backend.GetPortInfo("x}1"), Is.EqualTo(new NetmapPortInfo("x}1", pipe.MemId, memsize, 1, 2, 0, 0, 64, 1024)),
            "the other end sees the counts swapped");
    }

    [Test]
    public void Conf_counts_and_options_shape_pipes_and_vale_ports()
    {
        using var backend = new FakeNetmapBackend();
        using NetmapPort vale = backend.OpenPort("vale0:q@conf:tx-rings=3,rx-rings=2,tx-slots=128,rx-slots=64");
        Assert.That((vale.TxRingCount, vale.RxRingCount, vale.TxSlots, vale.RxSlots), Is.EqualTo((3, 2, 128, 64)));
        Assert.That((vale.FirstTxRing, vale.LastTxRing, vale.FirstRxRing, vale.LastRxRing), Is.EqualTo((0, 3, 0, 2)));
        Assert.That(vale.GetTxRing(2).SlotCount, Is.EqualTo(128));

        // The request shapes the master even when the slave opens first (netmap_get_pipe_na; the
        // kernel agrees: Kernel/AllocatorGeometryTests); the slave sees the counts swapped.
        using NetmapPort pipe = backend.OpenPort("netmap:y}5", new NetmapPortOptions { TxRings = 2, RxSlots = 32 });
        using NetmapPort other = backend.OpenPort("netmap:y{5");
        Assert.That((other.TxRingCount, other.RxRingCount, other.RxSlots), Is.EqualTo((2, 1, 32)));
        Assert.That((pipe.TxRingCount, pipe.RxRingCount, pipe.TxSlots), Is.EqualTo((1, 2, 32)));
        // TX ring 1 of the master feeds RX ring 1 of the slave.
        Assert.That(other.GetTxRing(1).TryWrite([9, 9]), Is.True);
        other.TxSync();
        pipe.RxSync();
        Assert.That((pipe.GetRxRing(0).Space, pipe.GetRxRing(1).Space), Is.EqualTo((0u, 1u)));
    }

    [Test]
    public void Too_many_slots_are_clamped_to_the_kernels_4096()
    {
        // kernel-geometry.jsonl: 8192 slots asked, 4096 granted (NM_BDG_MAXSLOTS), in a region sized for them.
        using var backend = new FakeNetmapBackend();
        using NetmapPort vale = backend.OpenPort("vale0:big@conf:slots=100000");
        Assert.That((vale.TxSlots, vale.RxSlots, vale.RegionSize), Is.EqualTo((4096, 4096, 169893888L)));
    }

    [Test]
    public void A_pipe_on_a_nic_takes_the_nic_slots_and_a_ring_too_big_for_its_allocator_is_ENOMEM()
    {
        // NIC ring objects here hold 64 slots. A pipe whose parent is the NIC lives in the NIC
        // allocator; the kernel does not shrink a ring to fit (netmap_ring_malloc fails: ENOMEM),
        // and a pipe that asks for no slot count gets its parent's.
        var global = FakeMemoryLayout.Global with { RingSize = 256 + (64 * 16) };
        using var backend = new FakeNetmapBackend(new FakeNetmapOptions { GlobalLayout = global });
        backend.AddInterface("eth0", slots: 64);
        var e = Assert.Throws<NetmapException>(() => backend.OpenPort("netmap:eth0{1@conf:slots=1000"));
        Assert.That(e!.Errno, Is.EqualTo(Dynamic.Errno.ENOMEM));
        using NetmapPort master = backend.OpenPort("netmap:eth0{1");
        using NetmapPort nic = backend.OpenPort("netmap:eth0");
        Assert.That(master.MemId, Is.EqualTo(nic.MemId), "the pipe shares the NIC allocator");
        Assert.That((master.TxSlots, master.RxSlots), Is.EqualTo((64, 64)));
    }

    [Test]
    public void Options_the_fake_cannot_lay_out_are_refused()
    {
        FakeMemoryLayout p = FakeMemoryLayout.Private;
        FakeNetmapOptions[] bad =
        [
            new() { PrivateLayout = p with { InterfaceSize = 64 } },         // no room for the ring table
            new() { GlobalLayout = p with { RingSize = 256 } },              // a header without slots
            new() { PrivateLayout = p with { BufferSize = 70_000 } },        // len is 16 bits
            new() { PrivateLayout = p with { BufferCount = 2 } },            // only the reserved buffers
            new() { DefaultSlots = 1 },
        ];
        for (int i = 0; i < bad.Length; i++)
        {
            FakeNetmapOptions options = bad[i];
            Assert.Throws<ArgumentException>(() => new FakeNetmapBackend(options).Dispose(), $"case {i}");
        }
        Assert.DoesNotThrow(() => new FakeNetmapBackend(new FakeNetmapOptions()).Dispose());
    }

    [Test]
    public void An_exhausted_allocator_is_ENOMEM_and_leaves_nothing_behind()
    {
        using var backend = new FakeNetmapBackend();
        // 20 ring objects: five 1+1 pipes fill the "pipe" allocator, the sixth cannot be created.
        NetmapPort[] pipes = [.. Enumerable.Range(0, 5).Select(i => backend.OpenPort($"netmap:pipe{{{i}"))];
        var e = Assert.Throws<NetmapException>(() => backend.OpenPort("netmap:pipe{9"));
        Assert.That(e!.Errno, Is.EqualTo(Dynamic.Errno.ENOMEM));
        using (NetmapPort other = backend.OpenPort("netmap:other{9")) Assert.That(other.MemId, Is.Not.EqualTo(pipes[0].MemId), "another parent, another allocator");
        foreach (NetmapPort p in pipes) p.Dispose();
        Assert.That(backend.AllocatedRegions, Is.Zero);
        using NetmapPort again = backend.OpenPort("netmap:pipe{9");
    }

    [Test]
    public void A_pipe_whose_second_end_does_not_fit_is_ENOMEM_and_frees_the_first()
    {
        // Three ring objects: the opening end's RX and TX fit, the peer's do not.
        var layout = FakeMemoryLayout.Private with { RingCount = 3 };
        using var backend = new FakeNetmapBackend(new FakeNetmapOptions { PrivateLayout = layout });
        Assert.That(Assert.Throws<NetmapException>(() => backend.OpenPort("netmap:pipe{1"))!.Errno, Is.EqualTo(Dynamic.Errno.ENOMEM));
        Assert.That((backend.AllocatedRegions, backend.RegistryEntries), Is.EqualTo((0, 0)));
        using NetmapPort vale = backend.OpenPort("vale0:a");   // two rings fit: the fake is still usable
        Assert.That(vale.GetTxRing(0)[0].BufferIndex, Is.EqualTo(1026u));
    }
}
