using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic;

/// <summary>
/// A bound netmap port: its rings in the shared region, and the sync and wait operations.
/// Opened by <see cref="INetmapBackend.OpenPort(string, NetmapPortOptions?)"/>; the same class runs
/// over the native backend and the fake one (only the <see cref="PortDriver"/> behind it differs).
/// </summary>
/// <remarks>
/// Rings are numbered per direction with the hardware rings first and the host rings after them,
/// like netmap's <c>nmport_d</c>: TX ring <c>TxRingCount</c> is the first host TX ring.
/// Only the rings in <c>[FirstTxRing, LastTxRing)</c> and <c>[FirstRxRing, LastRxRing)</c> are bound.
/// A port is used by one thread at a time, except that <see cref="Dispose"/> may be called while
/// another thread waits in <see cref="Poll"/> or <see cref="WaitAsync(NetmapPollEvents, CancellationToken)"/>: it wakes that thread, which
/// then gets <see cref="ObjectDisposedException"/>.
/// </remarks>
public sealed unsafe class NetmapPort : IDisposable
{
    private readonly PortDriver _driver;
    private readonly PortLifetime _lifetime;
    private readonly NetmapRing[] _txRings;   // default(NetmapRing) for rings this port does not bind
    private readonly NetmapRing[] _rxRings;

    internal NetmapPort(NetmapPortSpec spec, PortDriver driver, in PortMapping mapping)
    {
        Spec = spec;
        string name = spec.Name;
        _driver = driver;
        RegionBase = mapping.RegionBase;
        InterfaceOffset = mapping.InterfaceOffset;
        MemId = mapping.MemId;
        RegionSize = mapping.RegionSize;
        _lifetime = new PortLifetime(name, mapping.MemoryIdentity, mapping.MemId);

        if (mapping.InterfaceOffset < 0 || mapping.InterfaceOffset + netmap_if.ring_ofs_offset > mapping.RegionSize)
            throw Corrupt(name, $"netmap_if offset {mapping.InterfaceOffset} lies outside the {mapping.RegionSize}-byte region");
        netmap_if* nifp = (netmap_if*)(mapping.RegionBase + mapping.InterfaceOffset);
        int txListed = checked((int)Math.Min(nifp->ni_tx_rings, 4096u));
        int rxListed = checked((int)Math.Min(nifp->ni_rx_rings, 4096u));
        int hostTxListed = checked((int)Math.Min(nifp->ni_host_tx_rings, 4096u));
        int hostRxListed = checked((int)Math.Min(nifp->ni_host_rx_rings, 4096u));
        long ringOfsEnd = mapping.InterfaceOffset + netmap_if.ring_ofs_offset
            + (8L * (txListed + hostTxListed + rxListed + hostRxListed));
        if (ringOfsEnd > mapping.RegionSize)
            throw Corrupt(name, "the netmap_if ring offset table runs past the region");

        TxRingCount = txListed;
        RxRingCount = rxListed;
        HostTxRingCount = Math.Min(mapping.HostTxRings, hostTxListed);
        HostRxRingCount = Math.Min(mapping.HostRxRings, hostRxListed);
        if (!BoundRings.TryCompute(mapping.Mode, mapping.RingId, mapping.Flags,
                TxRingCount, RxRingCount, HostTxRingCount, HostRxRingCount, out BoundRings bound))
            throw Corrupt(name, "the register mode selects rings the port does not have");
        (FirstTxRing, LastTxRing, FirstRxRing, LastRxRing) = (bound.FirstTx, bound.LastTx, bound.FirstRx, bound.LastRx);

        _txRings = new NetmapRing[TxRingCount + HostTxRingCount];
        _rxRings = new NetmapRing[RxRingCount + HostRxRingCount];
        for (int i = 0; i < _txRings.Length; i++)
        {
            uint table = (uint)(i < TxRingCount ? i : txListed + (i - TxRingCount));
            _txRings[i] = MapRing(name, mapping, nifp, table, i, isTx: true);
        }
        for (int i = 0; i < _rxRings.Length; i++)
        {
            uint table = (uint)(txListed + hostTxListed + (i < RxRingCount ? i : rxListed + (i - RxRingCount)));
            _rxRings[i] = MapRing(name, mapping, nifp, table, i, isTx: false);
        }
        TxSlots = FirstSlots(_txRings, FirstTxRing, LastTxRing);
        RxSlots = FirstSlots(_rxRings, FirstRxRing, LastRxRing);
        BufferSize = FirstTxRing < LastTxRing ? (int)_txRings[FirstTxRing].BufferSize
            : FirstRxRing < LastRxRing ? (int)_rxRings[FirstRxRing].BufferSize : 0;
    }

