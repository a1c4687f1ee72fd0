using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Interop;

/// <summary><c>struct nmreq_vale_newif</c>: body of <c>NETMAP_REQ_VALE_NEWIF</c> (create a persistent VALE interface).</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct nmreq_vale_newif
{
    /// <summary>Slots per TX ring.</summary>
    [FieldOffset(0)] public uint nr_tx_slots;
    /// <summary>Slots per RX ring.</summary>
    [FieldOffset(4)] public uint nr_rx_slots;
    /// <summary>TX rings.</summary>
    [FieldOffset(8)] public ushort nr_tx_rings;
    /// <summary>RX rings.</summary>
    [FieldOffset(10)] public ushort nr_rx_rings;
    /// <summary>Memory allocator id.</summary>
    [FieldOffset(12)] public ushort nr_mem_id;
    /// <summary>Padding.</summary>
    [FieldOffset(14)] public ushort pad1;
}
