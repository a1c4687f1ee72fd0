using System.Runtime.InteropServices;
using Netmap.Dynamic.Interop;
using Netmap.Dynamic.Native;

namespace Netmap.Dynamic.Tests.Native;

/// <summary>
/// The register options the shim chains onto a request (nmshim_port_open_opt), read back from the
/// echo variant (it copies the header, the body and every option into the message buffer), and the
/// external memory it refuses before the kernel would pin a page.
/// </summary>
[Platform(Include = "Linux")]
public sealed unsafe class ShimRegisterOptionsTests
{
    private const int ECANCELED = 125;
    private const int MessageSize = 512;
    private static readonly NetmapExternalMemoryLayout Layout = new(4, 1024, 8, 4096, 1024, 2048);

    [Test]
    public void Offsets_travel_as_one_nmreq_opt_offsets_with_their_values()
    {
        ShimPortOptions options = NativeControlPlane.BuildRegisterOptions(new NetmapBufferOffsets(initial: 64, max: 256, bits: 10), null);
        byte[] echo = Echo(options, out int rc);
        nmreq_header hdr = MemoryMarshal.Read<nmreq_header>(echo);
        nmreq_opt_offsets opt = MemoryMarshal.Read<nmreq_opt_offsets>(echo.AsSpan(sizeof(nmreq_header) + sizeof(nmreq_register)));

        Assert.Multiple(() =>
        {
            Assert.That(rc, Is.EqualTo(-ECANCELED));
            Assert.That(hdr.nr_options, Is.Not.Zero);
            Assert.That(opt.nro_opt.nro_reqtype, Is.EqualTo((uint)NetmapRequestOptionType.NETMAP_REQ_OPT_OFFSETS));
            Assert.That(opt.nro_opt.nro_size, Is.EqualTo((ulong)sizeof(nmreq_opt_offsets)));
            Assert.That(opt.nro_opt.nro_next, Is.Zero, "the last option");
            Assert.That((opt.nro_initial_offset, opt.nro_max_offset, opt.nro_offset_bits, opt.nro_min_gap), Is.EqualTo((64UL, 256UL, 10u, 0UL)));
        });
    }

    [Test]
    public void External_memory_travels_first_with_its_address_size_and_pools_then_the_offsets()
    {
        nint page = Environment.SystemPageSize;
        using NetmapExternalMemory memory = NetmapExternalMemory.FromAddress(page * 4096, Layout.RequiredBytes, Layout);
        ShimPortOptions options = NativeControlPlane.BuildRegisterOptions(new NetmapBufferOffsets(32, 32), memory);
        byte[] echo = Echo(options, out int rc);
        int at = sizeof(nmreq_header) + sizeof(nmreq_register);
        nmreq_opt_extmem ext = MemoryMarshal.Read<nmreq_opt_extmem>(echo.AsSpan(at));
        nmreq_opt_offsets off = MemoryMarshal.Read<nmreq_opt_offsets>(echo.AsSpan(at + sizeof(nmreq_opt_extmem)));

        Assert.Multiple(() =>
        {
            Assert.That(rc, Is.EqualTo(-ECANCELED));
            Assert.That(ext.nro_opt.nro_reqtype, Is.EqualTo((uint)NetmapRequestOptionType.NETMAP_REQ_OPT_EXTMEM));
            Assert.That(ext.nro_opt.nro_next, Is.Not.Zero, "chained to the offsets");
            Assert.That(ext.nro_usrptr, Is.EqualTo((ulong)memory.Address));
            Assert.That(ext.nro_info.nr_memsize, Is.EqualTo((ulong)Layout.RequiredBytes));
            Assert.That((ext.nro_info.nr_if_pool_objtotal, ext.nro_info.nr_if_pool_objsize), Is.EqualTo((4u, 1024u)));
            Assert.That((ext.nro_info.nr_ring_pool_objtotal, ext.nro_info.nr_ring_pool_objsize), Is.EqualTo((8u, 4096u)));
            Assert.That((ext.nro_info.nr_buf_pool_objtotal, ext.nro_info.nr_buf_pool_objsize), Is.EqualTo((1024u, 2048u)));
            Assert.That(off.nro_opt.nro_reqtype, Is.EqualTo((uint)NetmapRequestOptionType.NETMAP_REQ_OPT_OFFSETS));
            Assert.That(off.nro_initial_offset, Is.EqualTo(32UL));
        });
    }

    [TestCase(1, 0, "page-aligned")]
    [TestCase(0, -1, "too small")]
    [TestCase(0, 0, "pool number", true)]
    public void External_memory_the_kernel_could_not_use_is_refused_before_the_device_is_opened(int misalign, int sizeDelta, string said, bool zeroPool = false)
    {
        nint page = Environment.SystemPageSize;
        ShimPortOptions options = NativeControlPlane.BuildRegisterOptions(null,
            NetmapExternalMemory.FromAddress(page * 4096, Layout.RequiredBytes, Layout));
        options.ExtmemAddress += (ulong)misalign;
        options.ExtmemSize = (ulong)(Layout.RequiredBytes + sizeDelta);
        if (zeroPool) options.RingSize = 0;

        byte[] message = new byte[MessageSize];
        int stage = 0, rc;
        ShimPortRequest request = NativeControlPlane.BuildRegisterRequest(NetmapPortSpec.Parse("vale0:x"), null);
        ShimPortReply reply = new() { Size = (uint)sizeof(ShimPortReply) };
        fixed (byte* m = message, d = ShimControlExportTests.Utf8("/nonexistent/netmap"))
            rc = NativeTables.Shim.nmshim_port_open_opt(d, &request, &options, &reply, &stage, m, MessageSize);
        (int finalStage, int fd) = (stage, reply.Fd);

        Assert.Multiple(() =>
        {
            Assert.That(rc, Is.EqualTo(-Errno.EINVAL));
            Assert.That(finalStage, Is.EqualTo((int)ShimStage.Arguments), "refused before opening the device");
            Assert.That(fd, Is.EqualTo(-1));
            Assert.That(System.Text.Encoding.UTF8.GetString(message).TrimEnd('\0'), Does.Contain(said));
        });
    }

    /// <summary>A register of <c>vale0:x</c> with <paramref name="options"/> through the echo shim.</summary>
    private static byte[] Echo(ShimPortOptions options, out int rc)
    {
        ShimPortRequest request = NativeControlPlane.BuildRegisterRequest(NetmapPortSpec.Parse("vale0:x"), null);
        ShimPortReply reply = new() { Size = (uint)sizeof(ShimPortReply) };
        byte[] message = new byte[MessageSize];
        int stage = 0;
        fixed (byte* m = message, d = ShimControlExportTests.Utf8("/dev/null"))
            rc = NativeTables.Echo.nmshim_port_open_opt(d, &request, &options, &reply, &stage, m, MessageSize);
        return message;
    }
}
