using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// Rules of external memory (NETMAP_REQ_OPT_EXTMEM, <c>@extmem</c>): the kernel lays a port's rings
/// and buffers out in memory the application provides, ports on the same memory share one region,
/// and the library checks the memory's size and keeps it alive while a port uses it.
/// </summary>
/// <remarks>
/// The layout keeps every ring object within one page (4096 bytes: up to 240 slots, so the ports
/// ask for 128): the kernel needs an object that spans pages to lie on physically contiguous pages,
/// which ordinary (not hugepage) memory does not promise.
/// </remarks>
public sealed unsafe class ExternalMemoryTests(BackendKind kind) : TwoBackendTest(kind)
{
    private static readonly NetmapExternalMemoryLayout Layout = new(
        InterfaceCount: 4, InterfaceSize: 1024, RingCount: 8, RingSize: 4096, BufferCount: 1024, BufferSize: 2048);

    private const string Conf = "@conf:slots=128";

    private readonly List<string> _files = [];

    [TearDown]
    public void DeleteFiles()
    {
        foreach (string file in _files)
            File.Delete(file);
        _files.Clear();
    }

    [Test]
    public void The_rings_and_buffers_of_a_port_on_external_memory_lie_in_that_memory()
    {
        using NetmapExternalMemory memory = NetmapExternalMemory.MapFile(NewFile(Layout.RequiredBytes), Layout);
        string sw = UniqueSwitch();
        using NetmapPort a = OpenOnMemory($"{sw}:a{Conf}", new NetmapPortOptions { ExternalMemory = memory });
        using NetmapPort b = Backend.OpenPort($"{sw}:b{Conf}");

        Assert.Multiple(() =>
        {
            Assert.That((nint)a.RegionBase, Is.EqualTo(memory.Address), "the region is the application's memory");
            Assert.That(a.RegionSize, Is.LessThanOrEqualTo(memory.Length));
            Assert.That(a.MemId, Is.Not.EqualTo(b.MemId));
            Assert.That(memory.PortCount, Is.EqualTo(1));
        });
        byte[] frame = Frame(60, 1);
        NetmapRing tx = a.GetTxRing(0);
        Assert.That(InMemory(tx.GetBuffer(tx.Head), memory), Is.True, "the TX buffer lies in the memory");
        Assert.That(tx.TryWrite(frame), Is.True);
        a.TxSync();
        b.RxSync();
        Assert.That(b.GetRxRing(0).TryRead(out ReadOnlySpan<byte> got), Is.True);
        Assert.That(got.ToArray(), Is.EqualTo(frame));
    }

    [Test]
    public void Two_ports_on_the_same_external_memory_share_one_region()
    {
        using NetmapExternalMemory memory = NetmapExternalMemory.MapFile(NewFile(Layout.RequiredBytes), Layout);
        string sw = UniqueSwitch();
        NetmapPortOptions options = new() { ExternalMemory = memory };
        using NetmapPort a = OpenOnMemory($"{sw}:a{Conf}", options);
        using NetmapPort b = OpenOnMemory($"{sw}:b{Conf}", options);

        Assert.Multiple(() =>
        {
            Assert.That(b.MemId, Is.EqualTo(a.MemId));
            Assert.That(a.GetTxRing(0).SharesMemoryWith(b.GetRxRing(0)), Is.True);
            Assert.That(memory.PortCount, Is.EqualTo(2));
        });
    }

    [Test]
    public void A_spec_with_extmem_maps_the_file_itself_and_lets_it_go_with_the_port()
    {
        string file = NewFile(Layout.RequiredBytes);
        string sw = UniqueSwitch();
        string spec = $"{sw}:a{Conf}@extmem:file={file},if_num=4,if_size=1024,ring_num=8,ring_size=4096,buf_num=1024,buf_size=2048";
        Assume.That(File.Exists("/proc/self/maps"), "the process's mappings are read from /proc/self/maps (Linux)");
        Assert.That(MappingsOf(file), Is.Zero, "not mapped before the port");
        using (NetmapPort a = OpenOnMemory(spec))
        {
            Assert.That(MappingsOf(file), Is.Positive, "the port mapped the file itself");
            using NetmapPort b = Backend.OpenPort($"{sw}:b{Conf}");
            Assert.That(a.GetTxRing(0).TryWrite(Frame(60, 2)), Is.True);
            a.TxSync();
            b.RxSync();
            Assert.That(b.GetRxRing(0).Space, Is.EqualTo(1));
        }
        Assert.That(MappingsOf(file), Is.Zero, "closing the port unmapped the file");
        using NetmapPort again = OpenOnMemory(spec);   // and it can be mapped again from scratch
        Assert.That(again.GetTxRing(0).Space, Is.EqualTo(127));
    }

    /// <summary>How many of this process's mappings are of <paramref name="file"/> (lines of /proc/self/maps ending in its name).</summary>
    private static int MappingsOf(string file) =>
        File.ReadLines("/proc/self/maps").Count(line => line.EndsWith(Path.GetFileName(file), StringComparison.Ordinal));

