using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Native;

// Managed mirrors of the structs in shim/include/nmshim.h (C API version 3). Change both sides
// together; the shim refuses a caller whose `Size` is smaller than its own struct.

/// <summary>A <c>char[32]</c> (<c>NMSHIM_NAME_SIZE</c>).</summary>
[InlineArray(32)]
internal struct ShimName
{
    private byte _element0;

    /// <summary>The NUL-terminated UTF-8 text.</summary>
    public override readonly string ToString() => NativeText.FromUtf8(this);
}

/// <summary><c>struct nmshim_layout_entry</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ShimLayoutEntry
{
    public ShimName StructName;
    public ShimName FieldName;
    public uint Offset;
    public uint Size;
}

/// <summary><c>struct nmshim_description</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ShimDescription
{
    public uint Size;
    public uint ShimVersion;
    public uint NetmapApi;
    public uint NetmapMinApi;
    public uint NetmapMaxApi;
    public uint SystemHeaders;
    public uint LayoutCount;
    public uint Reserved;
    public ulong NiocCtrl;
    public ulong NiocTxSync;
    public ulong NiocRxSync;
}

/// <summary><c>struct nmshim_kernel_probe_result</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ShimKernelProbeResult
{
    /// <summary><c>NMSHIM_PROBE_STAGE_OPEN</c>: opening the device failed.</summary>
    public const int StageOpen = 1;
    /// <summary><c>NMSHIM_PROBE_STAGE_IOCTL</c>: the device answered the request.</summary>
    public const int StageIoctl = 2;

    public uint Size;
    public int Stage;
    public int Error;
    public uint ApiSent;
    public uint KernelApi;
    public uint Reserved;
}

/// <summary>A <c>char[64]</c> (<c>NMSHIM_PORT_NAME_SIZE</c>, netmap's <c>nr_name</c>).</summary>
[InlineArray(64)]
internal struct ShimPortName
{
    private byte _element0;

    /// <summary>The NUL-terminated UTF-8 text.</summary>
    public override readonly string ToString() => NativeText.FromUtf8(this);

    /// <summary>Copies <paramref name="name"/> as UTF-8 with a NUL; false when it does not fit in 63 bytes or holds a NUL.</summary>
    public bool TrySet(string name)
    {
        Span<byte> bytes = this;
        bytes.Clear();
        if (name.Contains('\0', StringComparison.Ordinal) || System.Text.Encoding.UTF8.GetByteCount(name) > bytes.Length - 1)
            return false;
        System.Text.Encoding.UTF8.GetBytes(name, bytes);
        return true;
    }
}

/// <summary>Where a control export stopped (<c>NMSHIM_STAGE_*</c>).</summary>
internal enum ShimStage
{
    None = 0,
    /// <summary>Opening the device failed.</summary>
    Open = 1,
    /// <summary>The device answered the NIOCCTRL request.</summary>
    Ioctl = 2,
    /// <summary>Mapping the region failed.</summary>
    Mmap = 3,
    /// <summary>The shim refused the arguments.</summary>
    Arguments = 4,
}

/// <summary><c>struct nmshim_port_request</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ShimPortRequest
{
    public uint Size;
    public uint Mode;
    public ulong Flags;
    public uint TxSlots;
    public uint RxSlots;
    public ushort TxRings;
    public ushort RxRings;
    public ushort HostTxRings;
    public ushort HostRxRings;
    public ushort MemId;
    public ushort RingId;
    public uint ExtraBufs;
    public ShimPortName Name;
}

/// <summary><c>struct nmshim_port_reply</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ShimPortReply
{
    public uint Size;
    public int Fd;
    public ulong MemSize;
    public ulong Offset;
    public uint TxSlots;
    public uint RxSlots;
    public ushort TxRings;
    public ushort RxRings;
    public ushort HostTxRings;
    public ushort HostRxRings;
    public ushort MemId;
    public ushort Reserved16;
    public uint ExtraBufs;
}

/// <summary><c>NMSHIM_PORT_OPT_*</c>: which parts of <see cref="ShimPortOptions"/> a register uses.</summary>
[Flags]
internal enum ShimPortOptionKinds : uint
{
    None = 0,
    /// <summary><c>NMSHIM_PORT_OPT_EXTMEM</c>.</summary>
    ExternalMemory = 1,
    /// <summary><c>NMSHIM_PORT_OPT_OFFSETS</c>.</summary>
    Offsets = 2,
    /// <summary><c>NMSHIM_PORT_OPT_RAW</c>: bare option headers (see <see cref="RawRegisterOptions"/>).</summary>
    Raw = 4,
}

/// <summary><c>struct nmshim_port_options</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ShimPortOptions
{
    public uint Size;
    public ShimPortOptionKinds Present;
    public ulong ExtmemAddress;
    public ulong ExtmemSize;
    public uint InterfaceCount;
    public uint InterfaceSize;
    public uint RingCount;
    public uint RingSize;
    public uint BufferCount;
    public uint BufferSize;
    public ulong InterfacePoolOffset;
    public ulong RingPoolOffset;
    public ulong BufferPoolOffset;
    public ulong MaxOffset;
    public ulong InitialOffset;
    public ulong MinGap;
    public uint OffsetBits;
    public int ExtmemStatus;
    public int OffsetsStatus;
    public uint Reserved;
    public uint RawType;
    public uint RawCount;
    public uint RawLoop;
    public int RawStatus;
}

/// <summary><c>struct nmshim_pools_reply</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ShimPoolsReply
{
    public uint Size;
    public ushort MemId;
    public ushort Reserved16;
    public ulong MemSize;
    public ulong InterfacePoolOffset;
    public ulong RingPoolOffset;
    public ulong BufferPoolOffset;
    public uint InterfaceCount;
    public uint InterfaceSize;
    public uint RingCount;
    public uint RingSize;
    public uint BufferCount;
    public uint BufferSize;
}
