using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Interop;

/// <summary>
/// <c>struct nmreq_vale_list</c>: body of <c>NETMAP_REQ_VALE_LIST</c>, used as a cursor over
/// switches and their ports.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct nmreq_vale_list
{
    /// <summary>In/out: switch index.</summary>
    [FieldOffset(0)] public ushort nr_bridge_idx;
    /// <summary>Padding.</summary>
    [FieldOffset(2)] public ushort pad1;
    /// <summary>In/out: port index within the switch.</summary>
    [FieldOffset(4)] public uint nr_port_idx;
}
