namespace Netmap.Dynamic.Fake;

/// <summary>
/// An emulated NIC registered with <see cref="FakeNetmapBackend.AddInterface"/>: hardware rings and a
/// host ring pair in the shared NIC allocator (<c>nr_mem_id</c> 1). A TX sync puts every new packet
/// "on the wire" (recorded for the test) and completes at once; frames the test injects appear on
/// an RX ring at the next RX sync or poll. The host TX ring leads to the "host stack" (recorded),
/// the host RX ring is fed by the test as if the host stack sent frames.
/// </summary>
internal sealed class FakeNic(string name, int txRings, int rxRings, int txSlots, int rxSlots, int hostRings)
    : FakeAdapter(name, new Lock())
{
    public override int TxRings => txRings;
    public override int RxRings => rxRings;
    public override int HostTxRings => hostRings;
    public override int HostRxRings => hostRings;
    public override int TxSlots => txSlots;
    public override int RxSlots => rxSlots;
    public override bool PrivateMemory => false;

    /// <summary>Frames sent on hardware TX rings, oldest first (guarded by <see cref="FakeAdapter.SyncRoot"/>).</summary>
    public List<FakeNetmapFrame> Wire { get; } = [];

    /// <summary>Frames the program wrote to the host TX rings.</summary>
    public List<FakeNetmapFrame> ToHost { get; } = [];

    public long ReceiveDrops { get; set; }

    /// <summary>What the NIC shows the system (MTU, state, offloads, driver) for <see cref="NetmapDoctor"/>; it changes nothing the rings do.</summary>
    public FakeNicLink Link { get; } = new();

    /// <summary>The test hooks, to consume requested drops.</summary>
    public FakeFaultInjector Faults { get; init; } = null!;

    public override void TxSync(FakeKring tx)
    {
        List<FakeNetmapFrame> sink = tx.IsHost ? ToHost : Wire;
        int ring = tx.IsHost ? tx.Number - TxRings : tx.Number;
        for (uint k = tx.HwCur; k != tx.RHead; k = tx.Next(k))
        {
            if (!tx.TryGetTxFrame(k, out ReadOnlySpan<byte> frame) || Faults.TryConsumeDrop(Name)) continue;
            sink.Add(new FakeNetmapFrame(ring, frame.ToArray()));
        }
        tx.HwCur = tx.RHead;
        tx.HwTail = tx.Prev(tx.RHead);
    }

    public override void RxSync(FakeKring rx) => rx.ReleaseRx();

    /// <summary>
    /// A frame the host stack transmits on the NIC (<c>netmap_transmit</c>): it goes to host RX ring
    /// <paramref name="hostRing"/> only while the hardware TX ring it would leave by is in netmap mode;
    /// otherwise the driver sends it to the wire, as the kernel does (binding only <c>eth0^</c> does
    /// not divert the stack's traffic).
    /// </summary>
    public bool InjectFromHost(int hostRing, ReadOnlySpan<byte> frame)
    {
        lock (SyncRoot)
        {
            if (Tx.Length == 0 || Tx[hostRing % TxRings].Users == 0)
            {
                Wire.Add(new FakeNetmapFrame(hostRing % TxRings, frame.ToArray()));
                return true;
            }
        }
        return Inject(RxRings + hostRing, frame);
    }

    /// <summary>Puts a frame on RX ring <paramref name="ring"/> (hardware numbering, host rings after them).</summary>
    public bool Inject(int ring, ReadOnlySpan<byte> frame)
    {
        lock (SyncRoot)
        {
            if (ring >= Rx.Length || !Rx[ring].HasRing || !Rx[ring].Deliver(frame))
            {
                ReceiveDrops++;
                return false;
            }
            NotifyPorts();
            return true;
        }
    }
}
