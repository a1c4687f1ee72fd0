using System.Text.Json;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.Kernel;

/// <summary>
/// What region and rings a pipe or VALE port gets for the counts it asks for (<c>@conf</c> /
/// <see cref="NetmapPortOptions"/>): each case is one registration the real kernel answered, recorded
/// in TestData/kernel-geometry.jsonl (from ../shared). A fresh allocator lays its objects out the same
/// way every time, so sizes, offsets and buffer indexes are exact; the memory id is a global counter
/// on the kernel and is not compared.
/// </summary>
public sealed unsafe class GeometryRulesTests(BackendKind kind) : TwoBackendTest(kind)
{
    /// <summary>One recorded registration, by its name in the file.</summary>
    public static IEnumerable<TestCaseData> Registrations()
    {
        foreach (string line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "kernel-geometry.jsonl")))
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            string name = doc.RootElement.GetProperty("name").GetString()!;
            if (doc.RootElement.TryGetProperty("req", out _))
                yield return new TestCaseData(name).SetArgDisplayNames(name);
        }
    }

    [TestCaseSource(nameof(Registrations))]
    public void The_region_and_rings_follow_the_requested_counts(string recorded)
    {
        JsonElement facts = Recorded(recorded);
        int[] req = [.. facts.GetProperty("req").EnumerateArray().Select(e => e.GetInt32())];
        NetmapPortOptions options = new()
        {
            TxRings = Ask(req[0]), RxRings = Ask(req[1]), TxSlots = Ask(req[2]), RxSlots = Ask(req[3]),
        };
        using NetmapPort port = Backend.OpenPort(SpecLike(recorded), options);

        netmap_if* nifp = (netmap_if*)(port.RegionBase + port.InterfaceOffset);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(port.RegionSize, Is.EqualTo(facts.GetProperty("memsize").GetInt64()), "nr_memsize");
            Assert.That(port.InterfaceOffset, Is.EqualTo(facts.GetProperty("offset").GetInt64()), "nr_offset");
            Assert.That((port.TxRingCount, port.RxRingCount), Is.EqualTo((Int(facts, "tx_rings"), Int(facts, "rx_rings"))), "rings");
            Assert.That((port.TxSlots, port.RxSlots), Is.EqualTo((Int(facts, "tx_slots"), Int(facts, "rx_slots"))), "slots");
            Assert.That((nifp->ni_host_tx_rings, nifp->ni_host_rx_rings), Is.EqualTo(((uint)Int(facts, "ni_host_tx_rings"), (uint)Int(facts, "ni_host_rx_rings"))));
            foreach (JsonElement ring in facts.GetProperty("rings").EnumerateArray())
            {
                uint i = (uint)Int(ring, "i");
                long ofs = netmap_if.ring_ofs(ref *nifp, i);
                Assert.That(ofs, Is.EqualTo(ring.GetProperty("ring_ofs").GetInt64()), $"ring_ofs[{i}]");
                if (ofs == 0 || ofs != ring.GetProperty("ring_ofs").GetInt64()) continue;
                netmap_ring* raw = (netmap_ring*)(port.RegionBase + port.InterfaceOffset + ofs);
                Assert.That(raw->num_slots, Is.EqualTo((uint)Int(ring, "num_slots")), $"ring {i} num_slots");
                Assert.That(raw->nr_buf_size, Is.EqualTo((uint)Int(ring, "nr_buf_size")), $"ring {i} nr_buf_size");
                Assert.That(raw->buf_ofs, Is.EqualTo(ring.GetProperty("buf_ofs").GetInt64()), $"ring {i} buf_ofs");
                Assert.That((raw->ringid, raw->dir), Is.EqualTo(((ushort)Int(ring, "ringid"), (ushort)Int(ring, "dir"))), $"ring {i} ringid/dir");
                Assert.That((raw->head, raw->tail), Is.EqualTo(((uint)Int(ring, "head"), (uint)Int(ring, "tail"))), $"ring {i} head/tail");
                netmap_slot first = netmap_ring.slot(ref *raw, 0), last = netmap_ring.slot(ref *raw, raw->num_slots - 1);
                Assert.That((first.buf_idx, last.buf_idx), Is.EqualTo(((uint)Int(ring, "slot0_buf"), (uint)Int(ring, "slotN_buf"))), $"ring {i} buffers");
            }
        }
    }

    [Test]
    public void Slots_are_capped_at_4096_per_ring()
    {
        using NetmapPort port = Backend.OpenPort($"netmap:{Unique("gc")}{{1", new NetmapPortOptions { TxSlots = 8192, RxSlots = 8192 });
        Assert.That((port.TxSlots, port.RxSlots), Is.EqualTo((4096, 4096)));
    }

    [Test]
    public void Sixteen_ring_pairs_do_not_fit_a_private_allocator_ENOMEM()
    {
        string pipe = Unique("gm");
        NetmapException? e = Assert.Throws<NetmapException>(() => Backend.OpenPort($"netmap:{pipe}{{1@conf:rings=16").Dispose());
        Assert.That(e!.Errno, Is.EqualTo(Errno.ENOMEM));
        using NetmapPort fits = Backend.OpenPort($"netmap:{pipe}{{1");
        Assert.That(fits.TxRingCount, Is.EqualTo(1), "a refused register leaves nothing that blocks the next one");
    }

    private string SpecLike(string recorded) =>
        recorded.StartsWith("vale", StringComparison.Ordinal) ? $"{UniqueSwitch()}:g" : $"netmap:{Unique("g")}{{1";

    private static int? Ask(int count) => count == 0 ? null : count;

    private static int Int(JsonElement e, string property) => e.GetProperty(property).GetInt32();

    private static JsonElement Recorded(string name)
    {
        foreach (string line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "kernel-geometry.jsonl")))
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            if (doc.RootElement.GetProperty("name").GetString() == name) return doc.RootElement.Clone();
        }
        throw new ArgumentException($"{name} is not in kernel-geometry.jsonl", nameof(name));
    }
}
