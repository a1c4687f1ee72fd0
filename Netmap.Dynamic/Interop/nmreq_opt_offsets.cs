using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Interop;

/// <summary><c>struct nmreq_opt_offsets</c>: option <c>NETMAP_REQ_OPT_OFFSETS</c>, per-slot buffer offsets.</summary>
[StructLayout(LayoutKind.Explicit, Size = 56)]
public struct nmreq_opt_offsets
{
    /// <summary>Option header.</summary>
    [FieldOffset(0)] public nmreq_option nro_opt;
    /// <summary>Largest offset the program will use.</summary>
    [FieldOffset(24)] public ulong nro_max_offset;
    /// <summary>Offset written into every slot at register time.</summary>
    [FieldOffset(32)] public ulong nro_initial_offset;
    /// <summary>Bits of <c>netmap_slot.ptr</c> that hold the offset.</summary>
    [FieldOffset(40)] public uint nro_offset_bits;
    /// <summary>Alignment required of TX offsets.</summary>
    [FieldOffset(44)] public uint nro_tx_align;
    /// <summary>Minimum gap between buffers.</summary>
    [FieldOffset(48)] public ulong nro_min_gap;
}
