using System.Runtime.InteropServices;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic;

/// <summary>
/// One slot of a ring, with the exact layout of <c>struct netmap_slot</c> (16 bytes), seen through
/// <c>ref NetmapSlot</c> from <see cref="NetmapRing"/>'s indexer: writes go straight to the shared memory.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct NetmapSlot
{
    [FieldOffset(0)] private uint _bufferIndex;
    [FieldOffset(4)] private ushort _length;
    [FieldOffset(6)] private ushort _flags;
    [FieldOffset(8)] private ulong _ptr;

    /// <summary><c>buf_idx</c>: the packet buffer this slot names. Checked against the region on every buffer access.</summary>
    public uint BufferIndex { readonly get => _bufferIndex; set => _bufferIndex = value; }

    /// <summary><c>len</c>: the length of the packet in the buffer.</summary>
    public ushort Length { readonly get => _length; set => _length = value; }

    /// <summary>
    /// <c>flags</c>: the <c>NS_*</c> bits in the low byte; the high byte carries a fragment count on
    /// received slots (VALE writes 0x100 for a one-fragment packet) — see <see cref="FragmentCount"/>.
    /// </summary>
    public NetmapSlotFlags Flags { readonly get => (NetmapSlotFlags)_flags; set => _flags = (ushort)value; }

    /// <summary><c>ptr</c>: user data, or the address of an indirect buffer (<c>NS_INDIRECT</c>).</summary>
    public ulong Ptr { readonly get => _ptr; set => _ptr = value; }

    /// <summary>The high byte of <c>flags</c> (<c>NS_RFRAGS</c>): fragments of a received packet, 0 when not set.</summary>
    public readonly int FragmentCount => (_flags & NetmapConstants.NS_PORT_MASK) >> NetmapConstants.NS_PORT_SHIFT;
}
