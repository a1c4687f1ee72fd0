using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Interop;

/// <summary>
/// <c>struct timeval</c> as on 64-bit Linux and FreeBSD (two 64-bit fields), the type of
/// <see cref="netmap_ring.ts"/>.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct timeval
{
    /// <summary>Seconds.</summary>
    [FieldOffset(0)] public long tv_sec;
    /// <summary>Microseconds.</summary>
    [FieldOffset(8)] public long tv_usec;
}
