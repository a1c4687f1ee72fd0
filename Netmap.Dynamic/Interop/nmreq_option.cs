using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Interop;

/// <summary><c>struct nmreq_option</c>: the header of every request option (a linked list).</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct nmreq_option
{
    /// <summary>Address of the next option, or 0.</summary>
    [FieldOffset(0)] public ulong nro_next;
    /// <summary><c>NETMAP_REQ_OPT_*</c> (<see cref="NetmapRequestOptionType"/>).</summary>
    [FieldOffset(8)] public uint nro_reqtype;
    /// <summary>Written by the kernel: 0 or an errno for this option.</summary>
    [FieldOffset(12)] public int nro_status;
    /// <summary>Size of the whole option struct, header included.</summary>
    [FieldOffset(16)] public ulong nro_size;
}
