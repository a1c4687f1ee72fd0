using System.Runtime.InteropServices;
using System.Text.Json;
using Netmap.Dynamic.Interop;
using Netmap.Dynamic.Native;

namespace Netmap.Dynamic.Tests.Native;

/// <summary>
/// The requests the shim builds, read back field by field from the echo variant
/// (NMSHIM_TEST_ECHO: it copies nmreq_header and the body into the message buffer instead of
/// sending them). Register requests are held against libnetmap's own nmreq_register for every
/// port-spec vector (TestData/portspec-vectors.jsonl).
/// </summary>
[Platform(Include = "Linux")]
public sealed unsafe class ShimRequestEchoTests
{
    private const int ECANCELED = 125;
    private const int MessageSize = 512;

    [Test]
    public void Register_requests_carry_what_libnetmap_would_send_for_every_spec_vector()
    {
        int compared = 0;
        foreach (string line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "portspec-vectors.jsonl")))
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            JsonElement v = doc.RootElement;
            if (!v.GetProperty("ok").GetBoolean()) continue;
            string text = v.GetProperty("spec").GetString()!;
            if (!NetmapPortSpec.TryParse(text, out NetmapPortSpec? spec) || spec.ExtMem is not null || spec.SharePort is not null) continue;
            // Deliberate parser differences are the port-spec tests' business: compare only where
            // the managed parser agrees with libnetmap on the name, mode, ring id and flags.
            if (spec.Name != v.GetProperty("nr_name").GetString() || (uint)spec.Mode != v.GetProperty("nr_mode").GetUInt32()
                || spec.RingId != v.GetProperty("nr_ringid").GetUInt16() || (ulong)spec.Flags != v.GetProperty("nr_flags").GetUInt64())
                continue;

            ShimPortRequest request = NativeControlPlane.BuildRegisterRequest(spec, null);
            ShimPortReply reply = new() { Size = (uint)sizeof(ShimPortReply) };
            ShimPortRequest* requestPtr = &request;
            ShimPortReply* replyPtr = &reply;
            byte[] echo = Echo((d, s, m) => NativeTables.Echo.nmshim_port_open(d, requestPtr, replyPtr, s, m, MessageSize), out int rc);
            nmreq_header hdr = Header(echo, NetmapRequestType.NETMAP_REQ_REGISTER, spec.Name);
            nmreq_register reg = MemoryMarshal.Read<nmreq_register>(echo.AsSpan(sizeof(nmreq_header)));

            Assert.Multiple(() =>
            {
                Assert.That(rc, Is.EqualTo(-ECANCELED), text);
                Assert.That(hdr.nr_body, Is.Not.Zero, text);
                Assert.That(reg.nr_mode, Is.EqualTo(v.GetProperty("nr_mode").GetUInt32()), text);
                Assert.That(reg.nr_ringid, Is.EqualTo(v.GetProperty("nr_ringid").GetUInt16()), text);
                Assert.That(reg.nr_flags, Is.EqualTo(v.GetProperty("nr_flags").GetUInt64()), text);
                Assert.That(reg.nr_mem_id, Is.EqualTo(v.GetProperty("nr_mem_id").GetUInt16()), text);
                Assert.That(reg.nr_tx_slots, Is.EqualTo(Count(v, "tx_slots")), text);
                Assert.That(reg.nr_rx_slots, Is.EqualTo(Count(v, "rx_slots")), text);
                Assert.That(reg.nr_tx_rings, Is.EqualTo(Count(v, "tx_rings")), text);
                Assert.That(reg.nr_rx_rings, Is.EqualTo(Count(v, "rx_rings")), text);
                Assert.That(reg.nr_host_tx_rings, Is.EqualTo(Count(v, "host_tx_rings")), text);
                Assert.That(reg.nr_host_rx_rings, Is.EqualTo(Count(v, "host_rx_rings")), text);
                Assert.That(reg.nr_extra_bufs, Is.EqualTo(Count(v, "extra_bufs")), text);
                Assert.That(reg.nr_offset, Is.Zero, text);
                Assert.That(reg.nr_memsize, Is.Zero, text);
            });
            compared++;
        }
        Assert.That(compared, Is.GreaterThanOrEqualTo(100), "most valid vectors were compared (112 of 159 when written)");
    }

    [Test]
    public void Options_override_the_specs_counts_and_add_flags()
    {
        NetmapPortSpec spec = NetmapPortSpec.Parse("vale0:a@conf:rings=2,slots=256");
        ShimPortRequest request = NativeControlPlane.BuildRegisterRequest(spec,
            new NetmapPortOptions { TxRings = 3, RxSlots = 512, ExtraFlags = NetmapRegisterFlags.NR_EXCLUSIVE });
        ShimPortReply reply = new() { Size = (uint)sizeof(ShimPortReply) };
        ShimPortRequest* requestPtr = &request;
        ShimPortReply* replyPtr = &reply;
        byte[] echo = Echo((d, s, m) => NativeTables.Echo.nmshim_port_open(d, requestPtr, replyPtr, s, m, MessageSize), out _);
        nmreq_register reg = MemoryMarshal.Read<nmreq_register>(echo.AsSpan(sizeof(nmreq_header)));

        Assert.Multiple(() =>
        {
            Assert.That(reg.nr_tx_rings, Is.EqualTo(3), "option wins");
            Assert.That(reg.nr_rx_rings, Is.EqualTo(2), "from @conf");
            Assert.That(reg.nr_tx_slots, Is.EqualTo(256), "from @conf");
            Assert.That(reg.nr_rx_slots, Is.EqualTo(512), "option wins");
            Assert.That(reg.nr_flags, Is.EqualTo((ulong)NetmapRegisterFlags.NR_EXCLUSIVE));
            Assert.That(reg.nr_mode, Is.EqualTo((uint)NetmapRegisterMode.NR_REG_ALL_NIC));
        });
    }

    [Test]
    public void A_port_info_request_carries_the_name_and_mem_id_with_zero_counts()
    {
        ShimPortReply reply = new() { Size = (uint)sizeof(ShimPortReply) };
        ShimPortReply* replyPtr = &reply;
        byte[] echo = EchoNamed("pipe{7", (d, n, s, m) => NativeTables.Echo.nmshim_port_info(d, n, 3, replyPtr, s, m, MessageSize));
        Header(echo, NetmapRequestType.NETMAP_REQ_PORT_INFO_GET, "pipe{7");
        nmreq_port_info_get info = MemoryMarshal.Read<nmreq_port_info_get>(echo.AsSpan(sizeof(nmreq_header)));

        Assert.Multiple(() =>
        {
            Assert.That(info.nr_mem_id, Is.EqualTo(3));
            Assert.That(info.nr_memsize, Is.Zero);
            Assert.That(info.nr_tx_rings + info.nr_rx_rings + info.nr_tx_slots + info.nr_rx_slots, Is.Zero);
        });
    }

    [TestCase(false, NetmapRegisterMode.NR_REG_ALL_NIC)]
    [TestCase(true, NetmapRegisterMode.NR_REG_NIC_SW)]
    public void A_VALE_attach_request_carries_the_mode_in_its_register_part(bool hostStack, NetmapRegisterMode expected)
    {
        ShimPortRequest request = new() { Size = (uint)sizeof(ShimPortRequest), Mode = (uint)(hostStack ? NetmapRegisterMode.NR_REG_NIC_SW : NetmapRegisterMode.NR_REG_ALL_NIC), MemId = 5 };
        Assert.That(request.Name.TrySet("vale1:eth0"), Is.True);
        uint index = 77;
        ShimPortRequest* requestPtr = &request;
        uint* indexPtr = &index;
        byte[] echo = Echo((d, s, m) => NativeTables.Echo.nmshim_vale_attach(d, requestPtr, indexPtr, s, m, MessageSize), out _);
        Header(echo, NetmapRequestType.NETMAP_REQ_VALE_ATTACH, "vale1:eth0");
        uint indexAfter = index;
        nmreq_vale_attach attach = MemoryMarshal.Read<nmreq_vale_attach>(echo.AsSpan(sizeof(nmreq_header)));

        Assert.Multiple(() =>
        {
            Assert.That(attach.reg.nr_mode, Is.EqualTo((uint)expected));
            Assert.That(attach.reg.nr_mem_id, Is.EqualTo(5));
            Assert.That(attach.port_index, Is.Zero);
            Assert.That(indexAfter, Is.EqualTo(77), "not written when nothing was sent");
        });
    }

    [Test]
    public void A_VALE_detach_request_carries_the_name_and_a_zero_port_index()
    {
        uint index = 0;
        uint* indexPtr = &index;
        byte[] echo = EchoNamed("vale1:eth0", (d, n, s, m) => NativeTables.Echo.nmshim_vale_detach(d, n, indexPtr, s, m, MessageSize));
        Header(echo, NetmapRequestType.NETMAP_REQ_VALE_DETACH, "vale1:eth0");
        Assert.That(MemoryMarshal.Read<nmreq_vale_detach>(echo.AsSpan(sizeof(nmreq_header))).port_index, Is.Zero);
    }

    [Test]
    public void A_VALE_newif_request_carries_the_counts_and_mem_id()
    {
        ShimPortRequest request = new() { Size = (uint)sizeof(ShimPortRequest), TxRings = 2, RxRings = 3, TxSlots = 512, RxSlots = 1024, MemId = 9 };
        Assert.That(request.Name.TrySet("nmif0"), Is.True);
        ushort memId = 0;
        ShimPortRequest* requestPtr = &request;
        ushort* memIdPtr = &memId;
        byte[] echo = Echo((d, s, m) => NativeTables.Echo.nmshim_vale_newif(d, requestPtr, memIdPtr, s, m, MessageSize), out _);
        Header(echo, NetmapRequestType.NETMAP_REQ_VALE_NEWIF, "nmif0");
        nmreq_vale_newif newif = MemoryMarshal.Read<nmreq_vale_newif>(echo.AsSpan(sizeof(nmreq_header)));

        Assert.Multiple(() =>
        {
            Assert.That(newif.nr_tx_rings, Is.EqualTo(2));
            Assert.That(newif.nr_rx_rings, Is.EqualTo(3));
            Assert.That(newif.nr_tx_slots, Is.EqualTo(512));
            Assert.That(newif.nr_rx_slots, Is.EqualTo(1024));
            Assert.That(newif.nr_mem_id, Is.EqualTo(9));
        });
    }

    [Test]
    public void A_VALE_delif_request_has_no_body()
    {
        byte[] echo = EchoNamed("nmif0", (d, n, s, m) => NativeTables.Echo.nmshim_vale_delif(d, n, s, m, MessageSize));
        nmreq_header hdr = Header(echo, NetmapRequestType.NETMAP_REQ_VALE_DELIF, "nmif0", expectBody: false);
        Assert.That(hdr.nr_body, Is.Zero);
    }

    [Test]
    public void An_echo_into_a_too_small_buffer_says_how_much_it_needs()
    {
        const uint Small = 40;   // less than nmreq_header alone
        byte* message = stackalloc byte[MessageSize];
        message[0] = 0;
        int stage = 0, rc;
        fixed (byte* d = ShimControlExportTests.Utf8("/dev/null"), n = ShimControlExportTests.Utf8("nmif0"))
            rc = NativeTables.Echo.nmshim_vale_delif(d, n, &stage, message, Small);

        Assert.Multiple(() =>
        {
            Assert.That(rc, Is.EqualTo(-ECANCELED));
            Assert.That(Marshal.PtrToStringUTF8((nint)message), Is.EqualTo($"echo: the request needs a {sizeof(nmreq_header)}-byte buffer"[..((int)Small - 1)]));
        });
    }

    [Test]
    public void A_VALE_list_request_carries_the_cursor()
    {
        ShimPortName name = default;
        ushort bridge = 2;
        uint port = 5;
        ShimPortName* namePtr = &name;
        ushort* bridgePtr = &bridge;
        uint* portPtr = &port;
        byte[] echo = Echo((d, s, m) => NativeTables.Echo.nmshim_vale_list(d, (byte*)namePtr, bridgePtr, portPtr, s, m, MessageSize), out _);
        Header(echo, NetmapRequestType.NETMAP_REQ_VALE_LIST, "");
        nmreq_vale_list list = MemoryMarshal.Read<nmreq_vale_list>(echo.AsSpan(sizeof(nmreq_header)));

        Assert.Multiple(() =>
        {
            Assert.That(list.nr_bridge_idx, Is.EqualTo(2));
            Assert.That(list.nr_port_idx, Is.EqualTo(5));
        });
    }

    [Test]
    public void A_header_set_request_carries_the_length_and_a_get_request_a_zero_one()
    {
        byte[] set = EchoNamed("vale0:a", (d, n, s, m) => NativeTables.Echo.nmshim_port_hdr_set(d, n, 12, s, m, MessageSize));
        uint length = 0;
        uint* lengthPtr = &length;
        byte[] get = EchoNamed("vale0:a", (d, n, s, m) => NativeTables.Echo.nmshim_port_hdr_get(d, n, lengthPtr, s, m, MessageSize));
        Header(set, NetmapRequestType.NETMAP_REQ_PORT_HDR_SET, "vale0:a");
        Header(get, NetmapRequestType.NETMAP_REQ_PORT_HDR_GET, "vale0:a");

        Assert.Multiple(() =>
        {
            Assert.That(MemoryMarshal.Read<nmreq_port_hdr>(set.AsSpan(sizeof(nmreq_header))).nr_hdr_len, Is.EqualTo(12));
            Assert.That(MemoryMarshal.Read<nmreq_port_hdr>(get.AsSpan(sizeof(nmreq_header))).nr_hdr_len, Is.Zero);
        });
    }

    /// <summary>A count of the vector; libnetmap leaves counts absent when no @conf gave them (0).</summary>
    private static uint Count(JsonElement vector, string key) =>
        vector.TryGetProperty(key, out JsonElement value) ? value.GetUInt32() : 0;

    /// <summary>Checks the header fields common to every request and returns it.</summary>
    private static nmreq_header Header(byte[] echo, NetmapRequestType type, string name, bool expectBody = true)
    {
        nmreq_header hdr = MemoryMarshal.Read<nmreq_header>(echo);
        ReadOnlySpan<byte> nameBytes = hdr.nr_name;
        int end = nameBytes.IndexOf((byte)0);
        string nameSent = System.Text.Encoding.UTF8.GetString(nameBytes[..end]);
        byte[] rest = nameBytes[end..].ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(hdr.nr_version, Is.EqualTo(NetmapConstants.NETMAP_API));
            Assert.That(hdr.nr_reqtype, Is.EqualTo((ushort)type));
            Assert.That(hdr.nr_reserved, Is.Zero);
            Assert.That(hdr.nr_options, Is.Zero, "no options are sent");
            Assert.That(nameSent, Is.EqualTo(name));
            Assert.That(rest, Is.All.Zero, "the rest of nr_name is zeroed");
            if (expectBody) Assert.That(hdr.nr_body, Is.Not.Zero);
        });
        return hdr;
    }

    private delegate int Call(byte* device, int* stage, byte* message);

    private delegate int NamedCall(byte* device, byte* name, int* stage, byte* message);

    private static byte[] Echo(Call call, out int rc)
    {
        byte[] message = new byte[MessageSize];
        int stage = 0;
        fixed (byte* m = message, d = ShimControlExportTests.Utf8("/dev/null"))
            rc = call(d, &stage, m);
        Assert.That(stage, Is.EqualTo((int)ShimStage.Ioctl));
        return message;
    }

    private static byte[] EchoNamed(string name, NamedCall call)
    {
        byte[] message = new byte[MessageSize];
        int stage = 0, rc;
        fixed (byte* m = message, d = ShimControlExportTests.Utf8("/dev/null"), n = ShimControlExportTests.Utf8(name))
            rc = call(d, n, &stage, m);
        Assert.That(rc, Is.EqualTo(-ECANCELED));
        return message;
    }
}
