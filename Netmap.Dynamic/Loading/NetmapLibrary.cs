using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Netmap.Dynamic.Loading;
using Netmap.Dynamic.Native;

namespace Netmap.Dynamic;

/// <summary>
/// The native side of netmap, loaded at run time: the shim (<c>libnetmap_shim.so</c>) and libc,
/// resolved into function tables once per load, after a probe that checks every piece and the
/// device. Nothing happens in a static constructor: every call probes afresh with its options.
/// </summary>
/// <remarks>
/// <see cref="TryLoad(NetmapLoadOptions?, out NetmapLibrary?, out NetmapProbeResult)"/> returns
/// a library only when the probe says <see cref="NetmapProbeStatus.Available"/>; otherwise the
/// result alone carries the diagnosis (its <see cref="NetmapProbeResult.IsLibraryLoaded"/> tells
/// "installation fine, device missing or refused" apart from a broken installation). Dispose is
/// thread-safe and idempotent; dispose the library only after everything using it is closed.
/// </remarks>
public sealed class NetmapLibrary : IDisposable
{
    private readonly LoadedNative _native;
    private int _disposed;

    private NetmapLibrary(LoadedNative native, NetmapProbeResult probeResult)
    {
        _native = native;
        ProbeResult = probeResult;
    }

    /// <summary>The probe that admitted this library.</summary>
    public NetmapProbeResult ProbeResult { get; }

    /// <summary>What the shim reports about itself.</summary>
    public NetmapShimDescription Shim => ProbeResult.Shim!;

    /// <summary>The control device this library probed.</summary>
    public string DevicePath => ProbeResult.DevicePath;

    /// <summary>Whether <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>The shim's function table.</summary>
    internal ShimFunctions ShimFunctions
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return _native.Shim;
        }
    }

    /// <summary>The libc function table.</summary>
    internal LibcFunctions LibcFunctions
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return _native.Libc;
        }
    }

    /// <summary>Probes with default options; see <see cref="TryLoad(NetmapLoadOptions?, out NetmapLibrary?, out NetmapProbeResult)"/>.</summary>
    public static bool TryLoad([NotNullWhen(true)] out NetmapLibrary? library, out NetmapProbeResult result) =>
        TryLoad(null, out library, out result);

    /// <summary>
    /// Probes and, when netmap is usable, loads. Never throws, and uses no exceptions inside
    /// (only an exception thrown by <see cref="NetmapLoadOptions.ShimResolver"/> is caught, and recorded).
    /// </summary>
    /// <returns>True with a library when the status is <see cref="NetmapProbeStatus.Available"/>; false with a null library otherwise.</returns>
    public static bool TryLoad(NetmapLoadOptions? options, [NotNullWhen(true)] out NetmapLibrary? library, out NetmapProbeResult result)
    {
        result = NetmapLoader.Run(options, out LoadedNative? native);
        library = native is null ? null : new NetmapLibrary(native, result);
        return library is not null;
    }

    /// <summary>Loads netmap or throws <see cref="NetmapUnavailableException"/> carrying the probe result.</summary>
    public static NetmapLibrary Load(NetmapLoadOptions? options = null) =>
        TryLoad(options, out NetmapLibrary? library, out NetmapProbeResult result) ? library : throw new NetmapUnavailableException(result);

    /// <summary>Probes and releases everything again: the diagnosis alone.</summary>
    public static NetmapProbeResult Probe(NetmapLoadOptions? options = null)
    {
        TryLoad(options, out NetmapLibrary? library, out NetmapProbeResult result);
        library?.Dispose();
        return result;
    }

    /// <summary>Releases the native libraries (once; later calls do nothing).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (_native.OwnsShimHandle)
            NativeLibrary.Free(_native.ShimHandle);
        NativeLibrary.Free(_native.LibcHandle);
    }
}
