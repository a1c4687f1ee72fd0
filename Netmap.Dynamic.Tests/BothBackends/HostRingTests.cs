using Netmap.Dynamic.Interop;
using static Netmap.Dynamic.Tests.BothBackends.KernelFrames;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// A NIC in netmap mode: its hardware rings lead to the wire, its host rings to the host's network
/// stack, and the port spec picks which of them a port binds. On the kernel the NIC is one end of a
/// veth pair with two queues this fixture creates (root and iproute2 needed; otherwise the fixture is
/// skipped and says why), or the NIC pair named by <c>NETMAP_TEST_NIC_PAIR</c> with the rings its
/// device has; on the fake it is a fake NIC with two ring pairs.
/// </summary>
[Category(NicTests.Category)]
public sealed unsafe class HostRingTests(BackendKind kind) : TwoBackendTest(kind)
{
    private KernelTestLink? _kernelLink;
    private TestLink _link = null!;

    /// <summary>The NIC's hardware ring pairs.</summary>
    private int Rings => _link.Rings;

    [OneTimeSetUp]
    public void CreateKernelLink()
    {
        if (!IsNative) return;
        string suffix = Unique("");
        _kernelLink = KernelTestLink.TryCreate(Backend, $"nmv{suffix}a", $"nmv{suffix}b", (byte)Random.Shared.Next(1, 250), queues: 2, out string? reason);
        if (_kernelLink is null) Assert.Ignore($"no NIC for the host-ring tests: {reason}");
    }

    [OneTimeTearDown]
    public void DeleteKernelLink() => _kernelLink?.Dispose();

    [SetUp]
    public void CreateLink() => _link = IsNative ? _kernelLink! : new FakeTestLink(Fake, "eth0", rings: 2);

    [TestCase("")]
    [TestCase("-0")]
    [TestCase("-1")]
    [TestCase("^")]
    [TestCase("^0")]
    [TestCase("*")]
    [TestCase("/T")]
    [TestCase("/R")]
    public void A_spec_suffix_binds_hardware_rings_host_rings_or_both(string suffix)
    {
        if (suffix == "-1" && Rings < 2) Assert.Ignore($"{_link.Nic} has one hardware ring pair: there is no ring 1 to bind");
        // The bound [first, last) TX and RX ranges: hardware rings are 0..Rings-1, the host ring is Rings.
        (int firstTx, int lastTx, int firstRx, int lastRx) = suffix switch
        {
            "" => (0, Rings, 0, Rings),
            "-0" => (0, 1, 0, 1),
            "-1" => (1, 2, 1, 2),
            "^" or "^0" => (Rings, Rings + 1, Rings, Rings + 1),
            "*" => (0, Rings + 1, 0, Rings + 1),
            "/T" => (0, Rings, 0, 0),
            "/R" => (0, 0, 0, Rings),
            _ => throw new ArgumentOutOfRangeException(nameof(suffix)),
        };
        using NetmapPort port = Backend.OpenPort($"netmap:{_link.Nic}{suffix}");

        Assert.That((port.TxRingCount, port.HostTxRingCount, port.RxRingCount, port.HostRxRingCount), Is.EqualTo((Rings, 1, Rings, 1)));
        Assert.That((port.FirstTxRing, port.LastTxRing, port.FirstRxRing, port.LastRxRing), Is.EqualTo((firstTx, lastTx, firstRx, lastRx)));
        netmap_if* nifp = (netmap_if*)(port.RegionBase + port.InterfaceOffset);
        Assert.That((port.MemId, nifp->ni_flags), Is.EqualTo(((ushort)1, 0u)), "a NIC lives in the global allocator (no NI_PRIV_MEM)");
        for (int i = 0; i <= Rings; i++)
        {
            bool txBound = i >= firstTx && i < lastTx, rxBound = i >= firstRx && i < lastRx;
            Assert.That(netmap_if.ring_ofs(ref *nifp, (uint)i) != 0, Is.EqualTo(txBound), $"TX ring_ofs[{i}]: only bound rings are listed");
            Assert.That(netmap_if.ring_ofs(ref *nifp, (uint)(Rings + 1 + i)) != 0, Is.EqualTo(rxBound), $"RX ring_ofs[{i}]");
            if (!txBound) Assert.Throws<ArgumentOutOfRangeException>(() => port.GetTxRing(i));
        }
    }

    [Test]
    public void Exclusive_opens_are_per_ring()
    {
        using NetmapPort ring0 = Backend.OpenPort($"netmap:{_link.Nic}-0/x");
        using NetmapPort? ring1 = Rings > 1 ? Backend.OpenPort($"netmap:{_link.Nic}-1/x") : null;   // another ring opens beside it
        Assert.Throws<NetmapBusyException>(() => Backend.OpenPort($"netmap:{_link.Nic}"), "all rings: ring 0 is held exclusively");
    }

