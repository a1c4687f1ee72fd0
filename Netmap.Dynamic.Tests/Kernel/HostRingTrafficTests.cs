using System.Buffers.Binary;

namespace Netmap.Dynamic.Tests.Kernel;

/// <summary>
/// Traffic through a NIC's host rings: while the NIC is in netmap mode, what the host stack sends
/// out of it arrives on the host RX ring, and what a program writes to the host TX ring goes up the
/// host stack as if the NIC had received it. Natively on a veth pair the test creates, on the fake
/// on a fake NIC.
/// </summary>
public sealed class HostRingTrafficTests(BackendKind kind) : TwoBackendTest(kind)
{
    private TestHostStack _stack = null!;

    [SetUp]
    public void CreateStack() => _stack = TestHostStack.Create(IsNative, IsNative ? null : Fake);

    [TearDown]
    public void DeleteStack() => _stack?.Dispose();

    [Test]
    public void A_datagram_the_host_stack_sends_out_of_the_interface_arrives_on_the_host_RX_ring()
    {
        using NetmapPort port = Backend.OpenPort($"netmap:{_stack.Interface}^");
        ushort udpPort = NextUdpPort();
        byte[] payload = "from the host stack"u8.ToArray();

        _stack.SendUdp(udpPort, payload);

        byte[] frame = NextUdpFrame(port, udpPort);
        Assert.Multiple(() =>
        {
            Assert.That(frame[..6], Is.EqualTo(_stack.NeighbourMac), "to the neighbour");
            Assert.That(frame[6..12], Is.EqualTo(_stack.LocalMac), "from the interface");
            Assert.That(UdpFrames.TryGetPayload(frame, udpPort, out byte[] got) ? got : null, Is.EqualTo(payload));
        });
    }

    [Test]
    public void Datagrams_from_the_host_stack_arrive_on_the_host_RX_ring_in_the_order_sent()
    {
        using NetmapPort port = Backend.OpenPort($"netmap:{_stack.Interface}^");
        ushort udpPort = NextUdpPort();
        const int count = 20;

        for (int i = 0; i < count; i++)
            _stack.SendUdp(udpPort, BitConverter.GetBytes(i));

        for (int i = 0; i < count; i++)
        {
            Assert.That(UdpFrames.TryGetPayload(NextUdpFrame(port, udpPort), udpPort, out byte[] payload), Is.True);
            Assert.That(BinaryPrimitives.ReadInt32LittleEndian(payload), Is.EqualTo(i), $"datagram {i}");
        }
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
        ushort udpPort = NextUdpPort();
        _stack.SendUdp(udpPort, [1, 2, 3]);
        Assert.That(UdpFrames.TryGetPayload(NextUdpFrame(port, udpPort), udpPort, out byte[] got) ? got : null, Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    private static ushort NextUdpPort() => (ushort)Random.Shared.Next(20000, 30000);

    /// <summary>
    /// The next UDP frame to <paramref name="udpPort"/> on the port's first host RX ring, skipping
    /// whatever else the stack sends there (IPv6 neighbour discovery when an interface comes up).
    /// </summary>
    private static byte[] NextUdpFrame(NetmapPort port, ushort udpPort)
    {
        NetmapRing hostRx = port.GetRxRing(port.RxRingCount);
        DateTime deadline = DateTime.UtcNow + Guard;
        while (DateTime.UtcNow < deadline)
        {
            while (hostRx.TryRead(out ReadOnlySpan<byte> frame))
            {
                if (UdpFrames.TryGetPayload(frame, udpPort, out _))
                    return frame.ToArray();
            }
            port.Poll(NetmapPollEvents.Receive, TimeSpan.FromMilliseconds(200));
        }
        Assert.Fail($"no UDP frame to port {udpPort} arrived on the host RX ring within {Guard}");
        return [];
    }
}
