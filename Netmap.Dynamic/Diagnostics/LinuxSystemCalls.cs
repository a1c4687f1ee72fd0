using System.Runtime.InteropServices;
using System.Text;

namespace Netmap.Dynamic;

/// <summary>
/// The few libc calls the doctor needs beyond files: the ethtool ioctl (<c>SIOCETHTOOL</c> on a
/// datagram socket, which needs no privilege to read) and <c>statx</c> (a device's owner and
/// group, which .NET does not expose; <c>struct statx</c> has the same layout on every
/// architecture, unlike <c>struct stat</c>). Resolved from libc at run time like the data plane's
/// table, so a machine without them only loses these checks. Every call returns 0 or an errno.
/// </summary>
internal sealed unsafe class LinuxSystemCalls : IDisposable
{
    private const int AF_INET = 2;
    private const int SOCK_DGRAM = 2;
    private const int SOCK_CLOEXEC = 0x80000;
    private const nuint SIOCETHTOOL = 0x8946;
    private const int AT_FDCWD = -100;
    private const uint STATX_BASIC_STATS = 0x7ff;

    /// <summary><c>struct ifreq</c>: a 16-byte name, then a union whose <c>ifr_data</c> pointer is used here (40 bytes on 64-bit Linux).</summary>
    private const int IfreqSize = 40;
    private const int IfNameSize = 16;

    private readonly nint _handle;
    private readonly delegate* unmanaged<int, int, int, int> _socket;
    private readonly delegate* unmanaged<int, nuint, void*, int> _ioctl;
    private readonly delegate* unmanaged<int, int> _close;
    private readonly delegate* unmanaged<int, byte*, int, uint, void*, int> _statx;
    private int _fd = -1;

    private LinuxSystemCalls(nint handle)
    {
        _handle = handle;
        _socket = (delegate* unmanaged<int, int, int, int>)Export(handle, "socket");
        _ioctl = (delegate* unmanaged<int, nuint, void*, int>)Export(handle, "ioctl");
        _close = (delegate* unmanaged<int, int>)Export(handle, "close");
        _statx = (delegate* unmanaged<int, byte*, int, uint, void*, int>)Export(handle, "statx");
    }

    /// <summary>libc's calls, or null (with why) where libc cannot be loaded (not Linux).</summary>
    public static LinuxSystemCalls? TryLoad(out string? why)
    {
        foreach (string name in Native.LibcFunctions.DefaultNames)
        {
            if (NativeLibrary.TryLoad(name, out nint handle))
            {
                why = null;
                return new LinuxSystemCalls(handle);
            }
        }
        why = "libc could not be loaded";
        return null;
    }

    /// <summary>
    /// Sends an ethtool request (<paramref name="data"/> starts with its 32-bit command) about
    /// <paramref name="interfaceName"/>; 0 or the errno (EOPNOTSUPP: the driver does not say).
    /// </summary>
    public int Ethtool(string interfaceName, Span<byte> data)
    {
        if (_socket == null || _ioctl == null)
            return Errno.ENOSYS;
        if (_fd < 0)
        {
            _fd = _socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (_fd < 0)
                return Marshal.GetLastSystemError();
        }
        byte* ifreq = stackalloc byte[IfreqSize];
        new Span<byte>(ifreq, IfreqSize).Clear();
        if (Encoding.UTF8.GetByteCount(interfaceName) >= IfNameSize)
            return Errno.ENODEV;   // no interface has a name that long
        Encoding.UTF8.GetBytes(interfaceName, new Span<byte>(ifreq, IfNameSize - 1));
        fixed (byte* request = data)
        {
            *(byte**)(ifreq + IfNameSize) = request;
            return _ioctl(_fd, SIOCETHTOOL, ifreq) == 0 ? 0 : Marshal.GetLastSystemError();
        }
    }

    /// <summary>A file's type and permission bits, owner and group (<c>statx</c>); 0 or the errno.</summary>
    public int Stat(string path, out uint mode, out uint uid, out uint gid)
    {
        mode = uid = gid = 0;
        if (_statx == null)
            return Errno.ENOSYS;
        byte[] name = Encoding.UTF8.GetBytes(path + "\0");
        byte* buffer = stackalloc byte[256];   // sizeof(struct statx)
        fixed (byte* p = name)
        {
            if (_statx(AT_FDCWD, p, 0, STATX_BASIC_STATS, buffer) != 0)
                return Marshal.GetLastSystemError();
        }
        uid = *(uint*)(buffer + 20);     // stx_uid
        gid = *(uint*)(buffer + 24);     // stx_gid
        mode = *(ushort*)(buffer + 28);  // stx_mode
        return 0;
    }

    public void Dispose()
    {
        if (_fd >= 0 && _close != null)
            _close(_fd);
        _fd = -1;
        NativeLibrary.Free(_handle);
    }

    private static nint Export(nint handle, string name) => NativeLibrary.TryGetExport(handle, name, out nint address) ? address : 0;
}
