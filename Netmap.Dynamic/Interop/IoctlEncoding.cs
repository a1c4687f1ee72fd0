namespace Netmap.Dynamic.Interop;

/// <summary>
/// How ioctl request numbers are encoded: direction, argument size, type letter and number.
/// Linux and FreeBSD pack the same four parts differently, so netmap's numbers differ by OS.
/// </summary>
public static class IoctlEncoding
{
    // Linux, include/uapi/asm-generic/ioctl.h: nr bits 0-7, type 8-15, size 16-29, dir 30-31.
    private const int LinuxNrShift = 0;
    private const int LinuxTypeShift = 8;
    private const int LinuxSizeShift = 16;
    private const int LinuxDirShift = 30;
    private const uint LinuxSizeMask = (1u << 14) - 1;
    private const uint LinuxDirNone = 0;
    private const uint LinuxDirWrite = 1;
    private const uint LinuxDirRead = 2;

    /// <summary>Linux <c>_IO(type, nr)</c>: no argument.</summary>
    public static uint LinuxIO(char type, uint nr) => Linux(LinuxDirNone, type, nr, 0);

    /// <summary>Linux <c>_IOWR(type, nr, T)</c>: an argument of <paramref name="size"/> bytes, in and out.</summary>
    public static uint LinuxIOWR(char type, uint nr, int size) => Linux(LinuxDirRead | LinuxDirWrite, type, nr, size);

    private static uint Linux(uint dir, char type, uint nr, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)size, LinuxSizeMask);
        return (dir << LinuxDirShift) | ((uint)size << LinuxSizeShift) | ((uint)(byte)type << LinuxTypeShift) | (nr << LinuxNrShift);
    }

    // FreeBSD, sys/sys/ioccom.h: num bits 0-7, group 8-15, length 16-28, direction bits 29-31.
    private const uint FreeBsdParmMask = 0x1fff;
    private const uint FreeBsdVoid = 0x20000000;
    private const uint FreeBsdOut = 0x40000000;
    private const uint FreeBsdIn = 0x80000000;

    /// <summary>FreeBSD <c>_IO(group, num)</c>.</summary>
    public static uint FreeBsdIO(char group, uint num) => FreeBsd(FreeBsdVoid, group, num, 0);

    /// <summary>FreeBSD <c>_IOWR(group, num, T)</c>.</summary>
    public static uint FreeBsdIOWR(char group, uint num, int size) => FreeBsd(FreeBsdIn | FreeBsdOut, group, num, size);

    private static uint FreeBsd(uint inout, char group, uint num, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)size, FreeBsdParmMask);
        return inout | ((uint)size << 16) | ((uint)(byte)group << 8) | num;
    }
}
