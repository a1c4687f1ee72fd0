using System.Net;
using System.Net.Sockets;
using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Tests.Kernel;

/// <summary>
/// The host network stack behind a NIC's host rings, as a test sees it: it sends UDP datagrams out
/// of the interface (they arrive on the host RX ring of a port in netmap mode) and receives those
/// that come up from the host TX ring. Natively a veth pair and real sockets; on the fake a fake NIC
/// whose host-stack hooks build and parse the same frames.
/// </summary>
internal abstract class TestHostStack : IDisposable
{
    /// <summary>The interface to open (<c>netmap:{Interface}^</c> for its host rings).</summary>
    public abstract string Interface { get; }

    /// <summary>The interface's own MAC and address (the stack's side).</summary>
    public abstract byte[] LocalMac { get; }
    public abstract IPAddress LocalIp { get; }

    /// <summary>A neighbour the stack sends to, with a static MAC.</summary>
    public byte[] NeighbourMac => VethPair.NeighbourMac;
    public abstract IPAddress NeighbourIp { get; }

    /// <summary>The stack sends <paramref name="payload"/> to the neighbour, UDP port <paramref name="port"/>.</summary>
    public abstract void SendUdp(ushort port, byte[] payload);

    /// <summary>Opens a UDP socket of the stack on <see cref="LocalIp"/>:<paramref name="port"/>.</summary>
    public abstract void Listen(ushort port);

    /// <summary>The next datagram the stack delivered to the listening socket, or a failure after <paramref name="guard"/>.</summary>
    public abstract byte[] Receive(TimeSpan guard);

    /// <summary>
    /// Starts watching the wire (what the NIC transmits) for UDP frames: natively the veth's other end
    /// in netmap mode, on the fake the NIC's transmitted frames.
    /// </summary>
    public abstract WireTap OpenWire(INetmapBackend backend);

    /// <summary>A frame from the neighbour to the stack's UDP port, as it would come in on the wire.</summary>
    public byte[] FrameToStack(ushort port, byte[] payload) =>
        UdpFrames.Build(LocalMac, NeighbourMac, NeighbourIp, LocalIp, 40000, port, payload);

    public abstract void Dispose();

    public static TestHostStack Create(bool native, FakeNetmapBackend? fake) =>
        native ? new NativeStack(VethPair.Create("nh")) : new FakeStack(fake!);

    private sealed class NativeStack(VethPair veth) : TestHostStack
    {
        private UdpClient? _listener;

        public override string Interface => veth.Name;
        public override byte[] LocalMac { get; } = veth.LocalMac;
        public override IPAddress LocalIp => veth.LocalIp;
        public override IPAddress NeighbourIp => veth.NeighbourIp;

        public override void SendUdp(ushort port, byte[] payload)
        {
            using UdpClient client = new(new IPEndPoint(LocalIp, 0));
            // SO_NO_CHECK: the stack sends the datagram without a UDP checksum. Otherwise veth lets the
            // checksum to the "hardware" (CHECKSUM_PARTIAL), and netmap's generic adapter drops such a
            // frame instead of putting it on the host RX ring (unless its generic_hwcsum is set).
            client.Client.SetRawSocketOption(SolSocket, SoNoCheck, BitConverter.GetBytes(1));
            client.Send(payload, new IPEndPoint(NeighbourIp, port));
        }

        private const int SolSocket = 1, SoNoCheck = 11;   // Linux <asm-generic/socket.h>

        public override void Listen(ushort port) => _listener = new UdpClient(new IPEndPoint(LocalIp, port));

        public override WireTap OpenWire(INetmapBackend backend) => new PeerTap(backend.OpenPort($"netmap:{veth.Peer}"));

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

    private sealed class FakeStack : TestHostStack
    {
        private readonly FakeNetmapInterface _nic;
        private ushort _port;

        public FakeStack(FakeNetmapBackend fake) => _nic = fake.AddInterface("nh0");

        public override string Interface => _nic.Name;
        public override byte[] LocalMac { get; } = EthernetFrames.Mac(0x41);
        public override IPAddress LocalIp { get; } = IPAddress.Parse("10.214.0.1");
        public override IPAddress NeighbourIp { get; } = IPAddress.Parse("10.214.0.2");

        // The frame the Linux stack would send: from the interface to the neighbour's static MAC.
        public override void SendUdp(ushort port, byte[] payload) =>
            _nic.InjectFromHost(UdpFrames.Build(NeighbourMac, LocalMac, LocalIp, NeighbourIp, 40001, port, payload));

        public override void Listen(ushort port) => _port = port;

        public override WireTap OpenWire(INetmapBackend backend) => new FakeTap(_nic);

        public override byte[] Receive(TimeSpan guard)
        {
            foreach (FakeNetmapFrame frame in _nic.TakeSentToHost())
            {
                if (UdpFrames.TryGetPayload(frame.Data, _port, out byte[] payload))
                    return payload;
            }
            Assert.Fail("the fake host stack received no datagram for the listening port");
            return [];
        }

        public override void Dispose()
        {
        }
    }

    /// <summary>What the NIC puts on the wire.</summary>
    internal abstract class WireTap : IDisposable
    {
        /// <summary>The next UDP frame to <paramref name="udpPort"/> seen on the wire, or a failure after <paramref name="guard"/>.</summary>
        public abstract byte[] NextUdpFrame(ushort udpPort, TimeSpan guard);

        /// <summary>Puts <paramref name="frame"/> on the wire towards the NIC: it arrives on the NIC's RX ring 0.</summary>
        public abstract void Send(byte[] frame);

        public virtual void Dispose()
        {
        }
    }

    private sealed class PeerTap(NetmapPort peer) : WireTap
    {
        public override byte[] NextUdpFrame(ushort udpPort, TimeSpan guard) => HostRingFrames.NextUdpFrame(peer, peer.GetRxRing(0), udpPort, guard);

        public override void Send(byte[] frame)
        {
            Assert.That(peer.GetTxRing(0).TryWrite(frame), Is.True, "the peer's TX ring has room");
            peer.TxSync();
        }

        public override void Dispose() => peer.Dispose();
    }

    private sealed class FakeTap(FakeNetmapInterface nic) : WireTap
    {
        public override byte[] NextUdpFrame(ushort udpPort, TimeSpan guard)
        {
            foreach (FakeNetmapFrame frame in nic.TakeTransmitted())
            {
                if (UdpFrames.TryGetPayload(frame.Data, udpPort, out _))
                    return frame.Data;
            }
            Assert.Fail($"no UDP frame to port {udpPort} went out on the fake wire");
            return [];
        }

        public override void Send(byte[] frame) => Assert.That(nic.InjectReceive(frame), Is.True, "the fake NIC took the frame");
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
