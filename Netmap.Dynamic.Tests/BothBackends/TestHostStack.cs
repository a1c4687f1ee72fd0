using System.Net;
using System.Net.Sockets;
using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// The host network stack behind a NIC's host rings, as a test sees it, on top of a
/// <see cref="TestLink"/>: the stack sends UDP datagrams out of the interface (they arrive on the
/// host RX ring of a port in netmap mode, or on the wire) and receives those that come up from the
/// host TX ring. Natively a veth pair with real sockets; on the fake a fake NIC whose host-stack
/// hooks build and parse the same frames.
/// </summary>
internal abstract class TestHostStack : IDisposable
{
    /// <summary>A neighbour the stack sends to, with this static MAC (no ARP).</summary>
    public static byte[] NeighbourMac { get; } = KernelFrames.Mac(0x42);

    /// <summary>The NIC and its wire.</summary>
    public abstract TestLink Link { get; }

    /// <summary>The interface to open (<c>netmap:{Interface}^</c> for its host rings).</summary>
    public string Interface => Link.Nic;

    /// <summary>The interface's own MAC and address (the stack's side).</summary>
    public abstract byte[] LocalMac { get; }
    public abstract IPAddress LocalIp { get; }
    public abstract IPAddress NeighbourIp { get; }

    /// <summary>The stack sends <paramref name="payload"/> to the neighbour, UDP port <paramref name="port"/>.</summary>
    public abstract void SendUdp(ushort port, byte[] payload);

    /// <summary>Opens a UDP socket of the stack on <see cref="LocalIp"/>:<paramref name="port"/>.</summary>
    public abstract void Listen(ushort port);

    /// <summary>The next datagram the stack delivered to the listening socket, or a failure after <paramref name="guard"/>.</summary>
    public abstract byte[] Receive(TimeSpan guard);

    /// <summary>A frame from the neighbour to the stack's UDP port, as it would come in on the wire.</summary>
    public byte[] FrameToStack(ushort port, byte[] payload) =>
        UdpFrames.Build(LocalMac, NeighbourMac, NeighbourIp, LocalIp, 40000, port, payload);

    public abstract void Dispose();

    /// <summary>A kernel NIC (a veth pair, or the pair <c>NETMAP_TEST_NIC_PAIR</c> names; ignored where there is none) or a fake NIC.</summary>
    public static TestHostStack Create(INetmapBackend backend, string name)
    {
        if (backend is FakeNetmapBackend fake)
            return new FakeStack(new FakeTestLink(fake, name, rings: 1));
        KernelTestLink? link = KernelTestLink.TryCreate(backend, $"{name}a", $"{name}b", (byte)Random.Shared.Next(1, 250), 1, out string? reason);
        if (link is null) Assert.Ignore($"no NIC for the host stack tests: {reason}");
        return new NativeStack(link);
    }

    private sealed class NativeStack(KernelTestLink veth) : TestHostStack
    {
        private UdpClient? _listener;

        public override TestLink Link => veth;
        public override byte[] LocalMac { get; } = veth.Mac;
        public override IPAddress LocalIp => veth.Address;
        public override IPAddress NeighbourIp { get; } = veth.AddNeighbour(2, NeighbourMac);

        public override void SendUdp(ushort port, byte[] payload)
        {
            using UdpClient client = new(new IPEndPoint(LocalIp, 0));
            // SO_NO_CHECK: the stack sends the datagram without a UDP checksum. Otherwise veth leaves the
            // checksum to the "hardware" (CHECKSUM_PARTIAL), and netmap's generic adapter drops such a
            // frame instead of putting it on the host RX ring (unless its generic_hwcsum is set).
            client.Client.SetRawSocketOption(SolSocket, SoNoCheck, BitConverter.GetBytes(1));
            client.Send(payload, new IPEndPoint(NeighbourIp, port));
        }

        private const int SolSocket = 1, SoNoCheck = 11;   // Linux <asm-generic/socket.h>

        public override void Listen(ushort port) => _listener = new UdpClient(new IPEndPoint(LocalIp, port));

        public override byte[] Receive(TimeSpan guard)
        {
            using CancellationTokenSource timeout = new(guard);
            try
            {
                return _listener!.ReceiveAsync(timeout.Token).AsTask().GetAwaiter().GetResult().Buffer;
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"the host stack received nothing within {guard}");
                throw;
            }
        }

        public override void Dispose()
        {
            _listener?.Dispose();
            veth.Dispose();
        }
    }

    private sealed class FakeStack(FakeTestLink link) : TestHostStack
    {
        private ushort _port;

        public override TestLink Link => link;
        public override byte[] LocalMac { get; } = KernelFrames.Mac(0x41);
        public override IPAddress LocalIp { get; } = IPAddress.Parse("10.201.0.1");
        public override IPAddress NeighbourIp { get; } = IPAddress.Parse("10.201.0.2");

        // The frame the Linux stack would send: from the interface to the neighbour's static MAC.
        public override void SendUdp(ushort port, byte[] payload) =>
            link.Interface.InjectFromHost(UdpFrames.Build(NeighbourMac, LocalMac, LocalIp, NeighbourIp, 40001, port, payload));

        public override void Listen(ushort port) => _port = port;

        public override byte[] Receive(TimeSpan guard)
        {
            foreach (FakeNetmapFrame frame in link.Interface.TakeSentToHost())
            {
                if (UdpFrames.TryGetPayload(frame.Data, _port, out byte[] payload))
                    return payload;
            }
            Assert.Fail("the fake host stack received no datagram for the listening port");
            return [];
        }

        public override void Dispose() => link.Dispose();
    }
}

/// <summary>Reading UDP frames from a ring, skipping whatever else arrives there.</summary>
internal static class HostRingFrames
{
    /// <summary>
    /// The next UDP frame to <paramref name="udpPort"/> on <paramref name="ring"/> of <paramref name="port"/>,
    /// skipping other frames (IPv6 neighbour discovery when an interface comes up); fails after <paramref name="guard"/>.
    /// </summary>
    public static byte[] NextUdpFrame(NetmapPort port, NetmapRing ring, ushort udpPort, TimeSpan guard)
    {
        DateTime deadline = DateTime.UtcNow + guard;
        while (true)
        {
            while (ring.TryRead(out ReadOnlySpan<byte> frame))
            {
                if (UdpFrames.TryGetPayload(frame, udpPort, out _))
                    return frame.ToArray();
            }
            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                break;
            port.Poll(NetmapPollEvents.Receive, left);
        }
        Assert.Fail($"no UDP frame to port {udpPort} arrived on {ring} within {guard}");
        return [];
    }
}
