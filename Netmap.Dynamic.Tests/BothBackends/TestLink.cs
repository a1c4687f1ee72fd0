using System.Diagnostics;
using System.Net;
using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// A NIC for the host-ring tests and the far end of its wire. On the kernel it is one end of a
/// veth pair the test creates (netmap's emulated adapter drives it), the other end opened as a
/// netmap port; on the fake it is a fake NIC whose test hooks play the wire.
/// </summary>
internal abstract class TestLink : IDisposable
{
    /// <summary>The interface name (for <c>netmap:NAME</c>).</summary>
    public abstract string Nic { get; }

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

    public FakeTestLink(FakeNetmapBackend backend, string name, int rings) =>
        _nic = backend.AddInterface(name, txRings: rings, rxRings: rings, slots: 1024, hostRings: 1);

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
/// A veth pair on the kernel: <see cref="Nic"/> (with address 10.201.x.1/24) and its peer, the far
/// end of the wire, opened as a netmap port so the test can put frames on the wire and see them.
/// </summary>
internal sealed class VethTestLink : TestLink
{
    private readonly NetmapPort _wire;
    private readonly string _peer;

    private VethTestLink(string nic, string peer, byte subnet, NetmapPort wire)
    {
        Nic = nic;
        _peer = peer;
        _wire = wire;
        Address = IPAddress.Parse($"10.201.{subnet}.1");
    }

    public override string Nic { get; }

    /// <summary>The NIC's IPv4 address in the host stack (10.201.x.1/24).</summary>
    public IPAddress Address { get; }

    /// <summary>The NIC's MAC, from sysfs.</summary>
    public byte[] Mac => Convert.FromHexString(File.ReadAllText($"/sys/class/net/{Nic}/address").Trim().Replace(":", "", StringComparison.Ordinal));

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

    /// <summary>Creates the pair (needs root and iproute2's <c>ip</c>); null with the reason when it cannot.</summary>
    public static VethTestLink? TryCreate(INetmapBackend backend, string nic, string peer, byte subnet, int queues, out string? reason)
    {
        string q = $"numtxqueues {queues} numrxqueues {queues}";
        if (!Ip($"link add {nic} {q} type veth peer name {peer} {q}", out reason)) return null;
        bool ok = Ip($"link set {nic} up", out reason) && Ip($"link set {peer} up", out reason)
            && Ip($"addr add 10.201.{subnet}.1/24 dev {nic}", out reason);
        if (!ok)
        {
            Ip($"link del {nic}", out _);
            return null;
        }
        try
        {
            return new VethTestLink(nic, peer, subnet, backend.OpenPort($"netmap:{peer}"));
        }
        catch (NetmapException e)
        {
            reason = $"netmap:{peer}: {e.Message}";
            Ip($"link del {nic}", out _);
            return null;
        }
    }

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
                while (rx.TryRead(out ReadOnlySpan<byte> frame))
                {
                    byte[] copy = frame.ToArray();
                    if (match(copy)) return copy;
                }
            }
        }
        return null;
    }

    public override void Dispose()
    {
        _wire.Dispose();
        Ip($"link del {Nic}", out _);
    }

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
