using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Interop;

/// <summary><c>struct nmreq_port_info_get</c>: body of <c>NETMAP_REQ_PORT_INFO_GET</c> (all out).</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct nmreq_port_info_get
{
    /// <summary>Size of the port's memory region.</summary>
    [FieldOffset(0)] public ulong nr_memsize;
    /// <summary>Slots per TX ring.</summary>
    [FieldOffset(8)] public uint nr_tx_slots;
    /// <summary>Slots per RX ring.</summary>
    [FieldOffset(12)] public uint nr_rx_slots;
    /// <summary>Hardware TX rings.</summary>
    [FieldOffset(16)] public ushort nr_tx_rings;
    /// <summary>Hardware RX rings.</summary>
    [FieldOffset(18)] public ushort nr_rx_rings;
    /// <summary>Host TX rings.</summary>
    [FieldOffset(20)] public ushort nr_host_tx_rings;
    /// <summary>Host RX rings.</summary>
    [FieldOffset(22)] public ushort nr_host_rx_rings;
    /// <summary>Memory allocator id.</summary>
    [FieldOffset(24)] public ushort nr_mem_id;
    /// <summary>Padding.</summary>
    [FieldOffset(26)] public FixedUInt16x3 pad;
}
