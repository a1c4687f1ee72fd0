using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Interop;

/// <summary>
/// <c>struct netmap_slot</c>: one entry of a ring, naming a packet buffer by index.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct netmap_slot
{
    /// <summary>Index of the buffer, relative to the ring's <c>buf_ofs</c>.</summary>
    [FieldOffset(0)] public uint buf_idx;
    /// <summary>Length of the packet in the buffer.</summary>
    [FieldOffset(4)] public ushort len;
    /// <summary><c>NS_*</c> flags (<see cref="NetmapSlotFlags"/>), plus a port/fragment count in the high byte.</summary>
    [FieldOffset(6)] public ushort flags;
    /// <summary>Pointer for indirect buffers (<c>NS_INDIRECT</c>), or a user value.</summary>
    [FieldOffset(8)] public ulong ptr;
}
