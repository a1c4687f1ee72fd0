using static Netmap.Dynamic.Tests.BothBackends.KernelFrames;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// Frames between a NIC's hardware rings and its wire at buffer offsets and in several slots. What
/// the adapter supports decides (<see cref="NicAdapter"/>): netmap's generic adapter and its e1000
/// driver take offsets, only e1000 joins slots into one frame; the fake's NICs model the generic
/// adapter. On the kernel the NIC is a veth pair the test creates or the pair
/// <c>NETMAP_TEST_NIC_PAIR</c> names.
/// </summary>
[Category(NicTests.Category)]
public sealed class NicDataPathTests(BackendKind kind) : TwoBackendTest(kind)
{
    private const int Offset = 64;
    private TestLink? _link;

    private TestLink Link => _link ?? throw new InvalidOperationException("CreateLink first");

    /// <summary>The kernel's NIC (null on the fake).</summary>
    private KernelTestLink? KernelLink => _link as KernelTestLink;

    [TearDown]
    public void DeleteLink()
    {
        _link?.Dispose();   // deletes a veth pair the test made
        _link = null;
    }

    [Test]
    public void A_frame_written_at_an_offset_goes_out_on_the_wire_without_the_headroom()
    {
        CreateLink();
        IgnoreUnlessOffsets();
        using NetmapPort port = Backend.OpenPort($"netmap:{Link.Nic}@offset={Offset}");
        NetmapRing tx = port.GetTxRing(0);
        byte[] frame = Ethernet(Broadcast, Mac(0x51), 51, 150);

        Assert.That(tx.GetOffset(tx.Head), Is.EqualTo(Offset));
        Assert.That(tx.TryWritePacket(frame), Is.True, "written at the slot's offset");
        port.TxSync();

        Assert.That(Link.ReceiveFromWire(f => f.AsSpan().SequenceEqual(frame), Guard), Is.Not.Null);
    }

    [Test]
    public void A_frame_from_the_wire_is_read_at_the_receive_slots_offset()
    {
        CreateLink();
        IgnoreUnlessOffsets();
        using NetmapPort port = Backend.OpenPort($"netmap:{Link.Nic}@offset={Offset}");
        byte[] frame = Ethernet(Broadcast, Mac(0x52), 52, 150);

        Link.SendFromWire(frame);

        NetmapRing rx = port.GetRxRing(0);
        DateTime deadline = DateTime.UtcNow + Guard;
        while (DateTime.UtcNow < deadline)
        {
            port.Poll(NetmapPollEvents.Receive, deadline - DateTime.UtcNow);
            while (rx.TryPeekPacket(out NetmapPacket packet))
            {
                int offset = rx.GetOffset(rx.Head);
                byte[] got = new byte[packet.Length];
                Assert.That(rx.TryReadPacket(got, out _), Is.True);
                if (!got.AsSpan().SequenceEqual(frame)) continue;   // the stack's own chatter
                Assert.That(offset, Is.EqualTo(Offset), "the frame starts at the slot's offset");
                return;
            }
        }
        Assert.Fail($"the frame from the wire did not arrive within {Guard}");
    }

    [Test]
    public void A_NIC_whose_adapter_takes_no_offsets_refuses_a_port_with_offsets_EOPNOTSUPP()
    {
        CreateLink();
        if (KernelLink is null || KernelLink.Adapter.SupportsOffsets)
            Assert.Ignore($"{AdapterName} takes offsets");
        NetmapException e = Assert.Throws<NetmapException>(() => Backend.OpenPort($"netmap:{Link.Nic}@offset={Offset}"))!;
        Assert.That(e.Errno, Is.EqualTo(Errno.EOPNOTSUPP));
    }

    [Test]
    public void A_9000_byte_frame_leaves_a_NIC_with_a_jumbo_MTU_in_several_slots_and_arrives_whole()
    {
        if (!IsNative) Assert.Ignore("the fake's NICs have no MTU: none of their frames needs more than one slot");
        CreateLink(mtu: 9000);
        if (!KernelLink!.Adapter.SupportsMultiSlotPackets)
            Assert.Ignore($"{AdapterName} joins no slots (no NAF_MOREFRAG): a jumbo MTU is refused, see the next rule");
        using NetmapPort port = Backend.OpenPort($"netmap:{Link.Nic}");
        byte[] jumbo = Ethernet(Broadcast, Mac(0x53), 53, 9000);
        int slots = (jumbo.Length + port.BufferSize - 1) / port.BufferSize;

        Assert.That(port.GetTxRing(0).TryWritePacket(jumbo), Is.True, $"{slots} slots joined by NS_MOREFRAG");
        port.TxSync();

        Assert.That(Link.ReceiveFromWire(f => f.AsSpan().SequenceEqual(jumbo), Guard), Is.Not.Null, "one frame on the wire, read back whole");
    }

    [Test]
    public void A_NIC_whose_MTU_exceeds_a_buffer_is_refused_EINVAL_unless_its_adapter_joins_slots()
    {
        if (!IsNative) Assert.Ignore("the fake's NICs have no MTU");
        CreateLink();
        if (KernelLink!.Adapter.SupportsMultiSlotPackets)
            Assert.Ignore($"{AdapterName} joins slots (NAF_MOREFRAG): the previous rule sends such a frame");
        Assert.That(KernelLink.TrySetMtu(9000, out string? reason), Is.True, reason);

        NetmapException e = Assert.Throws<NetmapException>(() => Backend.OpenPort($"netmap:{Link.Nic}"))!;
        Assert.That(e.Errno, Is.EqualTo(Errno.EINVAL));
    }

    private string AdapterName => KernelLink?.Adapter.ToString() ?? "the fake's NIC";

    private void IgnoreUnlessOffsets()
    {
        if (KernelLink is { Adapter.SupportsOffsets: false })
            Assert.Ignore($"{AdapterName} takes no offsets (no NAF_OFFSETS): the kernel refuses them, see the rule for that");
    }

    private void CreateLink(int mtu = 0)
    {
        if (!IsNative)
        {
            _link = new FakeTestLink(Fake, "eth0", rings: 1);
            return;
        }
        string suffix = Unique("");
        _link = KernelTestLink.TryCreate(Backend, $"nmd{suffix}a", $"nmd{suffix}b", (byte)Random.Shared.Next(1, 250), 1, out string? reason, mtu);
        if (_link is null) Assert.Ignore($"no NIC for the data path tests: {reason}");
    }
}
