namespace Netmap.Dynamic.Fake;

/// <summary>
/// A VALE switch as the kernel keeps it (<c>struct nm_bridge</c>): ports in numbered slots, a list
/// of the active slot numbers, and the learning bridge's forwarding table — a hash table of
/// <see cref="HashSize"/> entries (address, port slot), not a dictionary, so that two addresses
/// in one bucket evict each other and a stale entry keeps naming a slot after its port left
/// (frames to it are dropped until a new port takes that slot), exactly as on the kernel.
/// Every member runs under <see cref="SyncRoot"/>.
/// </summary>
internal sealed class FakeValeSwitch
{
    /// <summary><c>NM_BDG_MAXPORTS</c>: port slots of a switch.</summary>
    public const int MaxPorts = 254;

    /// <summary>What <see cref="Lookup"/> answers for broadcast, multicast and unknown unicast (<c>NM_BDG_BROADCAST</c>).</summary>
    public const int Broadcast = MaxPorts;

    /// <summary>What <see cref="Lookup"/> answers for a frame to drop (<c>NM_BDG_NOPORT</c>).</summary>
    public const int NoPort = MaxPorts + 1;

    /// <summary><c>NM_BDG_HASH</c>: entries of the forwarding table.</summary>
    private const int HashSize = 1024;

    private readonly FakeValePort?[] _slots = new FakeValePort?[MaxPorts];
    private readonly int[] _activeSlots = new int[MaxPorts];   // bdg_port_index: the first ActiveCount are in use
    private readonly ulong[] _tableMac = new ulong[HashSize];   // zeroed at creation, as kmalloc(__GFP_ZERO) leaves it
    private readonly int[] _tablePort = new int[HashSize];

    public FakeValeSwitch(string name)
    {
        Name = name;
        for (int i = 0; i < MaxPorts; i++) _activeSlots[i] = i;
        Batch = new FakeValeBatch(this);
    }

    public string Name { get; }

    /// <summary>One lock for the whole switch: a TX sync on one port writes into the others' rings.</summary>
    public Lock SyncRoot { get; } = new();

    /// <summary>Scratch space of a TX sync's forwarding (one per switch: TX syncs run under <see cref="SyncRoot"/>).</summary>
    public FakeValeBatch Batch { get; }

    /// <summary>Ports attached now (<c>bdg_active_ports</c>).</summary>
    public int ActiveCount { get; private set; }

    /// <summary>The slot number of the <paramref name="i"/>-th active port, in the kernel's order.</summary>
    public int ActiveSlot(int i) => _activeSlots[i];

    /// <summary>The port in slot <paramref name="slot"/>, or null when the slot is free.</summary>
    public FakeValePort? PortAt(int slot) => _slots[slot];

    /// <summary>The attached port named <paramref name="name"/>, or null.</summary>
    public FakeValePort? Find(string name)
    {
        for (int i = 0; i < ActiveCount; i++)
        {
            FakeValePort port = _slots[_activeSlots[i]]!;
            if (port.Name == name) return port;
        }
        return null;
    }

    /// <summary>
    /// False when the switch is full: the kernel reserves two slots per new port (one for a NIC's host
    /// rings) and refuses when <c>active + 2 &gt;= NM_BDG_MAXPORTS</c>.
    /// </summary>
    public bool HasRoomForAPort => ActiveCount + 2 < MaxPorts;

    /// <summary>Attaches <paramref name="port"/> to the first free slot of the kernel's list.</summary>
    public void Attach(FakeValePort port)
    {
        int slot = _activeSlots[ActiveCount++];
        _slots[slot] = port;
        port.Slot = slot;
    }

    /// <summary>
    /// Detaches <paramref name="port"/>: its slot is swapped with the last active one, so it is the
    /// next slot handed out. Forwarding entries naming it stay (the kernel does not purge them).
    /// </summary>
    public void Detach(FakeValePort port)
    {
        for (int i = 0; i < ActiveCount; i++)
        {
            if (_activeSlots[i] != port.Slot) continue;
            ActiveCount--;
            _activeSlots[i] = _activeSlots[ActiveCount];
            _activeSlots[ActiveCount] = port.Slot;
            break;
        }
        _slots[port.Slot] = null;
    }

    /// <summary>
    /// <c>netmap_vale_learning</c>: learns the source address of <paramref name="header"/> for
    /// <paramref name="source"/> (unless it is multicast, or the port's last learned source), then
    /// returns the destination slot, <see cref="Broadcast"/>, or <see cref="NoPort"/> when the
    /// frame is shorter than an Ethernet header.
    /// </summary>
    public int Lookup(ReadOnlySpan<byte> header, FakeValePort source)
    {
        if (header.Length < 14) return NoPort;
        ulong destination = Mac(header);
        ulong sourceMac = Mac(header[6..]);
        if ((header[6] & 1) == 0 && source.LastSourceMac != sourceMac)
        {
            int bucket = Hash(header[6..]);
            source.LastSourceMac = _tableMac[bucket] = sourceMac;
            _tablePort[bucket] = source.Slot;
        }
        if ((header[0] & 1) != 0) return Broadcast;
        int at = Hash(header);
        return _tableMac[at] == destination ? _tablePort[at] : Broadcast;
    }

    /// <summary>The 6 bytes as the kernel reads them: a little-endian 48-bit number.</summary>
    private static ulong Mac(ReadOnlySpan<byte> a) =>
        a[0] | ((ulong)a[1] << 8) | ((ulong)a[2] << 16) | ((ulong)a[3] << 24) | ((ulong)a[4] << 32) | ((ulong)a[5] << 40);

    /// <summary><c>nm_vale_rthash</c>: Bob Jenkins' mix of the address, masked to the table size.</summary>
    private static int Hash(ReadOnlySpan<byte> addr)
    {
        uint a = 0x9e3779b9, b = 0x9e3779b9, c = 0;
        b += (uint)addr[5] << 8;
        b += addr[4];
        a += (uint)addr[3] << 24;
        a += (uint)addr[2] << 16;
        a += (uint)addr[1] << 8;
        a += addr[0];
        a -= b; a -= c; a ^= c >> 13;
        b -= c; b -= a; b ^= a << 8;
        c -= a; c -= b; c ^= b >> 13;
        a -= b; a -= c; a ^= c >> 12;
        b -= c; b -= a; b ^= a << 16;
        c -= a; c -= b; c ^= b >> 5;
        a -= b; a -= c; a ^= c >> 3;
        b -= c; b -= a; b ^= a << 10;
        c -= a; c -= b; c ^= b >> 15;
        return (int)(c & (HashSize - 1));
    }
}