    [Test]
    public void A_port_may_ask_for_more_host_rings_and_bind_all_of_them()
    {
        // ctrl-api-test's port_register_hostall_many: NR_REG_SW with 5 host TX and 4 host RX rings.
        if (!IsNative) Assert.Ignore("the fake's NICs keep the host rings AddInterface gave them");
        using NetmapPort port = Backend.OpenPort($"netmap:{_link.Nic}^@conf:host-tx-rings=5,host-rx-rings=4");

        Assert.That((port.HostTxRingCount, port.HostRxRingCount), Is.EqualTo((5, 4)));
        Assert.That((port.FirstTxRing, port.LastTxRing, port.FirstRxRing, port.LastRxRing), Is.EqualTo((Rings, Rings + 5, Rings, Rings + 4)));
    }

    [Test]
    public void A_one_host_ring_spec_binds_only_that_host_ring_pair()
    {
        // ctrl-api-test's port_register_single_host_pair: NR_REG_ONE_SW, ring 1 of 2 host rings.
        if (!IsNative) Assert.Ignore("the fake's NICs keep the host rings AddInterface gave them");
        using NetmapPort port = Backend.OpenPort($"netmap:{_link.Nic}^1@conf:host-rings=2");

        Assert.That((port.FirstTxRing, port.LastTxRing, port.FirstRxRing, port.LastRxRing), Is.EqualTo((Rings + 1, Rings + 2, Rings + 1, Rings + 2)));
    }

    [Test]
    public void Port_info_of_a_nic_counts_its_rings_slots_and_memory_as_a_register_then_finds_them()
    {
        // ctrl-api-test 1 (port_info_get): rings, slots and memory, all non-zero; here also equal to
        // what a register of the NIC then maps.
        NetmapPortInfo info = Backend.GetPortInfo(_link.Nic);
        // The kernel's NIC has the queues the veth was made with or the device has (sysfs counts them).
        int queues = IsNative ? Directory.GetDirectories($"/sys/class/net/{_link.Nic}/queues", "tx-*").Length : 2;
        Assert.That((info.TxRings, info.RxRings), Is.EqualTo((queues, queues)));
        using NetmapPort port = Backend.OpenPort($"netmap:{_link.Nic}");
        Assert.Multiple(() =>
        {
            Assert.That(info.MemorySize, Is.GreaterThan(0).And.EqualTo(port.RegionSize));
            Assert.That(info.MemId, Is.EqualTo(port.MemId));
            Assert.That((info.TxSlots, info.RxSlots), Is.EqualTo((port.TxSlots, port.RxSlots)));
            Assert.That(info.TxSlots, Is.GreaterThan(0));
        });
    }

    [Test]
    public void A_frame_on_a_hardware_tx_ring_goes_out_on_the_wire()
    {
        using NetmapPort port = Backend.OpenPort($"netmap:{_link.Nic}");
        byte[] frame = Ethernet(Broadcast, Mac(0x31), 31, 150);
        Assert.That(port.GetTxRing(0).TryWrite(frame), Is.True);
        port.TxSync();

        Assert.That(_link.ReceiveFromWire(f => f.AsSpan().SequenceEqual(frame), Guard), Is.Not.Null);
    }

    [Test]
    public void A_frame_from_the_wire_arrives_on_a_hardware_rx_ring_and_not_on_the_host_ring()
    {
        using NetmapPort port = Backend.OpenPort($"netmap:{_link.Nic}*");
        byte[] frame = Ethernet(Broadcast, Mac(0x32), 32, 150);
        _link.SendFromWire(frame);

        Assert.That(ReadUntil(port, f => f.AsSpan().SequenceEqual(frame), out int ring), Is.True);
        Assert.That(ring, Is.LessThan(port.RxRingCount), "a hardware ring, not the host ring");
    }

    /// <summary>Polls <paramref name="port"/> and reads its bound RX rings until a frame matches; skips the stack's own chatter.</summary>
    private bool ReadUntil(NetmapPort port, Func<byte[], bool> match, out int ring)
    {
        long deadline = Environment.TickCount64 + (long)Guard.TotalMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            port.Poll(NetmapPollEvents.Receive, TimeSpan.FromMilliseconds(Math.Max(1, deadline - Environment.TickCount64)));
            for (ring = port.FirstRxRing; ring < port.LastRxRing; ring++)
            {
                NetmapRing rx = port.GetRxRing(ring);
                while (rx.TryRead(out ReadOnlySpan<byte> frame))
                    if (match(frame.ToArray())) return true;
            }
            port.RxSync();
        }
        ring = -1;
        return false;
    }
}
