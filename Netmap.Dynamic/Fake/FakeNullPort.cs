namespace Netmap.Dynamic.Fake;

/// <summary>
/// A null port (<c>NR_REG_NULL</c>, netmap_null.c): the rings a register asked for, in an allocator
/// that exists already, attached to no device. Its syncs do nothing (<c>netmap_null_sync</c>): TX
/// slots are never completed, nothing arrives. Every register makes a new one; it goes with its
/// last port.
/// </summary>
internal sealed class FakeNullPort(string name, int txRings, int rxRings, int txSlots, int rxSlots, bool privateMemory)
    : FakeVirtualAdapter(name, new Lock(), txRings, rxRings, txSlots, rxSlots)
{
    public override bool PrivateMemory => privateMemory;

    public override void TxSync(FakeKring kring)
    {
    }

    public override void RxSync(FakeKring kring)
    {
    }
}
