using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Fake;

/// <summary>
/// What a monitor does to the syncs of the rings it watches (netmap_monitor.c, which replaces the
/// watched kring's <c>nm_sync</c> and <c>nm_notify</c>):
/// <list type="bullet">
/// <item>Copy monitors see a frame when it passes: a TX frame at the TX sync that sends it (the slots
/// <c>[hwcur, head)</c>, before the driver takes them), an RX frame as soon as it arrives (the
/// arrival notification runs the RX sync). Each is copied into the monitor's next free RX slot, at
/// that slot's offset, truncated to the buffer, with the source flags and <c>NS_TXMON</c> for TX.</item>
/// <item>Zero-copy monitors see a frame once the port is done with it: a TX frame when its slot is
/// released (tail moves past it: at once on VALE and NICs, only after the receiver of a pipe has
/// released it), an RX frame when the user gives its slot back. The monitor's slot and the port's
/// slot swap buffer and length; the port's slot gets <c>NS_BUF_CHANGED</c>.</item>
/// <item>A monitor with too few free slots gets the newest frames of the batch; the others are lost.</item>
/// </list>
/// Everything runs under the watched adapter's lock, which the monitor shares.
/// </summary>
internal static class FakeMonitorTaps
{
    private const int Tx = 0, Rx = 1;

    /// <summary>The TX sync of <paramref name="kring"/> with its monitors; false when the driver failed (a monitor's own TX ring).</summary>
    public static bool TxSync(FakeAdapter adapter, FakeKring kring)
    {
        if (adapter is FakeMonitor) return false;   // netmap_monitor_txsync: EIO
        if (!kring.IsMonitored)
        {
            adapter.TxSync(kring);
            return true;
        }
        if (kring.CopyMonitors is { Count: > 0 })
        {
            uint first = kring.HwCur;
            uint count = Distance(kring, first, kring.RHead);
            if (count > 0) Copy(kring, first, count, NetmapSlotFlags.NS_TXMON);
        }
        if (kring.ZeroCopyNext[Tx] is { } monitor)
            ZeroCopyTx(adapter, kring, monitor);
        else
            adapter.TxSync(kring);
        return true;
    }

    /// <summary>The RX sync of <paramref name="kring"/> with its monitors; false when the driver failed (an orphaned monitor).</summary>
    public static bool RxSync(FakeAdapter adapter, FakeKring kring)
    {
        if (adapter is FakeMonitor { IsAttached: false }) return false;   // the parent left netmap mode: EIO
        if (!kring.IsMonitored)
        {
            adapter.RxSync(kring);
            return true;
        }
        if (kring.ZeroCopyNext[Rx] is { } monitor)
        {
            // The slots the user released go to the monitor before the driver takes them back.
            uint first = kring.HwCur;
            uint count = Distance(kring, first, kring.RHead);
            if (count > 0) Swap(kring, first, count, monitor, NetmapSlotFlags.None);
        }
        adapter.RxSync(kring);
        if (kring.CopyMonitors is { Count: > 0 })
        {
            uint count = Distance(kring, kring.MonitorTail, kring.HwTail);
            if (count > 0) Copy(kring, kring.MonitorTail, count, NetmapSlotFlags.None);
            kring.MonitorTail = kring.HwTail;
        }
        return true;
    }

    /// <summary>
    /// <c>netmap_monitor_parent_notify</c>: frames arrived on an RX ring of <paramref name="adapter"/>;
    /// the rings with copy monitors are synced now, so the monitors see them before the port does.
    /// </summary>
    public static void OnNotify(FakeAdapter adapter)
    {
        foreach (FakeKring kring in adapter.Rx)
        {
            if (kring.CopyMonitors is { Count: > 0 }) RxSync(adapter, kring);
        }
    }

    /// <summary><c>netmap_monitor_add</c>: <paramref name="monitor"/> (a monitor RX kring) watches <paramref name="parent"/>.</summary>
    public static void Add(FakeKring monitor, FakeKring parent, bool zeroCopy)
    {
        int t = parent.IsTx ? Tx : Rx;
        if (!parent.IsTx && !parent.IsMonitored) parent.MonitorTail = parent.HwTail;
        if (!zeroCopy)
        {
            (parent.CopyMonitors ??= []).Add(monitor);
            return;
        }
        // A zero-copy monitor that is not the first watches the last one of the chain.
        FakeKring last = parent;
        while (last.ZeroCopyNext[t] is { } next) last = next;
        if (!last.IsTx && !last.IsMonitored) last.MonitorTail = last.HwTail;
        last.ZeroCopyNext[t] = monitor;
        monitor.ZeroCopyPrevious[t] = last;
    }

