using Netmap.Dynamic.Fake;
using Netmap.Dynamic.Native;

namespace Netmap.Dynamic.Tests.Native;

/// <summary>
/// The native backend's mapping step (register reply + region → <see cref="NetmapPort"/>) over a
/// region the fake backend laid out as the kernel does, and the per-allocator mapping count.
/// </summary>
[Platform(Include = "Linux")]
public sealed unsafe class NativeMappingTests
{
    [Test]
    public void A_native_port_over_the_fakes_region_finds_the_same_rings_and_shares_their_memory()
    {
        using FakeNetmapBackend fake = new();
        using NetmapPort master = fake.OpenPort("netmap:pipe{4@conf:rings=2,slots=256");
        using NetmapPort slave = fake.OpenPort("netmap:pipe}4");
        NetmapPortInfo info = fake.GetPortInfo("pipe{4");

        // What the shim's register reply would carry for the master end.
        ShimPortReply reply = new()
        {
            Size = (uint)sizeof(ShimPortReply), Fd = -1, MemSize = (ulong)master.RegionSize, Offset = (ulong)master.InterfaceOffset,
            TxRings = (ushort)info.TxRings, RxRings = (ushort)info.RxRings, HostTxRings = 0, HostRxRings = 0, MemId = master.MemId,
        };
        NativeRegion region = new(reply.MemId, master.RegionBase, reply.MemSize);
        int fd = NativeTables.Libc.eventfd(0, 0);
        NativePortDriver driver = new(NativeTables.Libc, fd, "pipe{4", 0, 0, () => NativeTables.Libc.close(fd));
        using NetmapPort native = new(master.Spec, driver, NativeBackend.CreateMapping(reply, region, master.Spec, null));

        Assert.Multiple(() =>
        {
            Assert.That(native.TxRingCount, Is.EqualTo(master.TxRingCount).And.EqualTo(2));
            Assert.That(native.RxRingCount, Is.EqualTo(master.RxRingCount));
            Assert.That((native.FirstTxRing, native.LastTxRing), Is.EqualTo((master.FirstTxRing, master.LastTxRing)));
            Assert.That(native.TxSlots, Is.EqualTo(256));
            Assert.That(native.BufferSize, Is.EqualTo(master.BufferSize));
            Assert.That(native.MemId, Is.EqualTo(master.MemId));
        });

        // A frame written through the native view is the fake master's frame: same ring, same buffers.
        NetmapRing tx = native.GetTxRing(1);
        Assert.That(tx.TryWrite([1, 2, 3, 4, 5]), Is.True);
        NetmapRing fakeTx = master.GetTxRing(1);
        Assert.Multiple(() =>
        {
            Assert.That(fakeTx.Head, Is.EqualTo(1), "the fake sees the head the native view advanced");
            Assert.That(fakeTx.GetPacket(0).ToArray(), Is.EqualTo(new byte[] { 1, 2, 3, 4, 5 }));
        });
        master.TxSync();   // the fake kernel moves it to the slave
        slave.RxSync();
        Assert.That(slave.GetRxRing(1).TryRead(out ReadOnlySpan<byte> frame), Is.True);
        Assert.That(frame.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3, 4, 5 }));
    }

    [Test]
    public void A_reply_pointing_outside_the_region_is_refused_not_followed()
    {
        using FakeNetmapBackend fake = new();
        using NetmapPort master = fake.OpenPort("netmap:pipe{5");
        ShimPortReply reply = new() { Size = (uint)sizeof(ShimPortReply), MemSize = (ulong)master.RegionSize, Offset = (ulong)master.RegionSize, MemId = master.MemId };
        NativeRegion region = new(reply.MemId, master.RegionBase, reply.MemSize);
        int fd = NativeTables.Libc.eventfd(0, 0);
        NativePortDriver driver = new(NativeTables.Libc, fd, "pipe{5", 0, 0, () => NativeTables.Libc.close(fd));

        NetmapException e = Assert.Throws<NetmapException>(() => _ = new NetmapPort(master.Spec, driver, NativeBackend.CreateMapping(reply, region, master.Spec, null)))!;
        driver.Close();
        Assert.That(e.Operation, Is.EqualTo("map"));
    }

    [Test]
    public void Ports_of_one_allocator_share_one_mapping_until_the_last_leaves()
    {
        NativeRegionTable table = new();
        int maps = 0;
        nint Map() { maps++; return 0x1000 * maps; }

        NativeRegion a = table.Acquire(3, 8192, Map);
        NativeRegion b = table.Acquire(3, 8192, Map);
        NativeRegion other = table.Acquire(4, 8192, Map);

        Assert.Multiple(() =>
        {
            Assert.That(b, Is.SameAs(a), "same mem_id: same mapping, same memory identity");
            Assert.That(other, Is.Not.SameAs(a));
            Assert.That(maps, Is.EqualTo(2));
            Assert.That(table.Release(a), Is.False, "b still uses it");
            Assert.That(table.Release(b), Is.True, "last user: unmap now");
            Assert.That(table.Count, Is.EqualTo(1));
        });
    }
}
