using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Native;

// Managed mirrors of the structs in shim/include/nmshim.h (C API version 1). Change both sides
// together; the shim refuses a caller whose `Size` is smaller than its own struct.

/// <summary>A <c>char[32]</c> (<c>NMSHIM_NAME_SIZE</c>).</summary>
[InlineArray(32)]
internal struct ShimName
{
    private byte _element0;

    /// <summary>The NUL-terminated UTF-8 text.</summary>
    public override readonly string ToString()
    {
        ReadOnlySpan<byte> bytes = this;
        int end = bytes.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }
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
