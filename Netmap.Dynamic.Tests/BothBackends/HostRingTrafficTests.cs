using System.Buffers.Binary;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// Traffic through a NIC's host rings: while the NIC's hardware TX ring is in netmap mode, what the
/// host stack sends out of it arrives on the host RX ring instead of the wire; what a program writes
/// to the host TX ring goes up the host stack as if the NIC had received it. Natively on a veth pair
/// the test creates (or the NIC pair <c>NETMAP_TEST_NIC_PAIR</c> names), on the fake on a fake NIC.
/// </summary>
[Category(NicTests.Category)]
public sealed class HostRingTrafficTests(BackendKind kind) : TwoBackendTest(kind)
{
    private TestHostStack _stack = null!;

    [SetUp]
    public void CreateStack() => _stack = TestHostStack.Create(Backend, Unique("nh"));

    [TearDown]
    public void DeleteStack() => _stack?.Dispose();

    [Test]
    public void A_datagram_the_host_stack_sends_arrives_on_the_host_RX_ring_instead_of_the_wire()
    {
        using NetmapPort port = Backend.OpenPort($"netmap:{_stack.Interface}*");
        ushort udpPort = NextUdpPort();
        byte[] payload = "from the host stack"u8.ToArray();

        _stack.SendUdp(udpPort, payload);

        byte[] frame = HostRx(port, udpPort);
        Assert.Multiple(() =>
        {
            Assert.That(frame[..6], Is.EqualTo(TestHostStack.NeighbourMac), "to the neighbour");
            Assert.That(frame[6..12], Is.EqualTo(_stack.LocalMac), "from the interface");
            Assert.That(UdpFrames.TryGetPayload(frame, udpPort, out byte[] got) ? got : null, Is.EqualTo(payload));
        });
    }

    [Test]
    public void Datagrams_from_the_host_stack_arrive_on_the_host_RX_ring_in_the_order_sent()
    {
        using NetmapPort port = Backend.OpenPort($"netmap:{_stack.Interface}*");
        ushort udpPort = NextUdpPort();
        const int count = 20;

        for (int i = 0; i < count; i++)
            _stack.SendUdp(udpPort, BitConverter.GetBytes(i));

        for (int i = 0; i < count; i++)
        {
            Assert.That(UdpFrames.TryGetPayload(HostRx(port, udpPort), udpPort, out byte[] payload), Is.True);
            Assert.That(BinaryPrimitives.ReadInt32LittleEndian(payload), Is.EqualTo(i), $"datagram {i}");
        }
    }

    [Test]
    public void While_only_the_host_rings_are_in_netmap_mode_the_stack_still_sends_to_the_wire()
    {
        using NetmapPort host = Backend.OpenPort($"netmap:{_stack.Interface}^");
        ushort udpPort = NextUdpPort();

        _stack.SendUdp(udpPort, [7, 7, 7]);

        byte[]? onWire = _stack.Link.ReceiveFromWire(frame => UdpFrames.TryGetPayload(frame, udpPort, out _), Guard);
        Assert.That(onWire, Is.Not.Null, "the datagram went out on the wire");
        Assert.That(UdpFrames.TryGetPayload(onWire, udpPort, out byte[] got) ? got : null, Is.EqualTo(new byte[] { 7, 7, 7 }));
        NetmapRing hostRx = host.GetRxRing(host.RxRingCount);
        host.RxSync();
        while (hostRx.TryRead(out ReadOnlySpan<byte> frame))
            Assert.That(UdpFrames.TryGetPayload(frame, udpPort, out _), Is.False, "the datagram did not also reach the host RX ring");
    }

    [Test]
    public void A_frame_written_to_the_host_TX_ring_goes_up_the_host_stack()
    {
        using NetmapPort port = Backend.OpenPort($"netmap:{_stack.Interface}^");
        ushort udpPort = NextUdpPort();
        byte[] payload = "from the host TX ring"u8.ToArray();
        _stack.Listen(udpPort);

        NetmapRing hostTx = port.GetTxRing(port.TxRingCount);   // the first host TX ring follows the hardware rings
        Assert.That(hostTx.TryWrite(_stack.FrameToStack(udpPort, payload)), Is.True);
        port.TxSync();

        Assert.That(_stack.Receive(Guard), Is.EqualTo(payload));
    }

    [Test]
    public void A_NIC_opened_with_its_host_rings_binds_them_after_the_hardware_rings()
    {
        using NetmapPort port = Backend.OpenPort($"netmap:{_stack.Interface}*");
        Assert.Multiple(() =>
        {
            Assert.That((port.HostTxRingCount, port.HostRxRingCount), Is.EqualTo((1, 1)));
            Assert.That((port.FirstTxRing, port.LastTxRing), Is.EqualTo((0, port.TxRingCount + 1)));
            Assert.That((port.FirstRxRing, port.LastRxRing), Is.EqualTo((0, port.RxRingCount + 1)));
        });
    }

    private static ushort NextUdpPort() => (ushort)Random.Shared.Next(20000, 30000);

    private static byte[] HostRx(NetmapPort port, ushort udpPort) =>
        HostRingFrames.NextUdpFrame(port, port.GetRxRing(port.RxRingCount), udpPort, Guard);
}
