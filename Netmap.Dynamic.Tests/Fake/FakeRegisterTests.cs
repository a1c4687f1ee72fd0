using System.Text.Json;
using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Tests.Fake;

/// <summary>Register outcomes the fake alone can set up (layouts of its own, NICs), and the malformed pipe name of the kernel's exp5; the kernel's register rules are in BothBackends/RegisterRulesTests and AllocatorGeometryTests.</summary>
public class FakeRegisterTests
{
    private static readonly JsonElement s_exp5 = KernelFacts.Root.GetProperty("exp5_double_open");

    private static int Errno(string experiment) => s_exp5.GetProperty(experiment).GetProperty("errno").GetInt32();

    [Test]
    public void A_malformed_pipe_name_is_refused()
    {
        Assert.That(Errno("malformed_pipe_name_no_id"), Is.EqualTo(Dynamic.Errno.EINVAL), "what the kernel answers");
        using var backend = new FakeNetmapBackend();
        // The parser refuses such a name before any backend sees it...
        Assert.Throws<NetmapPortSpecException>(() => backend.OpenPort("netmap:pipe{"));
        // ...and the fake, handed the request the kernel got in exp5 (a pipe with no id), answers as the kernel did.
        var noId = new NetmapPortSpec("netmap:pipe{", NetmapPortKind.Pipe, "pipe{", null, null, "pipe", NetmapPipeSide.Master, "",
            Interop.NetmapRegisterMode.NR_REG_ALL_NIC, 0, Interop.NetmapRegisterFlags.None, 0, null, null, null, null, null, null, null, null, null);
        NetmapException e = Assert.Throws<NetmapException>(() => backend.Open(FakePortRequest.From(noId, null)))!;
        Assert.That(e.Errno, Is.EqualTo(Errno("malformed_pipe_name_no_id")));
        Assert.That((backend.RegistryEntries, backend.AllocatedRegions), Is.EqualTo((0, 0)), "nothing left behind");
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
