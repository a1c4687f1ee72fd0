namespace Netmap.Dynamic.Fake;

/// <summary>
/// A VALE port (<c>valeX:Y</c>), created on first open with its own memory region and attached to
/// its switch until its last user closes it. A TX sync forwards every new packet through the
/// switch (<see cref="FakeValeBatch"/>) and completes at once (<c>tail = head - 1</c>); receivers
/// get copies in their own buffers, with the fragment count in the slot flags' high byte (0x100
/// for one). A receiver whose ring is full loses the packet, as on the real switch.
/// </summary>
internal sealed class FakeValePort(string name, FakeValeSwitch valeSwitch, int txRings, int rxRings, int txSlots, int rxSlots)
    : FakeVirtualAdapter(name, valeSwitch.SyncRoot, txRings, rxRings, txSlots, rxSlots)
{
    public FakeValeSwitch Switch { get; } = valeSwitch;

    /// <summary>The port's slot number in its switch (<c>bdg_port</c>).</summary>
    public int Slot { get; set; }

    /// <summary>The source address this port last taught the switch (<c>last_smac</c>; all ones at creation).</summary>
    public ulong LastSourceMac { get; set; } = ulong.MaxValue;

    /// <summary>Pipes (<c>valeX:y{N</c>) that use this port's memory: the port stays while they do.</summary>
    public int PipeUsers { get; set; }

    /// <summary>Packets this port did not receive because its RX ring was full or unbound.</summary>
    public long ReceiveDrops { get; set; }

    /// <summary>The test hooks, to consume requested drops.</summary>
    public FakeFaultInjector Faults { get; init; } = null!;

    public override void TxSync(FakeKring tx)
    {
        Switch.Batch.Forward(this, tx);
        tx.HwCur = tx.RHead;
        tx.HwTail = tx.Prev(tx.RHead);   // observed: VALE TX completes immediately
    }

    public override void RxSync(FakeKring rx) => rx.ReleaseRx();
}
