using System.Runtime.CompilerServices;

namespace Netmap.Dynamic.Interop;

/// <summary>
/// netmap's ioctl numbers, computed from their parts (type <c>'i'</c>, number, argument size)
/// exactly as the C macros do. The top-level members are the Linux encoding; <see cref="FreeBsd"/>
/// holds FreeBSD's. The shim reports the numbers it was compiled with, and the loader compares.
/// </summary>
public static class NetmapIoctl
{
    /// <summary>The ioctl type letter of netmap.</summary>
    public const char Type = 'i';

    /// <summary>Number of <c>NIOCCTRL</c> (all control requests, argument <see cref="nmreq_header"/>).</summary>
    public const uint NIOCCTRL_NR = 151;
    /// <summary>Number of <c>NIOCTXSYNC</c>.</summary>
    public const uint NIOCTXSYNC_NR = 148;
    /// <summary>Number of <c>NIOCRXSYNC</c>.</summary>
    public const uint NIOCRXSYNC_NR = 149;
    /// <summary>Number of the legacy <c>NIOCREGIF</c>.</summary>
    public const uint NIOCREGIF_NR = 146;
    /// <summary>Number of the legacy <c>NIOCGINFO</c>.</summary>
    public const uint NIOCGINFO_NR = 145;

    /// <summary>
    /// Size of the legacy <c>struct nmreq</c> (API &lt; 14), the argument of <c>NIOCREGIF</c> and
    /// <c>NIOCGINFO</c>. This library never sends it; the number is kept to recognise the ioctls.
    /// </summary>
    public const int LegacyNmreqSize = 60;

    /// <summary>Linux <c>_IOWR('i', 151, struct nmreq_header)</c>.</summary>
    public static uint NIOCCTRL { get; } = IoctlEncoding.LinuxIOWR(Type, NIOCCTRL_NR, Unsafe.SizeOf<nmreq_header>());
    /// <summary>Linux <c>_IO('i', 148)</c>.</summary>
    public static uint NIOCTXSYNC { get; } = IoctlEncoding.LinuxIO(Type, NIOCTXSYNC_NR);
    /// <summary>Linux <c>_IO('i', 149)</c>.</summary>
    public static uint NIOCRXSYNC { get; } = IoctlEncoding.LinuxIO(Type, NIOCRXSYNC_NR);
    /// <summary>Linux <c>_IOWR('i', 146, struct nmreq)</c> (legacy).</summary>
    public static uint NIOCREGIF { get; } = IoctlEncoding.LinuxIOWR(Type, NIOCREGIF_NR, LegacyNmreqSize);
    /// <summary>Linux <c>_IOWR('i', 145, struct nmreq)</c> (legacy).</summary>
    public static uint NIOCGINFO { get; } = IoctlEncoding.LinuxIOWR(Type, NIOCGINFO_NR, LegacyNmreqSize);

    /// <summary>The same requests in FreeBSD's encoding.</summary>
    public static class FreeBsd
    {
        /// <summary>FreeBSD <c>_IOWR('i', 151, struct nmreq_header)</c>.</summary>
        public static uint NIOCCTRL { get; } = IoctlEncoding.FreeBsdIOWR(Type, NIOCCTRL_NR, Unsafe.SizeOf<nmreq_header>());
        /// <summary>FreeBSD <c>_IO('i', 148)</c>.</summary>
        public static uint NIOCTXSYNC { get; } = IoctlEncoding.FreeBsdIO(Type, NIOCTXSYNC_NR);
        /// <summary>FreeBSD <c>_IO('i', 149)</c>.</summary>
        public static uint NIOCRXSYNC { get; } = IoctlEncoding.FreeBsdIO(Type, NIOCRXSYNC_NR);
    }
}
