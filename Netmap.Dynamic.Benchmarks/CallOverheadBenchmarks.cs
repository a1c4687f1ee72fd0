using System.Reflection;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Microsoft.Win32.SafeHandles;
using Netmap.Dynamic.Interop;
using Netmap.Dynamic.Native;

namespace Netmap.Dynamic.Benchmarks;

/// <summary>
/// The cost of one native call the way the library makes it (a <c>delegate* unmanaged</c> from
/// its function tables) against <c>[LibraryImport]</c>, for a shim export that does nothing
/// (<c>nmshim_version</c>) and for libc <c>ioctl(NIOCTXSYNC)</c> on /dev/null (fails with
/// ENOTTY: the syscall round trip of every sync). cref/callbench.c makes the same calls from C.
/// </summary>
public unsafe partial class CallOverheadBenchmarks
{
    private const int Calls = 1000;
    private const string ShimImportName = "netmap_shim_bench";
    private nint _shimHandle;
    private nint _libcHandle;
    private ShimFunctions _shim;
    private LibcFunctions _libc;
    private SafeFileHandle _devNull = null!;
    private int _fd;
    private static int s_resolverSet;

    /// <summary>Where the build placed the shim (build/Shim.targets).</summary>
    public static string ShimPath =>
        NetmapLoader.RuntimeIdentifiers()
            .Select(rid => Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native", "libnetmap_shim.so"))
            .FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException("libnetmap_shim.so is not in runtimes/<rid>/native/ of the benchmark output (is gcc/make installed?)");

    [GlobalSetup]
    public void Setup()
    {
        List<string> missing = [];
        _shimHandle = NativeLibrary.Load(ShimPath);
        _libcHandle = NativeLibrary.Load("libc.so.6");
        _shim = ShimFunctions.Resolve(_shimHandle, missing);
        _libc = LibcFunctions.Resolve(_libcHandle, missing);
        if (missing.Count > 0) throw new InvalidOperationException("missing exports: " + string.Join(", ", missing));
        // One resolver per assembly for the life of the process; in-process runs call Setup per case.
        if (Interlocked.Exchange(ref s_resolverSet, 1) == 0)
            NativeLibrary.SetDllImportResolver(typeof(CallOverheadBenchmarks).Assembly, Resolve);
        _devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
        _fd = (int)_devNull.DangerousGetHandle();
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == ShimImportName ? NativeLibrary.Load(ShimPath) : 0;

    [GlobalCleanup]
    public void Cleanup()
    {
        _devNull.Dispose();
        NativeLibrary.Free(_shimHandle);
        NativeLibrary.Free(_libcHandle);
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public int ShimNoop_FunctionPointer()
    {
        int total = 0;
        for (int i = 0; i < Calls; i++) total += _shim.nmshim_version();
        return total;
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public int ShimNoop_LibraryImport()
    {
        int total = 0;
        for (int i = 0; i < Calls; i++) total += nmshim_version();
        return total;
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public int Ioctl_FunctionPointer()
    {
        int errors = 0;
        for (int i = 0; i < Calls; i++)
        {
            if (_libc.ioctl(_fd, NetmapIoctl.NIOCTXSYNC, null) < 0) errors += Marshal.GetLastSystemError();
        }
        return errors;
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public int Ioctl_LibraryImport()
    {
        int errors = 0;
        for (int i = 0; i < Calls; i++)
        {
            if (ioctl(_fd, NetmapIoctl.NIOCTXSYNC, null) < 0) errors += Marshal.GetLastPInvokeError();
        }
        return errors;
    }

    [LibraryImport(ShimImportName)]
    private static partial int nmshim_version();

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int ioctl(int fd, nuint request, void* argument);
}
