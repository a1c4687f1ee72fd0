using System.Diagnostics;
using System.Net;
using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// A NIC for the host-ring tests and the far end of its wire. On the kernel a
/// <see cref="KernelTestLink"/> (a veth pair the test creates, or a NIC pair named by
/// <see cref="KernelTestLink.NicPairVariable"/>); on the fake a fake NIC whose test hooks play the wire.
/// </summary>
internal abstract class TestLink : IDisposable
{
    /// <summary>The interface name (for <c>netmap:NAME</c>).</summary>
    public abstract string Nic { get; }

    /// <summary>Its hardware ring pairs.</summary>
    public abstract int Rings { get; }

    /// <summary>Sends a frame from the far end of the wire: it arrives on the NIC's RX ring 0.</summary>
    public abstract void SendFromWire(byte[] frame);

    /// <summary>The first frame the NIC put on the wire that <paramref name="match"/> accepts, or null when none comes within the guard.</summary>
    public abstract byte[]? ReceiveFromWire(Func<byte[], bool> match, TimeSpan guard);

    public abstract void Dispose();
}

/// <summary>The fake's NIC: the wire and the host stack are its test hooks.</summary>
internal sealed class FakeTestLink : TestLink
{
    private readonly FakeNetmapInterface _nic;

    public FakeTestLink(FakeNetmapBackend backend, string name, int rings)
    {
        _nic = backend.AddInterface(name, txRings: rings, rxRings: rings, slots: 1024, hostRings: 1);
        Rings = rings;
    }

    public override int Rings { get; }

    /// <summary>The fake NIC's hooks (its host stack side too).</summary>
    public FakeNetmapInterface Interface => _nic;

    public override string Nic => _nic.Name;

    public override void SendFromWire(byte[] frame) => Assert.That(_nic.InjectReceive(frame), Is.True, "the NIC is in netmap mode");

    public override byte[]? ReceiveFromWire(Func<byte[], bool> match, TimeSpan guard) =>
        _nic.TakeTransmitted().Select(f => f.Data).FirstOrDefault(match);

    public override void Dispose()
    {
    }
}

/// <summary>
/// A NIC on the kernel and the far end of its wire, opened as a netmap port so the test can put
/// frames on the wire and see them: by default one end of a veth pair the test creates (address
/// 10.201.x.1/24); with <see cref="NicPairVariable"/> set, two NICs that exist already and are wired
/// to each other (the netmap lab's virtio-net or e1000 pairs), so the same tests run on those drivers.
/// </summary>
internal sealed class KernelTestLink : TestLink
{
    /// <summary>
    /// <c>NETMAP_TEST_NIC_PAIR=nic:peer</c>: the kernel's NIC tests use these two NICs (up, wired to
    /// each other; the test adds an address to the first and removes it again) instead of a veth pair.
    /// </summary>
    public const string NicPairVariable = "NETMAP_TEST_NIC_PAIR";

    private readonly NetmapPort _wire;
    private readonly bool _created;
    private readonly string _peer;

    private KernelTestLink(INetmapBackend backend, string nic, string peer, byte subnet, NetmapPort wire, bool created)
    {
        Nic = nic;
        _peer = peer;
        _wire = wire;
        _created = created;
        Address = IPAddress.Parse($"10.201.{subnet}.1");
        NetmapPortInfo info = backend.GetPortInfo(nic);
        Rings = info.TxRings;
        Slots = info.TxSlots;
    }

    public override string Nic { get; }

    /// <summary>The NIC's hardware ring pairs (a veth pair gets what the test asked for; a NIC pair has what its device has).</summary>
    public override int Rings { get; }

    /// <summary>Slots per hardware TX ring (the driver's ring size).</summary>
    public int Slots { get; }

    /// <summary>The NIC's IPv4 address in the host stack (10.201.x.1/24).</summary>
    public IPAddress Address { get; }

    /// <summary>The NIC's MAC, from sysfs.</summary>
    public byte[] Mac => Convert.FromHexString(File.ReadAllText($"/sys/class/net/{Nic}/address").Trim().Replace(":", "", StringComparison.Ordinal));

    /// <summary>What drives the NIC: its driver (a veth pair has no device in sysfs) and netmap's adapter on it.</summary>
    public NicAdapter Adapter => NicAdapter.Of(Nic, driverWithoutDevice: "veth");

