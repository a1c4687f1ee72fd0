using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Fake;

/// <summary>
/// A monitor port (<c>netmap:p{1/t</c>, <c>/r</c>, <c>/rt</c>, <c>/z</c>), as <c>netmap_get_monitor_na</c>
/// builds it: one per registration, on a parent port that is in netmap mode, with one TX ring (which
/// sends nothing) and as many RX rings as the parent has in either direction, plus one host ring
/// pair when the parent has host rings. Monitor RX ring i receives what passes the parent's TX ring i
/// (<c>/t</c>, flagged <c>NS_TXMON</c>) and RX ring i (<c>/r</c>). A copy monitor has its own private
/// allocator and copies each frame when it passes; a zero-copy monitor (<c>/z</c>, both directions)
/// uses the parent's allocator and takes each frame's buffer once the parent is done with it
/// (see <see cref="FakeMonitorTaps"/>).
/// </summary>
internal sealed class FakeMonitor : FakeAdapter
{
    /// <summary><c>NM_MONITOR_MAXSLOTS</c>.</summary>
    public const int MaxSlots = 4096;

    private readonly int _rxRings, _hostRings, _txSlots, _rxSlots;
    private List<(FakeKring Monitor, FakeKring Parent, bool ZeroCopy)>? _taps;

    public FakeMonitor(string name, FakeAdapter parent, NetmapRegisterFlags flags, int? txSlots, int? rxSlots)
        : base(MonitorName(name, flags, parent), parent.SyncRoot)   // the parent's syncs write into the monitor's rings
    {
        Parent = parent;
        ZeroCopy = (flags & NetmapRegisterFlags.NR_ZCOPY_MON) != 0;
        MonitorsTx = ZeroCopy || (flags & NetmapRegisterFlags.NR_MONITOR_TX) != 0;
        MonitorsRx = ZeroCopy || (flags & NetmapRegisterFlags.NR_MONITOR_RX) != 0;
        _rxRings = Math.Max(parent.TxRings, parent.RxRings);
        _hostRings = parent.HostTxRings > 0 || parent.HostRxRings > 0 ? 1 : 0;
        _txSlots = Bound(txSlots, parent.TxSlots);
        _rxSlots = Bound(rxSlots, parent.RxSlots);
    }

    /// <summary>The monitored port.</summary>
    public FakeAdapter Parent { get; }

    /// <summary><c>/z</c>: buffers are swapped, not copied.</summary>
    public bool ZeroCopy { get; }

    public bool MonitorsTx { get; }
    public bool MonitorsRx { get; }

    /// <summary>False once the parent has left netmap mode: the monitor then sees nothing more.</summary>
    public bool IsAttached => _taps is not null;

    public override int TxRings => 1;
    public override int RxRings => _rxRings;
    public override int HostTxRings => _hostRings;
    public override int HostRxRings => _hostRings;
    public override int TxSlots => _txSlots;
    public override int RxSlots => _rxSlots;
    public override bool PrivateMemory => !ZeroCopy;

    /// <summary><c>netmap_monitor_txsync</c>: a monitor cannot send; the kernel answers EIO (no finalize, POLLERR).</summary>
    public override void TxSync(FakeKring kring)
    {
    }

    /// <summary><c>netmap_monitor_rxsync</c>: the user's released slots are the monitor's again.</summary>
    public override void RxSync(FakeKring kring) => kring.HwCur = kring.RHead;

    /// <summary>
    /// <c>netmap_monitor_reg</c>: ties the bound monitor RX krings to the parent's krings of the same
    /// number, in the directions monitored (a ring number the parent lacks in a direction is skipped).
    /// </summary>
    public void Attach(FakeKring[] boundRx)
    {
        _taps = [];
        foreach (FakeKring monitor in boundRx)
        {
            if (MonitorsTx && monitor.Number < Parent.Tx.Length) Tap(monitor, Parent.Tx[monitor.Number]);
            if (MonitorsRx && monitor.Number < Parent.Rx.Length) Tap(monitor, Parent.Rx[monitor.Number]);
        }
    }

    /// <summary>Unties the monitor from its parent (its last port closed, or the parent left netmap mode).</summary>
    public void Detach()
    {
        if (_taps is null) return;
        foreach ((FakeKring monitor, FakeKring parent, bool zeroCopy) in _taps)
            FakeMonitorTaps.Remove(monitor, parent, zeroCopy);
        _taps = null;
    }

    private void Tap(FakeKring monitor, FakeKring parent)
    {
        FakeMonitorTaps.Add(monitor, parent, ZeroCopy);
        _taps!.Add((monitor, parent, ZeroCopy));
    }

    /// <summary>The kernel's name of a monitor: <c>parent/zrt#N</c>.</summary>
    private static string MonitorName(string name, NetmapRegisterFlags flags, FakeAdapter parent) =>
        $"{parent.Name}/{((flags & NetmapRegisterFlags.NR_ZCOPY_MON) != 0 ? "z" : "")}"
        + $"{((flags & (NetmapRegisterFlags.NR_MONITOR_RX | NetmapRegisterFlags.NR_ZCOPY_MON)) != 0 ? "r" : "")}"
        + $"{((flags & (NetmapRegisterFlags.NR_MONITOR_TX | NetmapRegisterFlags.NR_ZCOPY_MON)) != 0 ? "t" : "")}#{name}";

    /// <summary><c>nm_bound_var(.., parent's, 1, NM_MONITOR_MAXSLOTS)</c>.</summary>
    private static int Bound(int? requested, int parentSlots) =>
        requested is null or < 1 ? Math.Min(parentSlots, MaxSlots) : Math.Min(requested.Value, MaxSlots);
}
