using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Interop;

/// <summary><c>struct nmreq_vale_attach</c>: body of <c>NETMAP_REQ_VALE_ATTACH</c> (attach a port to a VALE switch).</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
public struct nmreq_vale_attach
{
    /// <summary>How to register the attached port.</summary>
    [FieldOffset(0)] public nmreq_register reg;
    /// <summary>Out: index of the new switch port.</summary>
    [FieldOffset(56)] public uint port_index;
    /// <summary>Padding.</summary>
    [FieldOffset(60)] public uint pad1;
}
