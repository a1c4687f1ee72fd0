using System.Text.Json;
using Netmap.Dynamic.Fake;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.Fake;

/// <summary>The fake lays out pipes and VALE ports byte for byte as the real kernel did (netmap-kernel-facts.json).</summary>
public unsafe class FakeLayoutTests
{
    [Test]
    public void Pipe_ends_and_a_configured_pipe_match_the_kernel_layout()
    {
        using var backend = new FakeNetmapBackend();
        using NetmapPort master = backend.OpenPort("netmap:pipe{1");
        using NetmapPort slave = backend.OpenPort("netmap:pipe}1");
        using NetmapPort pipe2 = backend.OpenPort("netmap:pipe{2@conf:rings=2,slots=256");

        AssertMatchesKernel(master, "pipe{1");
        AssertMatchesKernel(slave, "pipe}1");
        AssertMatchesKernel(pipe2, "pipe{2");
        Assert.That(slave.MemId, Is.EqualTo(master.MemId), "both pipe ends share one allocator");
        Assert.That(slave.RegionBase == master.RegionBase, Is.True, "one region per allocator");
    }

    [Test]
    public void Vale_ports_match_the_kernel_layout_with_one_allocator_each()
    {
        using var backend = new FakeNetmapBackend();
        using NetmapPort pipe = backend.OpenPort("netmap:pipe{1");   // takes mem_id 2 as on the kernel
        using NetmapPort a = backend.OpenPort("vale0:a");
        using NetmapPort b = backend.OpenPort("vale0:b");
        AssertMatchesKernel(a, "vale0:a");
        AssertMatchesKernel(b, "vale0:b");
        Assert.That(a.RegionBase == b.RegionBase, Is.False);
    }

    private static void AssertMatchesKernel(NetmapPort port, string name)
    {
        JsonElement facts = KernelFacts.Port(name);
        JsonElement reply = facts.GetProperty("nmreq_register_out");
        JsonElement nif = facts.GetProperty("netmap_if");
        JsonElement pools = facts.GetProperty("pools_info");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(port.InterfaceOffset, Is.EqualTo(reply.L("nr_offset")), $"{name} nr_offset");
            Assert.That(port.RegionSize, Is.EqualTo(reply.L("nr_memsize")), $"{name} nr_memsize");
            Assert.That(port.MemId, Is.EqualTo(reply.U("nr_mem_id")), $"{name} nr_mem_id");
            Assert.That(port.TxRingCount, Is.EqualTo(reply.U("nr_tx_rings")));
            Assert.That(port.RxRingCount, Is.EqualTo(reply.U("nr_rx_rings")));
            Assert.That(port.HostTxRingCount, Is.EqualTo(reply.U("nr_host_tx_rings")));
            Assert.That(port.TxSlots, Is.EqualTo(reply.U("nr_tx_slots")));
            Assert.That(port.RxSlots, Is.EqualTo(reply.U("nr_rx_slots")));
            Assert.That(port.BufferSize, Is.EqualTo(pools.U("nr_buf_pool_objsize")));

            netmap_if* nifp = (netmap_if*)(port.RegionBase + port.InterfaceOffset);
            Span<byte> ifName = nifp->ni_name;
            Assert.That(System.Text.Encoding.ASCII.GetString(ifName[..ifName.IndexOf((byte)0)]), Is.EqualTo(nif.GetProperty("ni_name").GetString()));
            Assert.That(nifp->ni_version, Is.EqualTo(nif.U("ni_version")));
            Assert.That(nifp->ni_flags, Is.EqualTo(nif.Hex("ni_flags")));
            Assert.That(nifp->ni_tx_rings, Is.EqualTo(nif.U("ni_tx_rings")));
            Assert.That(nifp->ni_rx_rings, Is.EqualTo(nif.U("ni_rx_rings")));
            Assert.That(nifp->ni_host_tx_rings, Is.EqualTo(nif.U("ni_host_tx_rings")));
            Assert.That(nifp->ni_host_rx_rings, Is.EqualTo(nif.U("ni_host_rx_rings")));
            Assert.That(nifp->ni_bufs_head, Is.EqualTo(nif.U("ni_bufs_head")));
            long[] expectedOfs = nif.GetProperty("ring_ofs").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            long[] actualOfs = Enumerable.Range(0, expectedOfs.Length).Select(i => netmap_if.ring_ofs(ref *nifp, (uint)i)).ToArray();
            Assert.That(actualOfs, Is.EqualTo(expectedOfs), $"{name} ring_ofs");

            foreach (JsonElement ringFacts in facts.GetProperty("rings").EnumerateArray().Where(r => r.GetProperty("bound").GetBoolean()))
            {
                bool tx = ringFacts.GetProperty("kind").GetString() == "tx";
                int index = ringFacts.GetProperty("kind_index").GetInt32();
                NetmapRing ring = tx ? port.GetTxRing(index) : port.GetRxRing(index);
                netmap_ring* raw = ring.RawRing;
                string what = $"{name} {(tx ? "TX" : "RX")}{index}";
                Assert.That((byte*)raw - port.RegionBase, Is.EqualTo(ringFacts.L("offset_from_region_base")), what + " offset");
                Assert.That(raw->buf_ofs, Is.EqualTo(ringFacts.L("buf_ofs")), what + " buf_ofs");
                Assert.That(raw->num_slots, Is.EqualTo(ringFacts.U("num_slots")));
                Assert.That(raw->nr_buf_size, Is.EqualTo(ringFacts.U("nr_buf_size")));
                Assert.That(raw->ringid, Is.EqualTo(ringFacts.U("ringid")));
                Assert.That(raw->dir, Is.EqualTo(ringFacts.U("dir")), what + " dir");
                Assert.That((raw->head, raw->cur, raw->tail), Is.EqualTo(ringFacts.State()), what + " head/cur/tail");
                Assert.That(raw->flags, Is.EqualTo(ringFacts.Hex("flags")));
                Assert.That(raw->offset_mask, Is.EqualTo(ringFacts.U("offset_mask")));
                foreach (JsonElement slotFacts in ringFacts.GetProperty("first_slots").EnumerateArray().Concat(ringFacts.GetProperty("last_slots").EnumerateArray()))
                {
                    ref NetmapSlot slot = ref ring[(int)slotFacts.U("i")];
                    Assert.That(slot.BufferIndex, Is.EqualTo(slotFacts.U("buf_idx")), $"{what} slot {slotFacts.U("i")} buf_idx");
                    Assert.That(slot.Length, Is.EqualTo(slotFacts.U("len")));
                    Assert.That((uint)slot.Flags, Is.EqualTo(slotFacts.Hex("flags")));
                    Assert.That(slot.Ptr, Is.Zero);
                }
                uint min = uint.MaxValue, max = 0;
                bool ascending = true;
                for (int i = 0; i < ring.SlotCount; i++)
                {
                    uint b = ring[i].BufferIndex;
                    if (i > 0 && b != ring[i - 1].BufferIndex + 1) ascending = false;
                    min = Math.Min(min, b);
                    max = Math.Max(max, b);
                }
                Assert.That((min, max, ascending), Is.EqualTo((ringFacts.U("min_buf_idx"), ringFacts.U("max_buf_idx"), ringFacts.GetProperty("buf_idx_consecutive_ascending").GetBoolean())), what + " buffers");
            }
        }
    }
}
