using System.Runtime.InteropServices;
using System.Text;
using Netmap.Dynamic.Native;
using Netmap.Dynamic.Tests.Loading;

namespace Netmap.Dynamic.Tests.Native;

/// <summary>
/// Every control export of the real shim against a device that does not exist and against
/// /dev/null (a device that is not netmap): the errno, the stage, the message, and no fd left open.
/// </summary>
[Platform(Include = "Linux")]
public sealed unsafe class ShimControlExportTests
{
    private const int MessageSize = 512;

    /// <summary>One call of each control export that opens the device; returns (rc, stage, message).</summary>
    private static readonly (string Name, Func<string, (int Rc, int Stage, string Message)> Call)[] Exports =
    [
        ("nmshim_port_open", PortOpen),
        ("nmshim_port_info", PortInfo),
        ("nmshim_vale_attach", ValeAttach),
        ("nmshim_vale_detach", ValeDetach),
        ("nmshim_vale_newif", ValeNewif),
        ("nmshim_vale_delif", ValeDelif),
        ("nmshim_vale_list", ValeList),
        ("nmshim_port_hdr_get", HeaderGet),
        ("nmshim_port_hdr_set", HeaderSet),
    ];

    private static (int, int, string) PortOpen(string device)
    {
        ShimPortRequest request = Request("pipe{1");
        ShimPortReply reply = new() { Size = (uint)sizeof(ShimPortReply), Fd = 12345 };
        byte* m = Message(out int stage);
        int rc;
        fixed (byte* d = Utf8(device))
            rc = NativeTables.Shim.nmshim_port_open(d, &request, &reply, &stage, m, MessageSize);
        Assert.That(reply.Fd, Is.EqualTo(-1), "no fd handed out on failure");
        return Result(rc, stage, m);
    }

    private static (int, int, string) PortInfo(string device)
    {
        ShimPortReply reply = new() { Size = (uint)sizeof(ShimPortReply) };
        byte* m = Message(out int stage);
        int rc;
        fixed (byte* d = Utf8(device), n = Utf8("eth0"))
            rc = NativeTables.Shim.nmshim_port_info(d, n, 0, &reply, &stage, m, MessageSize);
        return Result(rc, stage, m);
    }

    private static (int, int, string) ValeAttach(string device)
    {
        ShimPortRequest request = Request("vale0:eth0");
        uint index = 0;
        byte* m = Message(out int stage);
        int rc;
        fixed (byte* d = Utf8(device))
            rc = NativeTables.Shim.nmshim_vale_attach(d, &request, &index, &stage, m, MessageSize);
        return Result(rc, stage, m);
    }

    private static (int, int, string) ValeDetach(string device)
    {
        uint index = 0;
        byte* m = Message(out int stage);
        int rc;
        fixed (byte* d = Utf8(device), n = Utf8("vale0:eth0"))
            rc = NativeTables.Shim.nmshim_vale_detach(d, n, &index, &stage, m, MessageSize);
        return Result(rc, stage, m);
    }

    private static (int, int, string) ValeNewif(string device)
    {
        ShimPortRequest request = Request("myif");
        ushort memId = 0;
        byte* m = Message(out int stage);
        int rc;
        fixed (byte* d = Utf8(device))
            rc = NativeTables.Shim.nmshim_vale_newif(d, &request, &memId, &stage, m, MessageSize);
        return Result(rc, stage, m);
    }

    private static (int, int, string) ValeDelif(string device) => Delif(device, "myif");

    private static (int, int, string) Delif(string device, string name)
    {
        byte* m = Message(out int stage);
        int rc;
        fixed (byte* d = Utf8(device), n = Utf8(name))
            rc = NativeTables.Shim.nmshim_vale_delif(d, n, &stage, m, MessageSize);
        return Result(rc, stage, m);
    }

    private static (int, int, string) ValeList(string device)
    {
        ShimPortName name = default;
        ushort bridge = 0;
        uint port = 0;
        byte* m = Message(out int stage);
        int rc;
        fixed (byte* d = Utf8(device))
            rc = NativeTables.Shim.nmshim_vale_list(d, (byte*)&name, &bridge, &port, &stage, m, MessageSize);
        return Result(rc, stage, m);
    }

    private static (int, int, string) HeaderGet(string device)
    {
        uint length = 99;
        byte* m = Message(out int stage);
        int rc;
        fixed (byte* d = Utf8(device), n = Utf8("vale0:a"))
            rc = NativeTables.Shim.nmshim_port_hdr_get(d, n, &length, &stage, m, MessageSize);
        return Result(rc, stage, m);
    }

    private static (int, int, string) HeaderSet(string device)
    {
        byte* m = Message(out int stage);
        int rc;
        fixed (byte* d = Utf8(device), n = Utf8("vale0:a"))
            rc = NativeTables.Shim.nmshim_port_hdr_set(d, n, 12, &stage, m, MessageSize);
        return Result(rc, stage, m);
    }

    private static IEnumerable<string> ExportNames => Exports.Select(e => e.Name);

    [TestCaseSource(nameof(ExportNames))]
    public void A_missing_device_fails_at_open_with_ENOENT_naming_the_device(string export)
    {
        string device = NativeTestFiles.MissingDevice;
        (int rc, int stage, string message) = Exports.Single(e => e.Name == export).Call(device);

        Assert.Multiple(() =>
        {
            Assert.That(rc, Is.EqualTo(-Errno.ENOENT));
            Assert.That(stage, Is.EqualTo((int)ShimStage.Open));
            Assert.That(message, Does.Contain($"open({device}) failed").And.Contain("ENOENT"));
        });
    }

