using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Interop;

/// <summary>
/// <c>struct nmreq_register</c>: body of <c>NETMAP_REQ_REGISTER</c>. The program fills mode,
/// ring id, flags and the wanted counts (0 = default); the kernel writes back the region size,
/// the offset of the port's <see cref="netmap_if"/> and the counts it chose.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 56)]
public struct nmreq_register
{
    /// <summary>Out: offset of the <see cref="netmap_if"/> in the region.</summary>
    [FieldOffset(0)] public ulong nr_offset;
    /// <summary>Out: size of the region to <c>mmap</c>.</summary>
    [FieldOffset(8)] public ulong nr_memsize;
    /// <summary>In/out: slots per TX ring.</summary>
    [FieldOffset(16)] public uint nr_tx_slots;
    /// <summary>In/out: slots per RX ring.</summary>
    [FieldOffset(20)] public uint nr_rx_slots;
    /// <summary>In/out: hardware TX rings.</summary>
    [FieldOffset(24)] public ushort nr_tx_rings;
    /// <summary>In/out: hardware RX rings.</summary>
    [FieldOffset(26)] public ushort nr_rx_rings;
    /// <summary>In/out: host TX rings.</summary>
    [FieldOffset(28)] public ushort nr_host_tx_rings;
    /// <summary>In/out: host RX rings.</summary>
    [FieldOffset(30)] public ushort nr_host_rx_rings;
    /// <summary>In/out: memory allocator id (0 = default).</summary>
    [FieldOffset(32)] public ushort nr_mem_id;
    /// <summary>In: ring index for <c>NR_REG_ONE_NIC</c> / <c>NR_REG_ONE_SW</c>.</summary>
    [FieldOffset(34)] public ushort nr_ringid;
    /// <summary>In: <c>NR_REG_*</c> (<see cref="NetmapRegisterMode"/>).</summary>
    [FieldOffset(36)] public uint nr_mode;
    /// <summary>In/out: extra buffers wanted / granted.</summary>
    [FieldOffset(40)] public uint nr_extra_bufs;
    /// <summary>In: <c>NR_*</c> flags (<see cref="NetmapRegisterFlags"/>).</summary>
    [FieldOffset(48)] public ulong nr_flags;
}
