using System.Globalization;
using BenchmarkDotNet.Attributes;
using Netmap.Dynamic.Interop;
using Netmap.Dynamic.Native;

namespace Netmap.Dynamic.Benchmarks;

/// <summary>
/// Syncs on the real kernel (only where <c>NetmapLibrary.TryLoad</c> succeeds, e.g. the
/// netmap VM): a VALE port's TX sync with nothing to send and a pipe end's RX sync with nothing
/// received, each through <see cref="NetmapPort"/> (the library's whole path), through the libc
/// function pointer alone and through a <c>[SuppressGCTransition]</c> pointer. cref/callbench.c
/// (argument <c>netmap</c>) makes the same ioctls from C: vale-txsync, pipe-rxsync.
/// </summary>
[MemoryDiagnoser]
public unsafe class NetmapSyncBenchmarks
{
    private const int Calls = 1000;
    private NetmapLibrary _library = null!;
    private NetmapPort _vale = null!;
    private NetmapPort _pipeMaster = null!;
    private NetmapPort _pipeSlave = null!;
    private LibcFunctions _libc;
    private delegate* unmanaged[SuppressGCTransition]<int, nuint, void*, int> _ioctlSuppressed;
    private int _valeFd;
    private int _pipeFd;

    /// <summary>True where netmap can be used (the suite then includes this class).</summary>
    public static bool Available
    {
        get
        {
            bool ok = NetmapLibrary.TryLoad(out NetmapLibrary? library, out _);
            library?.Dispose();
            return ok;
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        _library = NetmapLibrary.Load();
        string id = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        _vale = _library.OpenPort($"vale{id}:a");
        _pipeMaster = _library.OpenPort($"netmap:sb{id}{{1");
        _pipeSlave = _library.OpenPort($"netmap:sb{id}}}1");
        _libc = _library.LibcFunctions;
        _ioctlSuppressed = (delegate* unmanaged[SuppressGCTransition]<int, nuint, void*, int>)_libc.ioctl;
        _valeFd = ((NativePortDriver)_vale.Driver).FileDescriptor;
        _pipeFd = ((NativePortDriver)_pipeSlave.Driver).FileDescriptor;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _vale.Dispose();
        _pipeMaster.Dispose();
        _pipeSlave.Dispose();
        _library.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public void ValeTxSync_Port()
    {
        for (int i = 0; i < Calls; i++) _vale.TxSync();
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public int ValeTxSync_FunctionPointer() => Ioctls(_valeFd, NetmapIoctl.NIOCTXSYNC);

    [Benchmark(OperationsPerInvoke = Calls)]
    public int ValeTxSync_SuppressGCTransition() => IoctlsWithoutTransition(_valeFd, NetmapIoctl.NIOCTXSYNC);

    [Benchmark(OperationsPerInvoke = Calls)]
    public void PipeRxSync_Port()
    {
        for (int i = 0; i < Calls; i++) _pipeSlave.RxSync();
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public int PipeRxSync_FunctionPointer() => Ioctls(_pipeFd, NetmapIoctl.NIOCRXSYNC);

    [Benchmark(OperationsPerInvoke = Calls)]
    public int PipeRxSync_SuppressGCTransition() => IoctlsWithoutTransition(_pipeFd, NetmapIoctl.NIOCRXSYNC);

    private int Ioctls(int fd, nuint request)
    {
        int total = 0;
        for (int i = 0; i < Calls; i++) total += _libc.ioctl(fd, request, null);
        return total;
    }

    private int IoctlsWithoutTransition(int fd, nuint request)
    {
        int total = 0;
        for (int i = 0; i < Calls; i++) total += _ioctlSuppressed(fd, request, null);
        return total;
    }
}