    /// <summary>
    /// A neighbour on the NIC's subnet (10.201.x.<paramref name="host"/>) with a permanent MAC, so that
    /// the host stack sends to it without ARP; returns its address.
    /// </summary>
    public IPAddress AddNeighbour(byte host, byte[] mac)
    {
        byte[] address = Address.GetAddressBytes();
        address[3] = host;
        IPAddress neighbour = new(address);
        string lladdr = string.Join(':', mac.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(Ip($"neigh replace {neighbour} lladdr {lladdr} dev {Nic} nud permanent", out string? error), Is.True, error);
        return neighbour;
    }

    /// <summary>
    /// The NIC pair named by <see cref="NicPairVariable"/>, else a new veth pair <paramref name="nic"/>/<paramref name="peer"/>
    /// with <paramref name="queues"/> queues (needs root and iproute2's <c>ip</c>); null with the reason when it cannot.
    /// </summary>
    /// <remarks>A non-zero <paramref name="mtu"/> is set on both NICs before netmap opens either (a named pair gets 1500 back at the end).</remarks>
    public static KernelTestLink? TryCreate(INetmapBackend backend, string nic, string peer, byte subnet, int queues, out string? reason, int mtu = 0)
    {
        string? named = Environment.GetEnvironmentVariable(NicPairVariable);
        if (!string.IsNullOrEmpty(named))
        {
            string[] pair = named.Split(':');
            if (pair.Length != 2 || pair[0].Length == 0 || pair[1].Length == 0)
            {
                reason = $"{NicPairVariable}={named}: expected nic:peer";
                return null;
            }
            return TryOpen(backend, pair[0], pair[1], subnet, created: false, mtu, out reason);
        }
        string q = $"numtxqueues {queues} numrxqueues {queues}";
        if (!Ip($"link add {nic} {q} type veth peer name {peer} {q}", out reason)) return null;
        return TryOpen(backend, nic, peer, subnet, created: true, mtu, out reason);
    }

    private static KernelTestLink? TryOpen(INetmapBackend backend, string nic, string peer, byte subnet, bool created, int mtu, out string? reason)
    {
        string mtuArgument = $"mtu {(mtu > 0 ? mtu : DefaultMtu)}";
        bool ok = Ip($"link set {nic} {mtuArgument} up", out reason) && Ip($"link set {peer} {mtuArgument} up", out reason)
            && Ip($"addr flush dev {nic}", out reason) && Ip($"addr add 10.201.{subnet}.1/24 dev {nic}", out reason);
        NetmapPort? wire = null;
        try
        {
            if (ok)
            {
                wire = backend.OpenPort($"netmap:{peer}");
                return new KernelTestLink(backend, nic, peer, subnet, wire, created);
            }
        }
        catch (NetmapException e)
        {
            reason = $"netmap:{peer}: {e.Message}";
            wire?.Dispose();
        }
        Release(nic, created, peer);
        return null;
    }

    private const int DefaultMtu = 1500;

    public override void SendFromWire(byte[] frame)
    {
        Assert.That(_wire.GetTxRing(0).TryWrite(frame), Is.True);
        _wire.TxSync();
    }

    public override byte[]? ReceiveFromWire(Func<byte[], bool> match, TimeSpan guard)
    {
        long deadline = Environment.TickCount64 + (long)guard.TotalMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            _wire.Poll(NetmapPollEvents.Receive, TimeSpan.FromMilliseconds(Math.Max(1, deadline - Environment.TickCount64)));
            for (int r = _wire.FirstRxRing; r < _wire.LastRxRing; r++)
            {
                NetmapRing rx = _wire.GetRxRing(r);
                // whole packets: a frame longer than a buffer comes in several slots (NS_MOREFRAG)
                while (rx.TryPeekPacket(out NetmapPacket packet))
                {
                    byte[] copy = new byte[packet.Length];
                    Assert.That(rx.TryReadPacket(copy, out _), Is.True);
                    if (match(copy)) return copy;
                }
            }
        }
        return null;
    }

    public override void Dispose()
    {
        _wire.Dispose();
        Release(Nic, _created, _peer);
    }

    /// <summary>Deletes a veth pair the test made; leaves a named pair as it found it (no address, no neighbours, MTU 1500).</summary>
    private static void Release(string nic, bool created, string peer)
    {
        if (created)
        {
            Ip($"link del {nic}", out _);
            return;
        }
        Ip($"addr flush dev {nic}", out _);
        Ip($"neigh flush dev {nic}", out _);
        Ip($"link set {nic} mtu {DefaultMtu}", out _);
        Ip($"link set {peer} mtu {DefaultMtu}", out _);
    }

    /// <summary>Sets the MTU of the NIC (not its peer); false with the reason when <c>ip</c> refuses.</summary>
    public bool TrySetMtu(int mtu, out string? reason) => Ip($"link set {Nic} mtu {mtu}", out reason);

    private static bool Ip(string arguments, out string? error)
    {
        error = null;
        try
        {
            using Process? ip = Process.Start(new ProcessStartInfo("ip", arguments) { RedirectStandardError = true, RedirectStandardOutput = true });
            if (ip is null)
            {
                error = "could not start ip";
                return false;
            }
            string stderr = ip.StandardError.ReadToEnd();
            ip.WaitForExit();
            if (ip.ExitCode == 0) return true;
            error = $"ip {arguments}: exit {ip.ExitCode}: {stderr.Trim()}";
            return false;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            error = $"ip {arguments}: {e.Message}";
            return false;
        }
    }
}
