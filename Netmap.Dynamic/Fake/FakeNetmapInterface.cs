namespace Netmap.Dynamic.Fake;

/// <summary>
/// Test hooks of a fake NIC (from <see cref="FakeNetmapBackend.AddInterface"/>): put frames on its RX
/// rings as if they came from the wire or from the host stack, and take what the program transmitted.
/// Thread-safe; a blocked <see cref="NetmapPort.Poll"/> on the NIC wakes when a frame is injected.
/// </summary>
public sealed class FakeNetmapInterface
{
    private readonly FakeNic _nic;

    internal FakeNetmapInterface(FakeNic nic) => _nic = nic;

    /// <summary>The interface name ("eth0").</summary>
    public string Name => _nic.Name;

    /// <summary>Hardware TX rings.</summary>
    public int TxRings => _nic.TxRings;

    /// <summary>Hardware RX rings.</summary>
    public int RxRings => _nic.RxRings;

    /// <summary>Host rings per direction (0 or 1 usually).</summary>
    public int HostRings => _nic.HostRxRings;

    /// <summary>
    /// A frame arriving from the wire on hardware RX ring <paramref name="ring"/>. It shows up at the
    /// program's next RX sync or poll. False (and counted in <see cref="ReceiveDrops"/>) when no port
    /// has the NIC open or the ring is full: a NIC drops what it has no room for.
    /// </summary>
    public bool InjectReceive(ReadOnlySpan<byte> frame, int ring = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ring);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ring, _nic.RxRings);
        return _nic.Inject(ring, frame);
    }

    /// <summary>
    /// A frame the host network stack sends out of the NIC. While the NIC's hardware TX ring is in
    /// netmap mode (<c>netmap:eth0</c> or <c>eth0*</c> is open) it appears on host RX ring
    /// <paramref name="hostRing"/> (<c>eth0^</c>); otherwise it goes to the wire
    /// (<see cref="TakeTransmitted"/>), as on the kernel. False when the host RX ring is full.
    /// </summary>
    public bool InjectFromHost(ReadOnlySpan<byte> frame, int hostRing = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hostRing);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(hostRing, _nic.HostRxRings);
        return _nic.InjectFromHost(hostRing, frame);
    }

    /// <summary>Frames transmitted on hardware TX rings since the last call, oldest first.</summary>
    public IReadOnlyList<FakeNetmapFrame> TakeTransmitted()
    {
        lock (_nic.SyncRoot)
        {
            FakeNetmapFrame[] frames = [.. _nic.Wire];
            _nic.Wire.Clear();
            return frames;
        }
    }

    /// <summary>Frames the program wrote to the host TX rings (towards the host stack) since the last call.</summary>
    public IReadOnlyList<FakeNetmapFrame> TakeSentToHost()
    {
        lock (_nic.SyncRoot)
        {
            FakeNetmapFrame[] frames = [.. _nic.ToHost];
            _nic.ToHost.Clear();
            return frames;
        }
    }

    /// <summary>Injected frames that were dropped (NIC not open or RX ring full).</summary>
    public long ReceiveDrops
    {
        get { lock (_nic.SyncRoot) return _nic.ReceiveDrops; }
    }

    // What the NIC shows the system, as NetmapDoctor reads it. These model the machine around
    // netmap, not the kernel's rules: the fake's rings behave the same whatever they say.

    /// <summary>The MTU the interface reports (1500 by default).</summary>
    public int Mtu
    {
        get => _nic.Link.Mtu;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 68);
            _nic.Link.Mtu = value;
        }
    }

    /// <summary>Whether the interface is up with a carrier (true by default).</summary>
    public bool IsUp
    {
        get => _nic.Link.Up;
        set => _nic.Link.Up = value;
    }

    /// <summary>Whether it is in promiscuous mode (false by default).</summary>
    public bool IsPromiscuous
    {
        get => _nic.Link.Promiscuous;
        set => _nic.Link.Promiscuous = value;
    }

    /// <summary>The offloads that are on (none by default: what netmap wants).</summary>
    public NetmapOffloads Offloads
    {
        get => _nic.Link.Offloads;
        set => _nic.Link.Offloads = value;
    }

    /// <summary>Whether it models a NIC with a native netmap driver (true by default) or one netmap would run on its emulated adapter.</summary>
    public bool HasNativeDriver
    {
        get => _nic.Link.NativeDriver;
        set => _nic.Link.NativeDriver = value;
    }
}
