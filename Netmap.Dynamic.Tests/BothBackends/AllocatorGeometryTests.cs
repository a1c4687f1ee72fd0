using System.Text.Json;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// How the kernel sizes and lays out the private memory of a VALE port or of a pipe's parent
/// (<c>netmap_mem_private_new</c>): one allocator per port, sized for the rings and slots that port
/// asked for. Every registration recorded in kernel-geometry.jsonl is replayed; then the limits.
/// </summary>
public sealed unsafe class AllocatorGeometryTests(BackendKind kind) : TwoBackendTest(kind)
{
    public static IEnumerable<TestCaseData> Recorded() =>
        KernelGeometry.Load().Select(g => new TestCaseData(g).SetArgDisplayNames(g.ToString()));

    [TestCaseSource(nameof(Recorded))]
    public void A_new_allocator_is_sized_and_laid_out_for_the_registration_that_creates_it(KernelGeometry recorded)
    {
        string spec = recorded.IsPipe ? $"netmap:{Unique("g")}{{1" : $"{UniqueSwitch()}:{recorded.Name[(recorded.Name.IndexOf(':') + 1)..]}";
        using NetmapPort port = Backend.OpenPort(spec, recorded.Options);

        netmap_if* nifp = (netmap_if*)(port.RegionBase + port.InterfaceOffset);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(port.RegionSize, Is.EqualTo(recorded.Long("memsize")), "nr_memsize");
            Assert.That(port.InterfaceOffset, Is.EqualTo(recorded.Long("offset")), "nr_offset");
            Assert.That((port.TxRingCount, port.RxRingCount, port.TxSlots, port.RxSlots),
                Is.EqualTo(((int)recorded.Long("tx_rings"), (int)recorded.Long("rx_rings"), (int)recorded.Long("tx_slots"), (int)recorded.Long("rx_slots"))));
            Assert.That((nifp->ni_tx_rings, nifp->ni_rx_rings, nifp->ni_host_tx_rings, nifp->ni_host_rx_rings, nifp->ni_bufs_head),
                Is.EqualTo(((uint)recorded.Long("ni_tx_rings"), (uint)recorded.Long("ni_rx_rings"), (uint)recorded.Long("ni_host_tx_rings"),
                    (uint)recorded.Long("ni_host_rx_rings"), (uint)recorded.Long("ni_bufs_head"))));
        }
        int txListed = (int)(nifp->ni_tx_rings + nifp->ni_host_tx_rings);
        foreach (JsonElement ring in recorded.Rings)
        {
            int i = ring.GetProperty("i").GetInt32();
            long ringOfs = ring.GetProperty("ring_ofs").GetInt64();
            Assert.That(netmap_if.ring_ofs(ref *nifp, (uint)i), Is.EqualTo(ringOfs), $"ring_ofs[{i}]");
            if (ringOfs == 0) continue;   // a host ring, not bound
            NetmapRing view = i < txListed ? port.GetTxRing(i) : port.GetRxRing(i - txListed);
            netmap_ring* raw = view.RawRing;
            string what = $"ring_ofs[{i}]";
            using (Assert.EnterMultipleScope())
            {
                Assert.That((byte*)raw - port.RegionBase, Is.EqualTo(ring.GetProperty("at").GetInt64()), what + " position");
                Assert.That(raw->num_slots, Is.EqualTo(ring.GetProperty("num_slots").GetUInt32()), what + " num_slots");
                Assert.That(raw->nr_buf_size, Is.EqualTo(ring.GetProperty("nr_buf_size").GetUInt32()), what + " nr_buf_size");
                Assert.That(raw->buf_ofs, Is.EqualTo(ring.GetProperty("buf_ofs").GetInt64()), what + " buf_ofs");
                Assert.That((raw->ringid, raw->dir), Is.EqualTo((ring.GetProperty("ringid").GetUInt16(), ring.GetProperty("dir").GetUInt16())), what + " ringid, dir");
                Assert.That((raw->head, raw->tail), Is.EqualTo((ring.GetProperty("head").GetUInt32(), ring.GetProperty("tail").GetUInt32())), what + " head, tail");
                Assert.That(view[0].BufferIndex, Is.EqualTo(ring.GetProperty("slot0_buf").GetUInt32()), what + " first buffer");
                Assert.That(view[view.SlotCount - 1].BufferIndex, Is.EqualTo(ring.GetProperty("slotN_buf").GetUInt32()), what + " last buffer");
            }
        }
    }

    [Test]
    public void A_ring_gets_its_ring_object_and_buffers_only_when_a_registration_binds_it()
    {
        // Binding ring 1 first puts its RX and TX rings at the start of the ring pool, with the
        // first buffers; ring 0 comes after them when it is bound later.
        string port = $"{UniqueSwitch()}:a";
        using NetmapPort one = Backend.OpenPort($"{port}-1@conf:rings=2");
        using NetmapPort zero = Backend.OpenPort($"{port}-0");
        Assert.That(new[] { Placement(one, one.GetRxRing(1)), Placement(one, one.GetTxRing(1)), Placement(zero, zero.GetRxRing(0)), Placement(zero, zero.GetTxRing(0)) },
            Is.EqualTo(new[] { (12288L, 2u), (32768L, 1026u), (53248L, 2050u), (73728L, 3074u) }), "(ring position, first buffer)");
    }

    [Test]
    public void A_ring_object_lives_while_a_registration_binds_it_and_the_rings_state_while_the_port_lives()
    {
        // Ring 1's binding keeps the port, and so the kernel's state of ring 0, alive until the end.
        string port = $"{UniqueSwitch()}:a";
        using (NetmapPort one = Backend.OpenPort($"{port}-1@conf:rings=2"))
        {
            using (NetmapPort second = Backend.OpenPort($"{port}-0"))
            {
                using NetmapPort first = Backend.OpenPort($"{port}-0");
                for (int i = 0; i < 3; i++) Assert.That(first.GetTxRing(0).TryWrite(new byte[60]), Is.True);
                first.TxSync();
                first.Dispose();
                NetmapRing kept = second.GetTxRing(0);
                Assert.That((kept.Head, kept[0].Length), Is.EqualTo((3, (ushort)60)), "another binding keeps the ring object: the slots as the first left them");
            }
            // The last binding of ring 0 is gone, and with it the ring object and its buffers.
            using NetmapPort again = Backend.OpenPort($"{port}-0");
            NetmapRing tx = again.GetTxRing(0);
            Assert.That((tx.Head, tx.Cur, tx.Tail, tx[0].Length), Is.EqualTo((3, 3, 2, (ushort)2048)),
                "a fresh ring object (len is the buffer size again) where the ring was");
        }
        using NetmapPort fresh = Backend.OpenPort(port);
        Assert.That(fresh.GetTxRing(0).Head, Is.Zero, "the last close removed the port: this open made a new one");
    }

    [Test]
    public void A_private_allocator_has_twelve_netmap_if_so_a_thirteenth_open_is_ENOMEM()
    {
        string name = $"{UniqueSwitch()}:a";
        var opens = new List<NetmapPort>();
        try
        {
            for (int i = 0; i < 12; i++) opens.Add(Backend.OpenPort(name));
            Assert.That(opens[^1].InterfaceOffset, Is.EqualTo(11 * 1024));
            var e = Assert.Throws<NetmapException>(() => Backend.OpenPort(name).Dispose());
            Assert.That(e!.Errno, Is.EqualTo(Errno.ENOMEM));
            opens[3].Dispose();
            using NetmapPort again = Backend.OpenPort(name);
            Assert.That(again.InterfaceOffset, Is.EqualTo(3 * 1024), "the lowest free netmap_if");
        }
        finally
        {
            foreach (NetmapPort port in opens) port.Dispose();
        }
    }

    [Test]
    public void Slots_are_capped_at_4096_per_ring()
    {
        using NetmapPort vale = Backend.OpenPort($"{UniqueSwitch()}:a", new NetmapPortOptions { TxSlots = 5000, RxSlots = 100_000 });
        using NetmapPort pipe = Backend.OpenPort($"netmap:{Unique("cap")}{{1", new NetmapPortOptions { TxSlots = 8192 });
        Assert.That((vale.TxSlots, vale.RxSlots, pipe.TxSlots, pipe.RxSlots), Is.EqualTo((4096, 4096, 4096, 1024)));
    }

    [Test]
    public void A_vale_port_fits_sixteen_ring_pairs_but_a_new_pipe_of_sixteen_pairs_is_ENOMEM()
    {
        // Both allocators hold 17 + 17 + 16 ring objects: a VALE port needs 32 of them, a pipe
        // needs 64 (its own 32 and its peer's), so the kernel's ring pool runs out.
        var sixteen = new NetmapPortOptions { TxRings = 16, RxRings = 16 };
        using (NetmapPort vale = Backend.OpenPort($"{UniqueSwitch()}:a", sixteen))
            Assert.That((vale.TxRingCount, vale.RxRingCount), Is.EqualTo((16, 16)));
        string pipe = Unique("big");
        var e = Assert.Throws<NetmapException>(() => Backend.OpenPort($"netmap:{pipe}{{1", sixteen).Dispose());
        Assert.That(e!.Errno, Is.EqualTo(Errno.ENOMEM));
        using NetmapPort fits = Backend.OpenPort($"netmap:{pipe}{{1");
        Assert.That(fits.TxRingCount, Is.EqualTo(1), "a refused register leaves nothing that blocks the next one");
    }

    [Test]
    public void A_vale_port_gets_at_most_sixteen_ring_pairs()
    {
        using NetmapPort vale = Backend.OpenPort($"{UniqueSwitch()}:a", new NetmapPortOptions { TxRings = 40, RxRings = 17 });
        Assert.That((vale.TxRingCount, vale.RxRingCount), Is.EqualTo((16, 16)));
    }

    [Test]
    public void Later_pipes_of_a_parent_share_its_allocator_and_default_to_its_slots()
    {
        string parent = Unique("par");
        using NetmapPort first = Backend.OpenPort($"netmap:{parent}{{1", new NetmapPortOptions { TxSlots = 512, RxSlots = 256 });
        using NetmapPort second = Backend.OpenPort($"netmap:{parent}{{2");
        Assert.That((second.MemId, second.RegionSize), Is.EqualTo((first.MemId, first.RegionSize)));
        Assert.That((second.TxSlots, second.RxSlots), Is.EqualTo((512, 256)));
    }

    [Test]
    public void Later_pipes_of_a_parent_take_ring_objects_until_its_pool_runs_out()
    {
        // The parent's allocator was sized for one ring pair: 2 + 2 + 16 = 20 ring objects. The first
        // pipe uses 4 (its two ends), a second pipe of 4 ring pairs uses 16, then nothing is left.
        string parent = Unique("pool");
        using NetmapPort first = Backend.OpenPort($"netmap:{parent}{{1");
        using NetmapPort wide = Backend.OpenPort($"netmap:{parent}{{2", new NetmapPortOptions { TxRings = 4, RxRings = 4 });
        Assert.That(wide.TxRingCount, Is.EqualTo(4), "a later pipe is not bounded to the first one's rings");
        var e = Assert.Throws<NetmapException>(() => Backend.OpenPort($"netmap:{parent}{{3").Dispose());
        Assert.That(e!.Errno, Is.EqualTo(Errno.ENOMEM));
    }

    [Test]
    public void A_later_pipe_with_rings_larger_than_the_parents_ring_objects_is_ENOMEM()
    {
        // 1024 slots fit the parent's 20480-byte ring objects; 2048 slots (33024 bytes) do not.
        string parent = Unique("obj");
        using NetmapPort first = Backend.OpenPort($"netmap:{parent}{{1");
        var e = Assert.Throws<NetmapException>(() => Backend.OpenPort($"netmap:{parent}{{2", new NetmapPortOptions { TxSlots = 2048 }).Dispose());
        Assert.That(e!.Errno, Is.EqualTo(Errno.ENOMEM));
    }

    /// <summary>Where <paramref name="ring"/> lies in its region (through <paramref name="port"/>'s mapping) and its first buffer.</summary>
    private static (long Position, uint FirstBuffer) Placement(NetmapPort port, NetmapRing ring) =>
        ((byte*)ring.RawRing - port.RegionBase, ring[0].BufferIndex);
}