    [TestCaseSource(nameof(ExportNames))]
    public void Dev_null_answers_ENOTTY_and_is_called_not_a_netmap_device(string export)
    {
        (int rc, int stage, string message) = Exports.Single(e => e.Name == export).Call("/dev/null");

        Assert.Multiple(() =>
        {
            Assert.That(rc, Is.EqualTo(-Errno.ENOTTY));
            Assert.That(stage, Is.EqualTo((int)ShimStage.Ioctl));
            Assert.That(message, Does.Contain("/dev/null is not a netmap device").And.Contain("ENOTTY"));
        });
    }

    [Test]
    public void A_thousand_failures_leave_no_file_descriptor_open()
    {
        // Warm up first: loading the tables opens files of its own.
        foreach (var export in Exports) export.Call("/dev/null");
        int before = NativeTables.OpenFdCount("/dev/null", NativeTestFiles.MissingDevice);

        int failures = 0;
        for (int i = 0; failures < 1000; i++)
        {
            var export = Exports[i % Exports.Length];
            (int rc, _, _) = export.Call(i % 2 == 0 ? "/dev/null" : NativeTestFiles.MissingDevice);
            if (rc < 0) failures++;
        }

        Assert.That(NativeTables.OpenFdCount("/dev/null", NativeTestFiles.MissingDevice), Is.EqualTo(before));
    }

    [Test]
    public void A_name_longer_than_nr_name_is_refused_before_the_device_is_opened()
    {
        string longName = new('x', 64);
        (int rc, int stage, string message) = Delif("/dev/null", longName);

        Assert.Multiple(() =>
        {
            Assert.That(rc, Is.EqualTo(-Errno.ENAMETOOLONG));
            Assert.That(stage, Is.EqualTo((int)ShimStage.Arguments));
            Assert.That(message, Does.Contain("longer than 63 bytes"));
        });
    }

    [Test]
    public void A_request_smaller_than_the_shims_is_refused()
    {
        ShimPortRequest request = Request("pipe{1");
        request.Size = 8;
        ShimPortReply reply = new() { Size = (uint)sizeof(ShimPortReply) };
        byte* m = Message(out int stage);
        int rc;
        fixed (byte* d = Utf8("/dev/null"))
            rc = NativeTables.Shim.nmshim_port_open(d, &request, &reply, &stage, m, MessageSize);
        (_, int stageSeen, string message) = Result(rc, stage, m);

        Assert.Multiple(() =>
        {
            Assert.That(rc, Is.EqualTo(-Errno.EINVAL));
            Assert.That(stageSeen, Is.EqualTo((int)ShimStage.Arguments));
            Assert.That(message, Does.Contain($"at least {sizeof(ShimPortRequest)} bytes"));
        });
    }

    [Test]
    public void Mmap_of_a_file_that_is_not_netmap_fails_with_the_shims_message()
    {
        // /dev/null cannot be mapped (ENODEV); the region of a closed fd neither (EBADF).
        using Microsoft.Win32.SafeHandles.SafeFileHandle file = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
        int fd = file.DangerousGetHandle().ToInt32();
        byte* message = stackalloc byte[MessageSize];
        ulong at = 1;
        int rc = NativeTables.Shim.nmshim_port_mmap(fd, 4096, &at, message, MessageSize);
        ulong mapped = at;
        int badFd = NativeTables.Shim.nmshim_port_mmap(-1, 4096, &at, message, MessageSize);

        Assert.Multiple(() =>
        {
            Assert.That(rc, Is.EqualTo(-Errno.ENODEV));
            Assert.That(mapped, Is.Zero);
            Assert.That(badFd, Is.EqualTo(-Errno.EINVAL));
        });
    }

    [Test]
    public void Close_unmaps_and_closes_and_reports_a_bad_fd()
    {
        int fd = NativeTables.Libc.eventfd(0, 0);
        byte* message = stackalloc byte[MessageSize];
        int closed = NativeTables.Shim.nmshim_port_close(fd, 0, 0, message, MessageSize);
        int again = NativeTables.Shim.nmshim_port_close(fd, 0, 0, message, MessageSize);
        string said = Marshal.PtrToStringUTF8((nint)message)!;
        int nothing = NativeTables.Shim.nmshim_port_close(-1, 0, 0, message, MessageSize);

        Assert.Multiple(() =>
        {
            Assert.That(closed, Is.Zero);
            Assert.That(again, Is.EqualTo(-Errno.EBADF));
            Assert.That(said, Does.Contain("EBADF"));
            Assert.That(nothing, Is.Zero, "fd -1 and no region: nothing to do");
        });
    }

    [Test]
    public void Noop_returns_zero() => Assert.That(NativeTables.Shim.nmshim_noop(), Is.Zero);

    internal static ShimPortRequest Request(string name)
    {
        ShimPortRequest request = new() { Size = (uint)sizeof(ShimPortRequest), Mode = 1 };
        Assert.That(request.Name.TrySet(name), Is.True);
        return request;
    }

    // A message buffer in unmanaged memory (freed by Result), so the helpers need no fixed blocks.
    private static byte* Message(out int stage)
    {
        stage = 0;
        byte* m = (byte*)NativeMemory.AllocZeroed(MessageSize);
        return m;
    }

    private static (int, int, string) Result(int rc, int stage, byte* message)
    {
        string text = Marshal.PtrToStringUTF8((nint)message) ?? "";
        NativeMemory.Free(message);
        return (rc, stage, text);
    }

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text + "\0");
}
