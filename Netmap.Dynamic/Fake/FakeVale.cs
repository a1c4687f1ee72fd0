using System.Buffers.Binary;

namespace Netmap.Dynamic.Fake;

/// <summary>
/// A VALE switch: a learning bridge over its ports. A frame's source address is learned for the
/// sending port; broadcast, multicast and unknown destinations flood to every other port; a frame
/// for the sender's own address is dropped (never reflected). Frames are copied into the
/// receivers' own buffers (every VALE port has its own memory region).
/// </summary>
internal sealed class FakeValeSwitch(string name)
{
    public string Name { get; } = name;

    /// <summary>One lock for the whole switch: a TX sync on one port writes into the others' rings.</summary>
    public Lock SyncRoot { get; } = new();

    /// <summary>Ports in creation order (the order floods are delivered in).</summary>
    public List<FakeValePort> Ports { get; } = [];

    /// <summary>The learned forwarding table: MAC address (48 bits) → port.</summary>
    public Dictionary<ulong, FakeValePort> Table { get; } = [];

    /// <summary>Forwards one frame from <paramref name="source"/> (under <see cref="SyncRoot"/>).</summary>
    public void Forward(FakeValePort source, ReadOnlySpan<byte> frame, bool learn)
    {
        if (frame.Length < 14) return;   // shorter than an Ethernet header: the bridge drops it
        ulong destination = ReadMac(frame);
        ulong sourceMac = ReadMac(frame[6..]);
        if (learn && (frame[6] & 1) == 0) Table[sourceMac] = source;
        if ((frame[0] & 1) == 0 && Table.TryGetValue(destination, out FakeValePort? target))
        {
            if (!ReferenceEquals(target, source)) target.Receive(frame);
            return;
        }
        foreach (FakeValePort port in Ports)
        {
            if (!ReferenceEquals(port, source)) port.Receive(frame);
        }
    }

    /// <summary>Forgets the addresses learned on a port that goes away.</summary>
    public void Forget(FakeValePort port)
    {
        foreach (KeyValuePair<ulong, FakeValePort> entry in Table.Where(e => ReferenceEquals(e.Value, port)).ToList())
            Table.Remove(entry.Key);
    }

    private static ulong ReadMac(ReadOnlySpan<byte> bytes) =>
        ((ulong)BinaryPrimitives.ReadUInt16BigEndian(bytes) << 32) | BinaryPrimitives.ReadUInt32BigEndian(bytes[2..]);
}

/// <summary>
/// A VALE port (<c>valeX:Y</c>), created on first open with its own memory region. A TX sync
/// forwards every new packet and completes at once (<c>tail = head - 1</c>); packets arrive on the
/// receivers' RX ring 0, copied, with the fragment count 1 in the slot flags' high byte (0x100).
/// A receiver with a full RX ring loses the packet, as on the real switch.
/// </summary>
internal sealed class FakeValePort(string name, FakeValeSwitch valeSwitch, int txRings, int rxRings, int txSlots, int rxSlots)
    : FakeAdapter(name, valeSwitch.SyncRoot)
{
    public FakeValeSwitch Switch { get; } = valeSwitch;
    public override int TxRings => txRings;
    public override int RxRings => rxRings;
    public override int HostTxRings => 0;
    public override int HostRxRings => 0;
    public override int TxSlots => txSlots;
    public override int RxSlots => rxSlots;
    public override bool PrivateMemory => true;

    /// <summary>Frames dropped because the RX ring was full.</summary>
    public long ReceiveDrops { get; private set; }

    /// <summary>The backend, to consume test-requested drops.</summary>
    public FakeNetmapBackend Backend { get; init; } = null!;

    public int Create(FakeMemory memory) => CreateRings(memory);

    public override void TxSync(FakeKring tx)
    {
        for (uint k = tx.HwCur; k != tx.RHead; k = tx.Next(k))
        {
            bool valid = tx.TryGetTxFrame(k, out ReadOnlySpan<byte> frame);
            if (!valid || Backend.TryConsumeDrop(Name)) continue;
            bool learn = (tx.Slot(k).flags & (ushort)Interop.NetmapSlotFlags.NS_NO_LEARN) == 0;
            Switch.Forward(this, frame, learn);
        }
        tx.HwCur = tx.RHead;
        tx.HwTail = tx.Prev(tx.RHead);   // observed: VALE TX completes immediately
    }

    public override void RxSync(FakeKring rx) => rx.ReleaseRx();

    /// <summary>Delivers a copy of <paramref name="frame"/> to RX ring 0 and wakes this port's waiters.</summary>
    public void Receive(ReadOnlySpan<byte> frame)
    {
        if (Rx.Length == 0) return;
        if (Rx[0].Deliver(frame)) NotifyPorts();
        else ReceiveDrops++;
    }
}
