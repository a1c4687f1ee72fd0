using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Interop;

/// <summary>
/// <c>struct netmap_ring</c>: the 256-byte header of a ring in the shared region; the slot array
/// (<c>struct netmap_slot slot[]</c>) follows it at <see cref="slot_offset"/>.
/// </summary>
/// <remarks>
/// The kernel owns <c>buf_ofs</c>, <c>num_slots</c>, <c>nr_buf_size</c>, <c>ringid</c>,
/// <c>dir</c> and <c>tail</c>; the program writes <c>head</c>, <c>cur</c> and <c>flags</c>.
/// The C struct is aligned to <c>NM_CACHE_ALIGN</c> (128); in the mapped region every ring
/// starts on such a boundary.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 256)]
public struct netmap_ring
{
    /// <summary>Offset of the slot array: the C flexible member <c>slot</c> starts right after the header.</summary>
    public const int slot_offset = 256;

    /// <summary>Offset from this ring to buffer index 0 (may be negative in C terms; stored as int64).</summary>
    [FieldOffset(0)] public long buf_ofs;
    /// <summary>Number of slots.</summary>
    [FieldOffset(8)] public uint num_slots;
    /// <summary>Size of every buffer of this ring.</summary>
    [FieldOffset(12)] public uint nr_buf_size;
    /// <summary>Ring id.</summary>
    [FieldOffset(16)] public ushort ringid;
    /// <summary>Direction; on a real kernel 1 on TX rings and 0 on RX rings.</summary>
    [FieldOffset(18)] public ushort dir;
    /// <summary>First slot the user owns.</summary>
    [FieldOffset(20)] public uint head;
    /// <summary>Wake-up point.</summary>
    [FieldOffset(24)] public uint cur;
    /// <summary>First slot the kernel owns (read-only for the user).</summary>
    [FieldOffset(28)] public uint tail;
    /// <summary><c>NR_TIMESTAMP</c>, <c>NR_FORWARD</c> (<see cref="NetmapRingFlags"/>).</summary>
    [FieldOffset(32)] public uint flags;
    /// <summary>Time of the last sync.</summary>
    [FieldOffset(40)] public timeval ts;
    /// <summary>Mask for per-slot offsets (<c>NETMAP_REQ_OPT_OFFSETS</c>).</summary>
    [FieldOffset(56)] public ulong offset_mask;
    /// <summary>Alignment required of buffer offsets.</summary>
    [FieldOffset(64)] public ulong buf_align;
    /// <summary>Scratch area the kernel uses for locking; never touched by the user.</summary>
    [FieldOffset(128)] public FixedBytes128 sem;

    /// <summary>The slot <paramref name="index"/> of the array that follows the header (unchecked).</summary>
    public static ref netmap_slot slot(ref netmap_ring ring, uint index) =>
        ref Unsafe.Add(
            ref Unsafe.As<byte, netmap_slot>(ref Unsafe.AddByteOffset(ref Unsafe.As<netmap_ring, byte>(ref ring), slot_offset)),
            (nint)index);
}
