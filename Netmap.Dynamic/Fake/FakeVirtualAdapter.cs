namespace Netmap.Dynamic.Fake;

/// <summary>
/// An adapter with no hardware behind it (a pipe end, a VALE port): ring counts and slots as
/// registered, no host rings, and memory of its own (<c>NI_PRIV_MEM</c>).
/// </summary>
internal abstract class FakeVirtualAdapter(string name, Lock syncRoot, int txRings, int rxRings, int txSlots, int rxSlots)
    : FakeAdapter(name, syncRoot)
{
    public override int TxRings => txRings;
    public override int RxRings => rxRings;
    public override int HostTxRings => 0;
    public override int HostRxRings => 0;
    public override int TxSlots => txSlots;
    public override int RxSlots => rxSlots;
    public override bool PrivateMemory => true;
}
