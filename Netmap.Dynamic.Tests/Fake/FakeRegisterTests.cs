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
        Assert.That(backend.GetPortInfo("x}1"), Is.EqualTo(new NetmapPortInfo("x}1", pipe.MemId, FakeMemoryLayout.Private.TotalSize, 1, 2, 0, 0, 64, 1024)),
            "the other end sees the counts swapped");
    }

    [Test]
    public void Too_many_slots_are_clamped_to_what_a_ring_object_holds()
    {
        using var backend = new FakeNetmapBackend();
        using NetmapPort vale = backend.OpenPort("vale0:big@conf:slots=100000");
        Assert.That(vale.TxSlots, Is.EqualTo(FakeMemoryLayout.Private.MaxSlots));
    }

    [Test]
    public void A_pipe_on_a_nic_is_clamped_to_the_nic_allocator_ring_objects()
    {
        // NIC ring objects here hold 64 slots, fewer than a private allocator's: a pipe whose parent is
        // the NIC lives in the NIC allocator, so its rings must not be sized for the private one.
        var global = FakeMemoryLayout.Global with { RingSize = 256 + (64 * 16) };
        using var backend = new FakeNetmapBackend(new FakeNetmapOptions { GlobalLayout = global });
        backend.AddInterface("eth0", slots: 64);
        using NetmapPort master = backend.OpenPort("netmap:eth0{1@conf:slots=1000");
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
