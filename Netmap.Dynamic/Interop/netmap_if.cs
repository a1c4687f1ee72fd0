using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Interop;

/// <summary>
/// <c>struct netmap_if</c>: the per-port descriptor in the shared region. The array
/// <c>ssize_t ring_ofs[]</c> follows it at <see cref="ring_ofs_offset"/>: offsets, counted from
/// this struct, of the TX rings, the host TX rings, the RX rings and the host RX rings, in that
/// order; 0 for a ring that is not bound.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 56)]
public struct netmap_if
{
    /// <summary>Offset of the flexible member <c>ring_ofs</c>.</summary>
    public const int ring_ofs_offset = 56;

    /// <summary>Interface name (NUL-terminated).</summary>
    [FieldOffset(0)] public FixedBytes16 ni_name;
    /// <summary>API version of the kernel that laid out this region.</summary>
    [FieldOffset(16)] public uint ni_version;
    /// <summary><c>NI_*</c> flags (<see cref="NetmapInterfaceFlags"/>).</summary>
    [FieldOffset(20)] public uint ni_flags;
    /// <summary>Number of hardware TX rings.</summary>
    [FieldOffset(24)] public uint ni_tx_rings;
    /// <summary>Number of hardware RX rings.</summary>
    [FieldOffset(28)] public uint ni_rx_rings;
    /// <summary>Head of the list of extra buffers.</summary>
    [FieldOffset(32)] public uint ni_bufs_head;
    /// <summary>Number of host TX rings.</summary>
    [FieldOffset(36)] public uint ni_host_tx_rings;
    /// <summary>Number of host RX rings.</summary>
    [FieldOffset(40)] public uint ni_host_rx_rings;
    /// <summary>Reserved.</summary>
    [FieldOffset(44)] public FixedUInt32x3 ni_spare1;

    /// <summary>Entry <paramref name="index"/> of the <c>ring_ofs</c> array after the struct (unchecked).</summary>
    public static ref long ring_ofs(ref netmap_if nifp, uint index) =>
        ref Unsafe.Add(
            ref Unsafe.As<byte, long>(ref Unsafe.AddByteOffset(ref Unsafe.As<netmap_if, byte>(ref nifp), ring_ofs_offset)),
            (nint)index);
}
