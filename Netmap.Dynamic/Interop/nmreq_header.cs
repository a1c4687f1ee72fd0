using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Interop;

/// <summary>
/// <c>struct nmreq_header</c>: the argument of the <c>NIOCCTRL</c> ioctl. <c>nr_body</c>
/// points at the request-specific struct (<see cref="nmreq_register"/>, ...).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 88)]
public struct nmreq_header
{
    /// <summary>API version (<c>NETMAP_API</c>); the kernel accepts 14..15.</summary>
    [FieldOffset(0)] public ushort nr_version;
    /// <summary><c>NETMAP_REQ_*</c> (<see cref="NetmapRequestType"/>).</summary>
    [FieldOffset(2)] public ushort nr_reqtype;
    /// <summary>Must be zero.</summary>
    [FieldOffset(4)] public uint nr_reserved;
    /// <summary>Port name, NUL-terminated (<c>NETMAP_REQ_IFNAMSIZ</c> bytes).</summary>
    [FieldOffset(8)] public FixedBytes64 nr_name;
    /// <summary>Address of the first <see cref="nmreq_option"/>, or 0.</summary>
    [FieldOffset(72)] public ulong nr_options;
    /// <summary>Address of the request body.</summary>
    [FieldOffset(80)] public ulong nr_body;
}