    /// <summary><c>netmap_monitor_del</c>: unlinks <paramref name="monitor"/> from <paramref name="parent"/>'s list or chain.</summary>
    public static void Remove(FakeKring monitor, FakeKring parent, bool zeroCopy)
    {
        int t = parent.IsTx ? Tx : Rx;
        if (!zeroCopy)
        {
            parent.CopyMonitors?.Remove(monitor);
            if (parent.CopyMonitors is { Count: 0 }) parent.CopyMonitors = null;
            return;
        }
        FakeKring? previous = monitor.ZeroCopyPrevious[t], next = monitor.ZeroCopyNext[t];
        if (previous is not null) previous.ZeroCopyNext[t] = next;
        if (next is not null) next.ZeroCopyPrevious[t] = previous;
        monitor.ZeroCopyPrevious[t] = monitor.ZeroCopyNext[t] = null;
    }

    /// <summary>
    /// <c>netmap_zmon_parent_txsync</c>: the driver's TX sync, then the slots it released (tail moved
    /// past them) swap buffers with the monitor's free slots.
    /// </summary>
    private static void ZeroCopyTx(FakeAdapter adapter, FakeKring kring, FakeKring monitor)
    {
        uint begin = kring.HwTail + 1;   // not wrapped yet, as in the kernel
        adapter.TxSync(kring);
        uint end = kring.HwTail + 1;
        long released = (long)end - begin;
        if (released < 0) released += kring.SlotCount;
        if (released > 0) Swap(kring, begin, (uint)released, monitor, NetmapSlotFlags.NS_TXMON);
    }

    /// <summary>Moves <paramref name="count"/> slots from <paramref name="begin"/> into the monitor by swapping buffers (the newest when the monitor lacks room).</summary>
    private static void Swap(FakeKring kring, uint begin, uint count, FakeKring monitor, NetmapSlotFlags txmon)
    {
        uint room = FreeSlots(monitor);
        if (room == 0) return;
        if (room < count)
        {
            begin += count - room;
            count = room;
        }
        if (begin >= kring.SlotCount) begin -= kring.SlotCount;
        uint i = monitor.HwTail;
        for (uint k = 0; k < count; k++)
        {
            ref netmap_slot s = ref kring.Slot(begin);
            ref netmap_slot ms = ref monitor.Slot(i);
            (ms.buf_idx, s.buf_idx) = (s.buf_idx, ms.buf_idx);
            (ms.len, s.len) = (s.len, ms.len);
            ms.flags = (ushort)((s.flags & ~(ushort)NetmapSlotFlags.NS_TXMON) | (ushort)txmon);
            s.flags |= (ushort)NetmapSlotFlags.NS_BUF_CHANGED;
            begin = kring.Next(begin);
            i = monitor.Next(i);
        }
        monitor.HwTail = i;
        monitor.Adapter.NotifyPorts();
    }

    /// <summary><c>netmap_monitor_parent_sync</c>: copies <paramref name="count"/> slots from <paramref name="first"/> to every copy monitor.</summary>
    private static void Copy(FakeKring kring, uint first, uint count, NetmapSlotFlags txmon)
    {
        foreach (FakeKring monitor in kring.CopyMonitors!)
        {
            uint room = FreeSlots(monitor);
            if (room == 0) continue;
            uint begin = first, n = count;
            if (room < n)
            {
                begin += n - room;
                if (begin >= kring.SlotCount) begin -= kring.SlotCount;
                n = room;
            }
            FakeMemory target = monitor.Adapter.Memory;
            uint i = monitor.HwTail;
            for (uint k = 0; k < n; k++)
            {
                ref netmap_slot s = ref kring.Slot(begin);
                ref netmap_slot ms = ref monitor.Slot(i);
                int room2 = target.Layout.BufferSize - monitor.OffsetOf(ref ms);
                int length = 0;
                if (kring.TryGetPacket(ref s, out Span<byte> source) && target.IsValidBuffer(ms.buf_idx))
                {
                    length = Math.Min(source.Length, room2);   // "truncating" to the monitor's buffer
                    source[..length].CopyTo(target.Buffer(ms.buf_idx)[monitor.OffsetOf(ref ms)..]);
                }
                ms.len = (ushort)length;
                ms.flags = (ushort)((s.flags & ~(ushort)NetmapSlotFlags.NS_TXMON) | (ushort)txmon);
                begin = kring.Next(begin);
                i = monitor.Next(i);
            }
            monitor.HwTail = i;
            monitor.Adapter.NotifyPorts();
        }
    }

    /// <summary>Free slots of a monitor RX ring: <c>N - 1 - (hwtail - hwcur)</c>.</summary>
    private static uint FreeSlots(FakeKring monitor)
    {
        long busy = (long)monitor.HwTail - monitor.HwCur;
        if (busy < 0) busy += monitor.SlotCount;
        return (uint)(monitor.SlotCount - 1 - busy);
    }

    private static uint Distance(FakeKring kring, uint from, uint to) =>
        to >= from ? to - from : to + kring.SlotCount - from;
}
