using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Netmap.Dynamic.Native;

namespace Netmap.Dynamic.Benchmarks;

/// <summary>
/// What a sync costs layer by layer, on any Linux host: a trivial ioctl that succeeds
/// (<c>FIOCLEX</c>, handled by the VFS before any driver: the syscall round trip alone) through
/// the library's plain <c>delegate* unmanaged</c> and through a
/// <c>delegate* unmanaged[SuppressGCTransition]</c> (the difference is the GC transition), reading
/// errno (what a failing call adds), and the whole <see cref="NativePortDriver"/> sync path (the
/// call gate's two interlocked operations and the rest of the managed overhead) with FIOCLEX
/// standing in for NIOCTXSYNC. cref/callbench.c's call-fioclex is the C figure.
/// </summary>
[MemoryDiagnoser]
public unsafe class SyncCallBenchmarks
{
    private const int Calls = 1000;
    private const nuint FIOCLEX = 0x5451;   // Linux, every architecture .NET runs on
    private nint _libcHandle;
    private LibcFunctions _libc;
    private delegate* unmanaged[SuppressGCTransition]<int, nuint, void*, int> _ioctlSuppressed;
    private int _fd;
    private NativePortDriver _driver = null!;
    private readonly CallGate _gate = new();

    [GlobalSetup]
    public void Setup()
    {
        List<string> missing = [];
        _libcHandle = NativeLibrary.Load("libc.so.6");
        _libc = LibcFunctions.Resolve(_libcHandle, missing);
        if (missing.Count > 0) throw new InvalidOperationException("missing exports: " + string.Join(", ", missing));
        _ioctlSuppressed = (delegate* unmanaged[SuppressGCTransition]<int, nuint, void*, int>)_libc.ioctl;
        _fd = _libc.eventfd(0, 0);
        _driver = new NativePortDriver(_libc, _fd, "bench", FIOCLEX, FIOCLEX, () => _libc.close(_fd));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _driver.Close();
        NativeLibrary.Free(_libcHandle);
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public int Fioclex_FunctionPointer()
    {
        int total = 0;
        for (int i = 0; i < Calls; i++) total += _libc.ioctl(_fd, FIOCLEX, null);
        return total;
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public int Fioclex_SuppressGCTransition()
    {
        int total = 0;
        for (int i = 0; i < Calls; i++) total += _ioctlSuppressed(_fd, FIOCLEX, null);
        return total;
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public int GetLastSystemError()
    {
        int total = 0;
        for (int i = 0; i < Calls; i++) total += Marshal.GetLastSystemError();
        return total;
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public int CallGate_EnterExit()
    {
        int entered = 0;
        for (int i = 0; i < Calls; i++)
        {
            if (_gate.TryEnter()) entered++;
            _gate.Exit();
        }
        return entered;
    }

    // The driver's call shape (a method of its own per sync, with the gate around the ioctl), with
    // the plain pointer and with the suppressed one: a method that makes a normal P/Invoke sets up
    // the transition frame in its prologue on every call, which a loop benchmark pays only once.
    [Benchmark(OperationsPerInvoke = Calls)]
    public void SyncShape_Plain()
    {
        for (int i = 0; i < Calls; i++) GatedPlain();
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public void SyncShape_Suppressed()
    {
        for (int i = 0; i < Calls; i++) GatedSuppressed();
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public void SyncShape_SuppressedNoGate()
    {
        for (int i = 0; i < Calls; i++) UngatedSuppressed();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GatedPlain()
    {
        if (!_gate.TryEnter()) throw new ObjectDisposedException("gate");
        try
        {
            if (_libc.ioctl(_fd, FIOCLEX, null) < 0) throw new InvalidOperationException(Marshal.GetLastSystemError().ToString(CultureInfo.InvariantCulture));
        }
        finally
        {
            _gate.Exit();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GatedSuppressed()
    {
        if (!_gate.TryEnter()) throw new ObjectDisposedException("gate");
        try
        {
            if (_ioctlSuppressed(_fd, FIOCLEX, null) < 0) throw new InvalidOperationException(Marshal.GetLastSystemError().ToString(CultureInfo.InvariantCulture));
        }
        finally
        {
            _gate.Exit();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void UngatedSuppressed()
    {
        if (_ioctlSuppressed(_fd, FIOCLEX, null) < 0) throw new InvalidOperationException(Marshal.GetLastSystemError().ToString(CultureInfo.InvariantCulture));
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public void DriverSync()
    {
        for (int i = 0; i < Calls; i++) _driver.TxSync();
    }
}
