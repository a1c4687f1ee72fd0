using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Fake;

/// <summary>
/// One emulated netmap adapter (a pipe end, a VALE port, a NIC): its rings in a
/// <see cref="FakeMemory"/>, the ports bound to it, and the adapter-specific "driver" work done by
/// <see cref="TxSync"/> and <see cref="RxSync"/> inside a sync or poll. Adapters that exchange packets
/// share one <see cref="SyncRoot"/> (both ends of a pipe, all ports of a switch).
/// </summary>
internal abstract class FakeAdapter(string name, Lock syncRoot)
{
    public string Name { get; } = name;

    /// <summary>The lock every sync, poll and injection on this adapter runs under.</summary>
    public Lock SyncRoot { get; } = syncRoot;

    /// <summary>Set while the adapter has rings (between the first open and the last close).</summary>
    public FakeMemory Memory { get; protected set; } = null!;

    /// <summary>TX rings: hardware rings, then host rings. Empty while the adapter has no rings.</summary>
    public FakeKring[] Tx { get; protected set; } = [];

    /// <summary>RX rings: hardware rings, then host rings.</summary>
    public FakeKring[] Rx { get; protected set; } = [];

    public abstract int TxRings { get; }
    public abstract int RxRings { get; }
    public abstract int HostTxRings { get; }
    public abstract int HostRxRings { get; }
    public abstract int TxSlots { get; }
    public abstract int RxSlots { get; }

    /// <summary><c>NI_PRIV_MEM</c> for pipes and VALE ports.</summary>
    public abstract bool PrivateMemory { get; }

    /// <summary>Ports currently bound to this adapter (signalled when its rings change).</summary>
    public List<FakePortDriver> Ports { get; } = [];

    public bool HasRings => Tx.Length + Rx.Length > 0;

    /// <summary>The driver's txsync: consume <c>[hwcur, rhead)</c>, update hwcur and hwtail.</summary>
    public abstract void TxSync(FakeKring kring);

    /// <summary>The driver's rxsync: release <c>[hwcur, rhead)</c>, publish new packets via hwtail.</summary>
    public abstract void RxSync(FakeKring kring);

    /// <summary>Wakes every waiter of every port of this adapter (they re-check their rings).</summary>
    public void NotifyPorts()
    {
        foreach (FakePortDriver port in Ports) port.Signal.Set();
    }

    /// <summary>
    /// Allocates ring objects and buffers in the kernel's order (RX rings first, then TX rings;
    /// each ring's buffers consecutive and ascending) and writes their initial state.
    /// Returns ENOMEM when a pool is exhausted (after freeing what it took).
    /// </summary>
    protected int CreateRings(FakeMemory memory)
    {
        Memory = memory;
        var rx = new FakeKring[RxRings + HostRxRings];
        var tx = new FakeKring[TxRings + HostTxRings];
        int error = CreateDirection(memory, rx, isTx: false, RxRings, (uint)RxSlots);
        if (error == 0) error = CreateDirection(memory, tx, isTx: true, TxRings, (uint)TxSlots);
        Rx = rx;
        Tx = tx;
        if (error != 0) DestroyRings();
        return error;
    }

    /// <summary>Frees the ring objects and every buffer their slots name.</summary>
    public void DestroyRings()
    {
        foreach (FakeKring? kring in Tx.Concat(Rx))
        {
            if (kring is null) continue;
            for (uint i = 0; i < kring.SlotCount; i++) Memory.FreeBuffer(kring.Slot(i).buf_idx);
            Memory.FreeRing(kring.RingOffset);
        }
        Tx = [];
        Rx = [];
    }

    private int CreateDirection(FakeMemory memory, FakeKring[] rings, bool isTx, int hardware, uint slots)
    {
        for (int i = 0; i < rings.Length; i++)
        {
            long offset = memory.AllocateRing(slots);
            if (offset < 0) return Errno.ENOMEM;
            var kring = new FakeKring(this, isTx, i, isHost: i >= hardware, slots, offset);
            rings[i] = kring;
            Span<uint> buffers = new uint[slots];
            bool ok = memory.AllocateBuffers(buffers);
            for (uint s = 0; s < slots; s++)
            {
                ref netmap_slot slot = ref kring.Slot(s);
                slot.buf_idx = ok ? buffers[(int)s] : 0;
                slot.len = (ushort)memory.Layout.BufferSize;
            }
            kring.InitializeHeader(memory.Layout.BufferPoolOffset, (uint)memory.Layout.BufferSize);
            if (!ok) return Errno.ENOMEM;
        }
        return 0;
    }
}