    [Test]
    public void External_memory_too_small_for_its_pools_is_refused_before_the_kernel_sees_it()
    {
        string small = NewFile(Layout.RequiredBytes - 1);
        Assert.Throws<ArgumentException>(() => NetmapExternalMemory.MapFile(small, Layout));
        nint page = Environment.SystemPageSize;
        Assert.Throws<ArgumentException>(() => NetmapExternalMemory.FromAddress(page * 16, Layout.RequiredBytes - 1, Layout));
        Assert.Throws<ArgumentException>(() => NetmapExternalMemory.FromAddress((page * 16) + 8, Layout.RequiredBytes, Layout), "not page-aligned");

        NetmapException e = Assert.Throws<NetmapException>(() => Backend.OpenPort(
            $"{UniqueSwitch()}:a{Conf}@extmem:file={small},if_num=4,if_size=1024,ring_num=8,ring_size=4096,buf_num=1024,buf_size=2048"))!;
        Assert.That(e.Errno, Is.EqualTo(Errno.EINVAL));
        Assert.That(e.Message, Does.Contain("need"));
    }

    [Test]
    public void Memory_the_application_mapped_cannot_be_released_while_a_port_uses_it()
    {
        long length = Layout.RequiredBytes;
        void* block = NativeMemory.AlignedAlloc((nuint)length, (nuint)Environment.SystemPageSize);
        try
        {
            new Span<byte>(block, (int)length).Clear();
            NetmapExternalMemory memory = NetmapExternalMemory.FromAddress((nint)block, length, Layout);
            NetmapPort port = OpenOnMemory($"{UniqueSwitch()}:a{Conf}", new NetmapPortOptions { ExternalMemory = memory });
            Assert.That((nint)port.RegionBase, Is.EqualTo((nint)block));

            Assert.Throws<InvalidOperationException>(memory.Dispose, "the port's rings live there");
            port.Dispose();
            memory.Dispose();   // now the application may free it
            Assert.Throws<ObjectDisposedException>(() => Backend.OpenPort($"{UniqueSwitch()}:b{Conf}", new NetmapPortOptions { ExternalMemory = memory }));
        }
        finally
        {
            NativeMemory.AlignedFree(block);
        }
    }

    [Test]
    public void Library_mapped_memory_disposed_early_stays_mapped_until_its_last_port_closes()
    {
        NetmapExternalMemory memory = NetmapExternalMemory.MapFile(NewFile(Layout.RequiredBytes), Layout);
        string sw = UniqueSwitch();
        using NetmapPort a = OpenOnMemory($"{sw}:a{Conf}", new NetmapPortOptions { ExternalMemory = memory });
        using NetmapPort b = Backend.OpenPort($"{sw}:b{Conf}");

        memory.Dispose();   // allowed: the library unmaps it when `a` closes
        Assert.That(a.GetTxRing(0).TryWrite(Frame(60, 3)), Is.True, "the rings are still there");
        a.TxSync();
        b.RxSync();
        Assert.That(b.GetRxRing(0).Space, Is.EqualTo(1));
        Assert.Throws<ObjectDisposedException>(() => Backend.OpenPort($"{sw}:c{Conf}", new NetmapPortOptions { ExternalMemory = memory }), "no new port on it");
    }

    [Test]
    public void Anonymous_memory_the_application_mapped_itself_carries_a_port()
    {
        using AnonymousMapping mapping = AnonymousMapping.Create(Layout.RequiredBytes);
        TestContext.Out.WriteLine($"anonymous mapping: {mapping.Kind}");
        using (NetmapExternalMemory memory = NetmapExternalMemory.FromAddress(mapping.Address, mapping.Length, Layout))
        {
            string sw = UniqueSwitch();
            using NetmapPort a = OpenOnMemory($"{sw}:a{Conf}", new NetmapPortOptions { ExternalMemory = memory });
            using NetmapPort b = Backend.OpenPort($"{sw}:b{Conf}");
            byte[] frame = Frame(1500, 8);
            Assert.That(a.GetTxRing(0).TryWrite(frame), Is.True);
            a.TxSync();
            b.RxSync();
            Assert.That(b.GetRxRing(0).TryRead(out ReadOnlySpan<byte> got), Is.True);
            Assert.That(got.ToArray(), Is.EqualTo(frame));
            a.Dispose();   // the port first, then the memory, then the mapping (AnonymousMapping.Dispose)
        }
    }

    /// <summary>
    /// Opens a port on external memory. A netmap module built without extmem (netmap's default
    /// LINUX/configure) refuses the option with EOPNOTSUPP: the test is then ignored with the library's
    /// explanation (the netmap VM's module lacks it unless built with --enable-extmem).
    /// </summary>
    private NetmapPort OpenOnMemory(string spec, NetmapPortOptions? options = null)
    {
        try
        {
            return Backend.OpenPort(spec, options);
        }
        catch (NetmapException e) when (IsNative && e.Errno == Errno.EOPNOTSUPP && e.Message.Contains("--enable-extmem", StringComparison.Ordinal))
        {
            Assert.Ignore(e.Message);
            throw;
        }
    }

    private string NewFile(long length)
    {
        string path = Path.Combine(Path.GetTempPath(), $"nmext-{Guid.NewGuid():N}.bin");
        using (FileStream f = new(path, FileMode.CreateNew))
            f.SetLength(length);
        _files.Add(path);
        return path;
    }

    private static bool InMemory(Span<byte> span, NetmapExternalMemory memory)
    {
        nint at = (nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref MemoryMarshal.GetReference(span));
        return at >= memory.Address && at + span.Length <= memory.Address + (nint)memory.Length;
    }

    /// <summary>A broadcast frame of <paramref name="length"/> bytes whose payload tells its tag.</summary>
    private static byte[] Frame(int length, byte tag) => KernelFrames.Ethernet(KernelFrames.Broadcast, KernelFrames.Mac(1), tag, length);
}