    /// <summary>The port spec this port was opened with.</summary>
    public NetmapPortSpec Spec { get; }

    /// <summary>The port name as the kernel knows it (<c>nr_name</c>: "eth0", "vale0:a", "pipe{3").</summary>
    public string Name => Spec.Name;

    /// <summary>Hardware TX rings of the port (bound or not).</summary>
    public int TxRingCount { get; }

    /// <summary>Hardware RX rings of the port.</summary>
    public int RxRingCount { get; }

    /// <summary>Host TX rings (0 for pipes and VALE ports).</summary>
    public int HostTxRingCount { get; }

    /// <summary>Host RX rings (0 for pipes and VALE ports).</summary>
    public int HostRxRingCount { get; }

    /// <summary>First bound TX ring.</summary>
    public int FirstTxRing { get; }

    /// <summary>One past the last bound TX ring.</summary>
    public int LastTxRing { get; }

    /// <summary>First bound RX ring.</summary>
    public int FirstRxRing { get; }

    /// <summary>One past the last bound RX ring.</summary>
    public int LastRxRing { get; }

    /// <summary>Slots of the first bound TX ring (0 when none is bound).</summary>
    public int TxSlots { get; }

    /// <summary>Slots of the first bound RX ring (0 when none is bound).</summary>
    public int RxSlots { get; }

    /// <summary><c>nr_buf_size</c>: bytes per packet buffer.</summary>
    public int BufferSize { get; }

    /// <summary><c>nr_mem_id</c>: ports with the same id (and backend) can swap buffers.</summary>
    public ushort MemId { get; }

    /// <summary><c>nr_memsize</c>: bytes of the shared region.</summary>
    public long RegionSize { get; }

    /// <summary>Start of the mapped region (for backends and tests; never dereferenced after Dispose).</summary>
    internal byte* RegionBase { get; }

    /// <summary><c>nr_offset</c>: this port's netmap_if in the region.</summary>
    internal long InterfaceOffset { get; }

    /// <summary>The backend's side of the port.</summary>
    internal PortDriver Driver => _driver;

    /// <summary>True once <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => _lifetime.IsDisposed;

    /// <summary>TX ring <paramref name="index"/> (hardware rings, then host rings). It must be bound by this port.</summary>
    public NetmapRing GetTxRing(int index) => GetRing(_txRings, index, FirstTxRing, LastTxRing, "TX");

    /// <summary>RX ring <paramref name="index"/> (hardware rings, then host rings). It must be bound by this port.</summary>
    public NetmapRing GetRxRing(int index) => GetRing(_rxRings, index, FirstRxRing, LastRxRing, "RX");

    /// <summary>
    /// <c>NIOCTXSYNC</c>: hands the filled slots of every bound TX ring to the kernel and updates their tails.
    /// An invalid head/cur is not an error: the ring is reset to its last good state, as the kernel does.
    /// </summary>
    public void TxSync()
    {
        ThrowIfDisposed();
        _driver.TxSync();
    }

    /// <summary><c>NIOCRXSYNC</c>: releases read slots and publishes new packets on every bound RX ring.</summary>
    public void RxSync()
    {
        ThrowIfDisposed();
        _driver.RxSync();
    }

