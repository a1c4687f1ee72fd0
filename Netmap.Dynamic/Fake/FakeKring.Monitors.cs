namespace Netmap.Dynamic.Fake;

// The monitors of a kring (netmap_monitor.c): copy monitors in a list (kring->monitors), zero-copy
// monitors in a chain per direction (kring->zmon_list), and the RX position the copy monitors
// have seen up to (kring->mon_tail).
internal sealed partial class FakeKring
{
    /// <summary>The monitor RX krings that get a copy of this ring's traffic, or null.</summary>
    public List<FakeKring>? CopyMonitors;

    /// <summary>
    /// <c>zmon_list[t].next</c> for t = TX (0) and RX (1): the zero-copy monitor that takes this kring's
    /// released buffers. A zero-copy monitor added to a kring that has one already is chained behind
    /// the last one (it then monitors that monitor's ring).
    /// </summary>
    public readonly FakeKring?[] ZeroCopyNext = new FakeKring?[2];

    /// <summary><c>zmon_list[t].prev</c>: on a monitor ring, the kring it takes buffers from.</summary>
    public readonly FakeKring?[] ZeroCopyPrevious = new FakeKring?[2];

    /// <summary><c>mon_tail</c>: RX slots before it have been copied to the copy monitors.</summary>
    public uint MonitorTail;

    /// <summary>True when a sync of this kring must go through <see cref="FakeMonitorTaps"/>.</summary>
    public bool IsMonitored => CopyMonitors is not null || ZeroCopyNext[0] is not null || ZeroCopyNext[1] is not null;
}
