using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Netmap.Dynamic.Interop;
using Netmap.Dynamic.Native;

namespace Netmap.Dynamic;

/// <summary>
/// The native side of netmap, loaded at run time: the shim (<c>libnetmap_shim.so</c>) and libc,
/// resolved into function tables once per load, after a probe that checks every piece and the
/// device. Nothing happens in a static constructor: every call probes afresh with its options.
/// It is the native <see cref="INetmapBackend"/>: ports on the real kernel, plus VALE control
/// (<c>vale-ctl</c>'s attach, detach, newif, delif, list) and the virtio-net header length.
/// </summary>
/// <remarks>
/// <see cref="TryLoad(NetmapLoadOptions?, out NetmapLibrary?, out NetmapProbeResult)"/> returns
/// a library only when the probe says <see cref="NetmapProbeStatus.Available"/>; otherwise the
/// result alone carries the diagnosis (its <see cref="NetmapProbeResult.IsLibraryLoaded"/> tells
/// "installation fine, device missing or refused" apart from a broken installation). Dispose is
/// thread-safe and idempotent: it closes the ports still open (waking their waiters), then releases
/// the native libraries. Control requests open the device for each call (see docs/native.md).
/// </remarks>
public sealed class NetmapLibrary : INetmapBackend
{
    private readonly LoadedNative _native;
    private readonly NativeBackend _backend;
    private readonly CallGate _calls = new();   // Dispose unloads the shim only after the last call has left

    private NetmapLibrary(LoadedNative native, NetmapProbeResult probeResult, bool inlineWaitCompletions)
    {
        _native = native;
        ProbeResult = probeResult;
        NetmapShimDescription shim = probeResult.Shim!;
        _backend = new NativeBackend(native.Shim, native.Libc, probeResult.DevicePath, shim.NiocTxSync, shim.NiocRxSync, inlineWaitCompletions);
    }

    /// <summary>"native".</summary>
    public string Name => "native";

    /// <summary>The native backend (for tests).</summary>
    internal NativeBackend Backend => _backend;

    /// <summary>The probe that admitted this library.</summary>
    public NetmapProbeResult ProbeResult { get; }

    /// <summary>What the shim reports about itself.</summary>
    public NetmapShimDescription Shim => ProbeResult.Shim!;

    /// <summary>The control device this library probed.</summary>
    public string DevicePath => ProbeResult.DevicePath;

    /// <summary>Whether <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => _calls.IsClosed;

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
        library = native is null ? null : new NetmapLibrary(native, result, options?.InlineWaitCompletions ?? false);
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

    /// <inheritdoc/>
    public NetmapPort OpenPort(string spec, NetmapPortOptions? options = null) => OpenPort(NetmapPortSpec.Parse(spec), options);

    /// <inheritdoc/>
    public NetmapPort OpenPort(NetmapPortSpec spec, NetmapPortOptions? options = null)
    {
        using CallScope call = EnterCall();
        return _backend.OpenPort(spec, options);
    }

    /// <inheritdoc/>
    public NetmapPortInfo GetPortInfo(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        using CallScope call = EnterCall();
        return _backend.Control.PortInfo(name);
    }

    /// <summary>
    /// Attaches a NIC to a VALE switch (<c>vale-ctl -a vale0:eth0</c>; with
    /// <paramref name="withHostStack"/>, <c>-h</c>: the host stack joins as a second port).
    /// Returns the switch port index.
    /// </summary>
    /// <param name="name">Switch and interface, e.g. <c>vale0:eth0</c>.</param>
    /// <param name="withHostStack">Also attach the interface's host rings (<c>NR_REG_NIC_SW</c>).</param>
    public int ValeAttach(string name, bool withHostStack = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        using CallScope call = EnterCall();
        return _backend.Control.ValeAttach(name, withHostStack ? NetmapRegisterMode.NR_REG_NIC_SW : NetmapRegisterMode.NR_REG_ALL_NIC, 0);
    }

    /// <summary>Detaches an interface from its VALE switch (<c>vale-ctl -d vale0:eth0</c>); returns the port index it had.</summary>
    public int ValeDetach(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        using CallScope call = EnterCall();
        return _backend.Control.ValeDetach(name);
    }

    /// <summary>Creates a persistent VALE interface (<c>vale-ctl -n name</c>); returns its memory allocator id.</summary>
    public ushort ValeNewInterface(string name, NetmapValeInterfaceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        using CallScope call = EnterCall();
        return _backend.Control.ValeNewInterface(name, options ?? new NetmapValeInterfaceOptions());
    }

    /// <summary>Deletes a persistent VALE interface (<c>vale-ctl -r name</c>).</summary>
    public void ValeDeleteInterface(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        using CallScope call = EnterCall();
        _backend.Control.ValeDeleteInterface(name);
    }

    /// <summary>Every port of every VALE switch (<c>vale-ctl -l</c>).</summary>
    public IReadOnlyList<NetmapValePort> ValeList()
    {
        using CallScope call = EnterCall();
        return _backend.Control.ValeList();
    }

    /// <summary>The virtio-net header length of a port (<c>NETMAP_REQ_PORT_HDR_GET</c>).</summary>
    public int GetVirtioHeaderLength(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        using CallScope call = EnterCall();
        return _backend.Control.GetHeaderLength(name);
    }

    /// <summary>Sets the virtio-net header length of a port: 0, 10 or 12 (<c>NETMAP_REQ_PORT_HDR_SET</c>).</summary>
    public void SetVirtioHeaderLength(string name, int length)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        using CallScope call = EnterCall();
        _backend.Control.SetHeaderLength(name, length);
    }

    /// <summary>
    /// Closes the ports still open, waits for control calls other threads are making, then releases
    /// the native libraries (once; later calls do nothing). Calls that start later throw
    /// <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose()
    {
        if (!_calls.Close())
            return;
        _backend.Dispose();
        _calls.WaitIdle();
        if (_native.OwnsShimHandle)
            NativeLibrary.Free(_native.ShimHandle);
        NativeLibrary.Free(_native.LibcHandle);
    }

    /// <summary>Counts a control call in until the returned scope is disposed; throws once disposed.</summary>
    private CallScope EnterCall()
    {
        ObjectDisposedException.ThrowIf(!_calls.TryEnter(), this);
        return new CallScope(_calls);
    }

    /// <summary>One control call inside the library (<c>using</c>): the shim stays loaded until it ends.</summary>
    private readonly ref struct CallScope(CallGate calls)
    {
        public void Dispose() => calls.Exit();
    }
}
