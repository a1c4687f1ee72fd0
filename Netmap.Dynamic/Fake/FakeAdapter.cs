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

    /// <summary>Set while the adapter is in use (between the first open and the last close).</summary>
    public FakeMemory Memory { get; protected set; } = null!;

    /// <summary>TX krings: hardware rings, then host rings. Empty while the adapter is not in use.</summary>
    public FakeKring[] Tx { get; protected set; } = [];

    /// <summary>RX krings: hardware rings, then host rings.</summary>
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

    /// <summary>True while the adapter is in use: its krings exist (<c>netmap_krings_create</c> has run).</summary>
    public bool HasRings => Tx.Length + Rx.Length > 0;

    /// <summary>The driver's txsync: consume <c>[hwcur, rhead)</c>, update hwcur and hwtail.</summary>
    public abstract void TxSync(FakeKring kring);

    /// <summary>The driver's rxsync: release <c>[hwcur, rhead)</c>, publish new packets via hwtail.</summary>
    public abstract void RxSync(FakeKring kring);

    /// <summary>
    /// Wakes every waiter of every port of this adapter (they re-check their rings); copy monitors of
    /// its RX rings see the new frames first (<c>netmap_monitor_parent_notify</c>).
    /// </summary>
    public void NotifyPorts()
    {
        FakeMonitorTaps.OnNotify(this);
        foreach (FakePortDriver port in Ports) port.Signal.Set();
    }

    /// <summary>
    /// Puts the adapter in use in <paramref name="memory"/>: krings for every ring (hardware and
    /// host), no ring objects yet — those come with the first port that binds each ring.
    /// </summary>
    public void Activate(FakeMemory memory)
    {
        Memory = memory;
        Rx = Krings(isTx: false, RxRings + HostRxRings, RxRings, (uint)RxSlots);
        Tx = Krings(isTx: true, TxRings + HostTxRings, TxRings, (uint)TxSlots);
    }

    /// <summary>The ring objects a registration needs for the krings it binds (a pipe adds its peer's); 0 or ENOMEM.</summary>
    public virtual int CreateBoundRings() => CreateNeededRings();

    /// <summary>
    /// <c>netmap_mem_rings_create</c>: a ring object and buffers for every kring that is bound (or
    /// kept by a pipe) and has none, RX krings first, each ring's buffers the lowest free ones. A
    /// copy kring gets buffer index 0 in every slot (its pipe peer's slots are copied over it).
    /// ENOMEM when a pool is exhausted or a ring is larger than the pool's objects; what was created
    /// then stays for <see cref="DeleteUnneededRings"/> to free.
    /// </summary>
    public int CreateNeededRings()
    {
        foreach (FakeKring kring in Rx)
            if (NeedsRing(kring) && CreateRing(kring) != 0) return Errno.ENOMEM;
        foreach (FakeKring kring in Tx)
            if (NeedsRing(kring) && CreateRing(kring) != 0) return Errno.ENOMEM;
        return 0;
    }

    /// <summary><c>netmap_mem_rings_delete</c>: frees the ring object and buffers of every kring no port binds (and no pipe keeps).</summary>
    public void DeleteUnneededRings()
    {
        foreach (FakeKring kring in Rx.Concat(Tx))
        {
            if (kring.HasRing && kring.Users == 0 && !kring.NeedRing) DeleteRing(kring);
        }
    }

    /// <summary>Ends the adapter's use: frees every ring object and every buffer their slots name, drops the krings.</summary>
    public void DestroyRings()
    {
        foreach (FakeKring kring in Tx.Concat(Rx))
        {
            if (kring.HasRing) DeleteRing(kring);
        }
        Tx = [];
        Rx = [];
    }

    private static bool NeedsRing(FakeKring kring) => !kring.HasRing && (kring.Users > 0 || kring.NeedRing);

    private FakeKring[] Krings(bool isTx, int count, int hardware, uint slots)
    {
        var krings = new FakeKring[count];
        for (int i = 0; i < count; i++) krings[i] = new FakeKring(this, isTx, i, isHost: i >= hardware, slots);
        return krings;
    }

    private int CreateRing(FakeKring kring)
    {
        FakeMemory memory = Memory;
        long offset = memory.AllocateRing(kring.SlotCount);
        if (offset < 0) return Errno.ENOMEM;
        kring.AttachRing(offset);
        if (kring.IsCopy)
        {
            for (uint s = 0; s < kring.SlotCount; s++) kring.Slot(s) = new netmap_slot { len = (ushort)memory.Layout.BufferSize };
            return 0;
        }
        Span<uint> buffers = new uint[kring.SlotCount];
        bool ok = memory.AllocateBuffers(buffers);
        for (uint s = 0; s < kring.SlotCount; s++)
            kring.Slot(s) = new netmap_slot { buf_idx = ok ? buffers[(int)s] : 0, len = (ushort)memory.Layout.BufferSize };
        return ok ? 0 : Errno.ENOMEM;
    }

    private void DeleteRing(FakeKring kring)
    {
        for (uint i = 0; i < kring.SlotCount; i++) Memory.FreeBuffer(kring.Slot(i).buf_idx);
        Memory.FreeRing(kring.RingOffset);
        kring.DetachRing();
    }
}
