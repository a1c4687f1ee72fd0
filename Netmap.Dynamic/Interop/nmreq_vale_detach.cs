using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Interop;

/// <summary><c>struct nmreq_vale_detach</c>: body of <c>NETMAP_REQ_VALE_DETACH</c>.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct nmreq_vale_detach
{
    /// <summary>Out: index of the detached switch port.</summary>
    [FieldOffset(0)] public uint port_index;
    /// <summary>Padding.</summary>
    [FieldOffset(4)] public uint pad1;
}
