using System.Runtime.InteropServices;
using Netmap.Dynamic.Native;
using Netmap.Dynamic.Tests.Loading;

namespace Netmap.Dynamic.Tests.Native;

/// <summary>
/// Function tables of the real shim, the echo variant and libc, loaded once for the process
/// (without a probe: these tests drive the exports directly, on devices that are not netmap).
/// </summary>
internal static unsafe class NativeTables
{
    private static readonly Lazy<ShimFunctions> LazyShim = new(() => Load(NativeTestFiles.Shim));
    private static readonly Lazy<ShimFunctions> LazyEcho = new(() => Load(NativeTestFiles.Variant("echo")));
    private static readonly Lazy<LibcFunctions> LazyLibc = new(() =>
    {
        List<string> missing = [];
        LibcFunctions libc = LibcFunctions.Resolve(NativeLibrary.Load("libc.so.6"), missing);
        Assert.That(missing, Is.Empty);
        return libc;
    });

    public static ShimFunctions Shim => LazyShim.Value;
    public static ShimFunctions Echo => LazyEcho.Value;
    public static LibcFunctions Libc => LazyLibc.Value;

    /// <summary>A backend over the real shim and libc on <paramref name="device"/>, without a probe.</summary>
    public static NativeBackend Backend(string device) =>
        new(Shim, Libc, device, Interop.NetmapIoctl.NIOCTXSYNC, Interop.NetmapIoctl.NIOCRXSYNC);

    /// <summary>
    /// Open file descriptors of this process that refer to one of <paramref name="targets"/>
    /// (a path, or a kernel object name such as <c>anon_inode:[eventfd]</c>). Only what the code
    /// under test opens is counted: the runtime itself opens files at any time (an assembly loaded
    /// for the first time keeps its file open), which made a count of every fd order-dependent.
    /// </summary>
    public static int OpenFdCount(params string[] targets) =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Count(fd => fd.LinkTarget is string target && targets.Contains(target));

    private static ShimFunctions Load(string path)
    {
        List<string> missing = [];
        ShimFunctions shim = ShimFunctions.Resolve(NativeLibrary.Load(path), missing);
        Assert.That(missing, Is.Empty, $"exports missing from {path}");
        return shim;
    }
}
