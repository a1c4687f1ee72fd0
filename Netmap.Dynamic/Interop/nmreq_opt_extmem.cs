using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Interop;

/// <summary><c>struct nmreq_opt_extmem</c>: option <c>NETMAP_REQ_OPT_EXTMEM</c>, user memory as the region.</summary>
[StructLayout(LayoutKind.Explicit, Size = 96)]
public struct nmreq_opt_extmem
{
    /// <summary>Option header.</summary>
    [FieldOffset(0)] public nmreq_option nro_opt;
    /// <summary>Address of the user memory.</summary>
    [FieldOffset(24)] public ulong nro_usrptr;
    /// <summary>In/out: how the memory is divided into pools.</summary>
    [FieldOffset(32)] public nmreq_pools_info nro_info;
}