    /// <summary>
    /// <c>poll()</c>: syncs the bound rings (TX always, unless <c>NR_NO_TX_POLL</c>) and waits until one of
    /// <paramref name="events"/> is ready or <paramref name="timeout"/> passes
    /// (<see cref="Timeout.InfiniteTimeSpan"/> waits for ever, <see cref="TimeSpan.Zero"/> does not wait).
    /// Returns the ready events, <see cref="NetmapPollEvents.None"/> on timeout; <see cref="NetmapPollEvents.Error"/>
    /// reports a ring that was reset because of an invalid head/cur.
    /// </summary>
    public NetmapPollEvents Poll(NetmapPollEvents events, TimeSpan timeout)
    {
        ThrowIfDisposed();
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "Use a non-negative timeout or Timeout.InfiniteTimeSpan.");
        return _driver.Poll(events, timeout);
    }

    /// <summary>
    /// Like <see cref="Poll"/> without a timeout, as a task; cancellation throws <see cref="OperationCanceledException"/>,
    /// <see cref="Dispose"/> <see cref="ObjectDisposedException"/>. Completes synchronously when something is ready.
    /// </summary>
    /// <remarks>
    /// No thread waits per port: on Linux the native backend waits for all ports of a
    /// <see cref="NetmapLibrary"/> on one epoll thread (docs/native.md, "Waiting"), the fake backend
    /// on no thread at all. As after <see cref="Poll"/>, the rings are synced when the task completes.
    /// While the wait is pending the backend may sync the port's rings (as <c>poll</c> does): do not
    /// use them until it completes. Await the returned <see cref="ValueTask{TResult}"/> once (or call
    /// AsTask once); do not block on it.
    /// </remarks>
    public ValueTask<NetmapPollEvents> WaitAsync(NetmapPollEvents events, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _driver.WaitAsync(events, Timeout.InfiniteTimeSpan, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="WaitAsync(NetmapPollEvents, CancellationToken)"/>, completing with
    /// <see cref="NetmapPollEvents.None"/> when <paramref name="timeout"/> passes first, as <see cref="Poll"/>
    /// does (<see cref="Timeout.InfiniteTimeSpan"/>: no limit; <see cref="TimeSpan.Zero"/>: one look, no wait).
    /// Natively the timeout is a timer reused from wait to wait: a timed wait allocates nothing either.
    /// </summary>
    public ValueTask<NetmapPollEvents> WaitAsync(NetmapPollEvents events, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "Use a non-negative timeout or Timeout.InfiniteTimeSpan.");
        return _driver.WaitAsync(events, timeout, cancellationToken);
    }

    /// <summary>Unbinds the port: its ring views stop working, blocked waiters wake with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_lifetime.IsDisposed) return;
        _lifetime.MarkDisposed();
        _driver.Close();
    }

    /// <summary>The port's name and bound rings.</summary>
    public override string ToString() =>
        $"{Name}: TX [{FirstTxRing},{LastTxRing}) RX [{FirstRxRing},{LastRxRing}) mem_id {MemId}{(IsDisposed ? " (disposed)" : "")}";

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_lifetime.IsDisposed, this);

    private NetmapRing GetRing(NetmapRing[] rings, int index, int first, int last, string direction)
    {
        ThrowIfDisposed();
        if ((uint)index >= (uint)rings.Length)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"{direction} ring index must be below {rings.Length}.");
        if (index < first || index >= last)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"{direction} ring {index} is not bound by '{Name}' (bound: [{first},{last})).");
        return rings[index];
    }

    private static int FirstSlots(NetmapRing[] rings, int first, int last) =>
        first < last ? (int)rings[first].SlotCount : 0;

    private NetmapRing MapRing(string name, in PortMapping mapping, netmap_if* nifp, uint tableIndex, int number, bool isTx)
    {
        long ofs = netmap_if.ring_ofs(ref *nifp, tableIndex);
        if (ofs == 0) return default;   // not bound by this registration: the kernel writes 0
        long ringAt = mapping.InterfaceOffset + ofs;
        if (ringAt < 0 || ringAt + sizeof(netmap_ring) > mapping.RegionSize)
            throw Corrupt(name, $"ring offset {ofs} lies outside the region");
        netmap_ring* ring = (netmap_ring*)(mapping.RegionBase + ringAt);
        uint slots = ring->num_slots, bufferSize = ring->nr_buf_size;
        if (slots == 0 || ringAt + sizeof(netmap_ring) + ((long)slots * sizeof(netmap_slot)) > mapping.RegionSize)
            throw Corrupt(name, $"ring at {ringAt} has {slots} slots, which do not fit the region");
        long buffersAt = ringAt + ring->buf_ofs;
        if (bufferSize == 0 || buffersAt < 0 || buffersAt > mapping.RegionSize)
            throw Corrupt(name, $"ring at {ringAt} has its buffers at {buffersAt}, outside the region");
        long limit = (mapping.RegionSize - buffersAt) / bufferSize;
        // Per-slot offsets: the mask must be low bits only, and the largest offset this port may write
        // must fit both the mask and the buffer (the kernel checked it; the header is user-writable).
        ulong mask = ring->offset_mask;
        if ((mask & (mask + 1)) != 0)
            throw Corrupt(name, $"ring at {ringAt} has offset_mask 0x{mask:x}, which is not a run of low bits");
        ulong maxOffset = mask == 0 ? 0 : mapping.MaxOffset;
        if (maxOffset > bufferSize || (maxOffset & mask) != maxOffset)
            throw Corrupt(name, $"max offset {maxOffset} does not fit the {bufferSize}-byte buffers or offset_mask 0x{mask:x}");
        return new NetmapRing(_lifetime, ring, slots, bufferSize, mapping.RegionBase + buffersAt,
            (uint)Math.Min(limit, uint.MaxValue), number, isTx, mask, (uint)maxOffset);
    }

    private static NetmapException Corrupt(string name, string detail) =>
        NetmapException.FromErrno(Errno.EINVAL, "map", name, detail);
}
