using System.Text;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Fake;

/// <summary>
/// Binds a file descriptor to an adapter and lets it go again, as <c>netmap_do_regif</c> and
/// <c>netmap_do_unregif</c> do: checks the ring selection and <c>NR_EXCLUSIVE</c>, creates the ring
/// objects of the bound rings, writes the <c>netmap_if</c>, applies the offsets option, and hands
/// back the port over the region. Runs under the backend's registry lock.
/// </summary>
internal sealed class FakeBinder(FakeNetmapBackend backend, FakeFaultInjector faults)
{
    /// <summary>Registers <paramref name="request"/> on <paramref name="adapter"/>: the emulated NIOCCTRL REGISTER's binding step.</summary>
    public unsafe NetmapPort Bind(FakeAdapter adapter, FakePortRequest request)
    {
        NetmapRegisterFlags flags = request.Flags;
        if (!BoundRings.TryCompute(request.Mode, request.RingId, flags, adapter.TxRings, adapter.RxRings,
                adapter.HostTxRings, adapter.HostRxRings, out BoundRings bound))
            throw NetmapException.FromErrno(Errno.EINVAL, "register", request.Name, "the ring selection names rings the port does not have");
        FakeKring[] tx = adapter.Tx[bound.FirstTx..bound.LastTx];
        FakeKring[] rx = adapter.Rx[bound.FirstRx..bound.LastRx];
        bool exclusive = (flags & NetmapRegisterFlags.NR_EXCLUSIVE) != 0;
        FakeMemory memory = adapter.Memory;
        FakePortDriver driver;
        ulong maxOffset = 0;
        lock (adapter.SyncRoot)
        {
            foreach (FakeKring kring in tx.Concat(rx))
            {
                if (kring.Exclusive || (exclusive && kring.Users > 0))
                    throw NetmapException.FromErrno(Errno.EBUSY, "register", request.Name,
                        kring.Exclusive ? $"{kring.Name} is held with NR_EXCLUSIVE" : $"{kring.Name} is already in use, NR_EXCLUSIVE refused");
            }
            foreach (FakeKring kring in tx.Concat(rx)) kring.Users++;
            // netmap_do_regif: ring objects for the bound rings, then the netmap_if.
            int error = adapter.CreateBoundRings();
            long ifOffset = error != 0 ? -1 : memory.AllocateInterface(adapter.TxRings + adapter.RxRings
                + Math.Max(1, adapter.HostTxRings) + Math.Max(1, adapter.HostRxRings));
            int offsetError = ifOffset < 0 ? 0 : FakeOffsets.Apply(adapter, tx, rx, request.Offsets, out maxOffset);
            if (ifOffset < 0 || offsetError != 0)
            {
                foreach (FakeKring kring in tx.Concat(rx)) kring.Users--;
                adapter.DeleteUnneededRings();
                if (ifOffset >= 0) memory.FreeInterface(ifOffset);
                throw NetmapException.FromErrno(offsetError != 0 ? offsetError : Errno.ENOMEM, "register", request.Name,
                    offsetError != 0 ? $"the offsets option ({request.Offsets}) was refused"
                    : error != 0 ? $"the memory allocator (mem_id {memory.MemId}) has no room for the rings"
                    : $"the memory allocator (mem_id {memory.MemId}) has no room for the netmap_if");
            }
            WriteInterface(adapter, memory, ifOffset, bound);
            driver = new FakePortDriver(backend, faults, adapter, tx, rx, flags, ifOffset) { Extra = request.Extra };
            if (adapter is FakeMonitor monitor) monitor.Attach(rx);
            foreach (FakeKring kring in tx.Concat(rx)) kring.Exclusive |= exclusive;
            adapter.Ports.Add(driver);
        }
        var mapping = new PortMapping
        {
            RegionBase = memory.Base,
            RegionSize = memory.Size,
            InterfaceOffset = driver.InterfaceOffset,
            MemId = memory.MemId,
            MemoryIdentity = memory.Identity,
            HostTxRings = adapter.HostTxRings,
            HostRxRings = adapter.HostRxRings,
            Mode = request.Mode,
            RingId = request.RingId,
            Flags = flags,
            MaxOffset = maxOffset,
        };
        var port = new NetmapPort(request.Spec, driver, mapping);
        driver.Port = port;
        return port;
    }

    /// <summary>
    /// Unbinds <paramref name="driver"/> from its adapter: its rings lose a user (and their exclusive
    /// hold), rings nobody binds go with their buffers, the <c>netmap_if</c> is freed. False when it
    /// was unbound already.
    /// </summary>
    public static bool Unbind(FakePortDriver driver)
    {
        FakeAdapter adapter = driver.Adapter;
        lock (adapter.SyncRoot)
        {
            if (!adapter.Ports.Remove(driver)) return false;
            driver.MarkClosed();
            foreach (FakeKring kring in driver.BoundTx.Concat(driver.BoundRx))
            {
                kring.Users--;
                if (driver.Exclusive) kring.Exclusive = false;
            }
            adapter.DeleteUnneededRings();   // a ring nobody binds any more goes, with its buffers
            adapter.Memory.FreeInterface(driver.InterfaceOffset);
        }
        return true;
    }

    /// <summary>Writes a netmap_if as the kernel does: every ring listed, only bound rings with a non-zero offset.</summary>
    private static unsafe void WriteInterface(FakeAdapter adapter, FakeMemory memory, long ifOffset, BoundRings bound)
    {
        netmap_if* nifp = (netmap_if*)(memory.Base + ifOffset);
        Span<byte> name = nifp->ni_name;
        name.Clear();
        Encoding.ASCII.GetBytes(adapter.Name.AsSpan(0, Math.Min(adapter.Name.Length, NetmapConstants.IFNAMSIZ - 1)), name);
        nifp->ni_version = 0;
        nifp->ni_flags = adapter.PrivateMemory ? (uint)NetmapInterfaceFlags.NI_PRIV_MEM : 0;
        nifp->ni_tx_rings = (uint)adapter.TxRings;
        nifp->ni_rx_rings = (uint)adapter.RxRings;
        // Observed: the kernel always lists at least one host ring per direction (offset 0 when absent).
        uint hostTx = (uint)Math.Max(1, adapter.HostTxRings), hostRx = (uint)Math.Max(1, adapter.HostRxRings);
        nifp->ni_host_tx_rings = hostTx;
        nifp->ni_host_rx_rings = hostRx;
        nifp->ni_bufs_head = 0;
        uint txListed = (uint)adapter.TxRings + hostTx;
        for (int i = 0; i < txListed; i++)
        {
            bool isBound = i >= bound.FirstTx && i < bound.LastTx && i < adapter.Tx.Length;
            netmap_if.ring_ofs(ref *nifp, (uint)i) = isBound ? adapter.Tx[i].RingOffset - ifOffset : 0;
        }
        uint rxListed = (uint)adapter.RxRings + hostRx;
        for (int i = 0; i < rxListed; i++)
        {
            bool isBound = i >= bound.FirstRx && i < bound.LastRx && i < adapter.Rx.Length;
            netmap_if.ring_ofs(ref *nifp, txListed + (uint)i) = isBound ? adapter.Rx[i].RingOffset - ifOffset : 0;
        }
    }
}
