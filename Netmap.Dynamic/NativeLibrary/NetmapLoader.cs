using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Netmap.Dynamic.Interop;
using Netmap.Dynamic.Native;

namespace Netmap.Dynamic;

/// <summary>What a successful load hands to <see cref="NetmapLibrary"/>.</summary>
internal sealed class LoadedNative
{
    public required nint ShimHandle { get; init; }
    public required bool OwnsShimHandle { get; init; }
    public required nint LibcHandle { get; init; }
    public required ShimFunctions Shim { get; init; }
    public required LibcFunctions Libc { get; init; }
}

/// <summary>
/// One probe, step by step: platform, shim (search, exports, version, description, layout),
/// libc, device. Stops at the first failure, records every attempt, and never throws: every
/// step reports through return values (NativeLibrary.TryLoad/TryGetExport, the shim's -errno).
/// </summary>
internal sealed unsafe class NetmapLoader
{
    private const int MessageSize = 512;
    private const int MaxLayoutRows = 4096;

    private readonly NetmapLoadOptions _options;
    private readonly ILogger _logger;
    private readonly List<NetmapLoadAttempt> _attempts = [];
    private readonly List<string> _missing = [];
    private readonly string _devicePath;
    private string? _shimPath;
    private int? _shimVersion;
    private NetmapShimDescription? _shim;
    private NetmapLayoutCheck _layout = NetmapLayoutCheck.NotChecked;
    private string? _libcPath;
    private bool _libraryLoaded;
    private string? _deviceMessage;
    private int _deviceErrno;
    private int? _kernelApi;

    private NetmapLoader(NetmapLoadOptions options)
    {
        _options = options;
        _logger = options.Logger ?? NullLogger.Instance;
        _devicePath = string.IsNullOrEmpty(options.DevicePath) ? NetmapLoadOptions.DefaultDevicePath : options.DevicePath;
    }

    /// <summary>Runs a probe; on <see cref="NetmapProbeStatus.Available"/> hands over the loaded handles.</summary>
    public static NetmapProbeResult Run(NetmapLoadOptions? options, out LoadedNative? loaded) =>
        new NetmapLoader(options ?? new NetmapLoadOptions()).Run(out loaded);

    private NetmapProbeResult Run(out LoadedNative? loaded)
    {
        loaded = null;
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD()))
            return Finish(NetmapProbeStatus.UnsupportedPlatform,
                $"netmap exists on Linux and FreeBSD; this is {RuntimeInformation.OSDescription}. The Interop types and FakeNetmapBackend work here; the native backend does not.");
        if (nint.Size != 8)
            return Finish(NetmapProbeStatus.UnsupportedPlatform,
                $"netmap's shared-memory ABI is declared for 64-bit processes; this process is {RuntimeInformation.ProcessArchitecture}.");

        using DynamicLinker linker = DynamicLinker.Create();

        nint shimHandle = FindShim(linker, out bool ownsShim, out string? notFound);
        if (shimHandle == 0)
            return Finish(NetmapProbeStatus.ShimNotFound, notFound!);

        nint libcHandle = 0;
        bool handedOver = false;
        try
        {
            string? incompatible = CheckShim(shimHandle, out ShimFunctions shim);
            if (incompatible is not null)
                return Finish(NetmapProbeStatus.ShimIncompatible, incompatible);

            libcHandle = FindLibc(linker, out string? libcProblem);
            if (libcHandle == 0)
                return Finish(NetmapProbeStatus.LibcNotFound, libcProblem!);
            LibcFunctions libc = LibcFunctions.Resolve(libcHandle, _missing);
            if (_missing.Count > 0)
                return Finish(NetmapProbeStatus.LibcNotFound,
                    $"The libc at {_libcPath} lacks {string.Join(", ", _missing)}, which the data plane needs. Point LibcPath (--libc) at the system's C library (libc.so.6 on glibc systems).");

            _libraryLoaded = true;
            (NetmapProbeStatus status, string message) = ProbeDevice(shim);
            if (status != NetmapProbeStatus.Available)
                return Finish(status, message);

            loaded = new LoadedNative { ShimHandle = shimHandle, OwnsShimHandle = ownsShim, LibcHandle = libcHandle, Shim = shim, Libc = libc };
            handedOver = true;
            return Finish(status, message);
        }
        finally
        {
            if (!handedOver)
            {
                if (ownsShim)
                    NativeLibrary.Free(shimHandle);
                if (libcHandle != 0)
                    NativeLibrary.Free(libcHandle);
            }
        }
    }

    // ---- shim search ---------------------------------------------------------------------------

    private nint FindShim(DynamicLinker linker, out bool owns, out string? notFound)
    {
        owns = true;
        notFound = null;

        if (_options.ShimResolver is { } resolver)
        {
            nint handle = CallResolver(resolver, out string outcome);
            Record("shim", "resolver", "ShimResolver", handle != 0, handle != 0 ? "loaded" : outcome);
            if (handle != 0)
            {
                owns = false;
                _shimPath = "(handle from ShimResolver)";
                return handle;
            }
        }

        if (!string.IsNullOrEmpty(_options.ShimPath))
            return LoadExplicitShim(linker, "option", _options.ShimPath, "NetmapLoadOptions.ShimPath (--shim)", out notFound);

        if (_options.UseEnvironmentVariable && Environment.GetEnvironmentVariable(NetmapLoadOptions.ShimPathEnvironmentVariable) is { Length: > 0 } fromEnvironment)
            return LoadExplicitShim(linker, "environment", fromEnvironment, $"the {NetmapLoadOptions.ShimPathEnvironmentVariable} environment variable", out notFound);

        if (TryLinkedInShim(out nint linkedIn))
        {
            owns = false;
            return linkedIn;
        }

        string directory = string.IsNullOrEmpty(_options.ApplicationDirectory) ? AppContext.BaseDirectory : _options.ApplicationDirectory;
        foreach (string rid in RuntimeIdentifiers())
        {
            nint handle = TryLoadShim(linker, "runtimes", Path.Combine(directory, "runtimes", rid, "native", ShimFunctions.FileName));
            if (handle != 0)
                return handle;
        }
        nint inDirectory = TryLoadShim(linker, "app directory", Path.Combine(directory, ShimFunctions.FileName));
        if (inDirectory != 0)
            return inDirectory;

        if (_options.UseSystemLoader)
        {
            foreach (string name in (string[])[ShimFunctions.SoName, ShimFunctions.FileName])
            {
                nint handle = TryLoadShim(linker, "system loader", name);
                if (handle != 0)
                    return handle;
            }
        }

        notFound = $"No {ShimFunctions.FileName} could be loaded from any place searched (see the attempts). "
            + $"`dotnet build` builds it with `make -C shim` (gcc and make) and places it at runtimes/<rid>/native/ in the app's output; "
            + $"if the build warned 'netmap shim not built', install gcc and make and rebuild. Or point {NetmapLoadOptions.ShimPathEnvironmentVariable} "
            + "or NetmapLoadOptions.ShimPath (--shim) at a built libnetmap_shim.so.";
        return 0;
    }

    /// <summary>
    /// A Native AOT executable may carry the shim linked in and export its functions (the netmap
    /// tool's single-file builds): then the shim is the program itself and nothing is loaded.
    /// Only looked for in a Native AOT process, so every other search is unchanged; recorded only
    /// when found.
    /// </summary>
    private bool TryLinkedInShim(out nint handle)
    {
        handle = 0;
        if (RuntimeFeature.IsDynamicCodeSupported)
            return false;
        nint program = NativeLibrary.GetMainProgramHandle();
        if (!NativeLibrary.TryGetExport(program, nameof(ShimFunctions.nmshim_version), out _))
            return false;
        string path = Environment.ProcessPath ?? "(the executable)";
        Record("shim", "executable", path, true, "linked into the executable");
        _shimPath = path;
        handle = program;
        return true;
    }

    private nint LoadExplicitShim(DynamicLinker linker, string source, string path, string origin, out string? notFound)
    {
        notFound = null;
        string full = FullPath(path);
        nint handle = TryLoadShim(linker, source, full);
        if (handle == 0)
        {
            notFound = $"The shim named by {origin} could not be loaded: {_attempts[^1].Outcome}. "
                + $"Fix the path (the search stops at an explicit path rather than load a different shim), or remove the setting to search the app's directory and the system loader.";
        }
        return handle;
    }

    private nint TryLoadShim(DynamicLinker linker, string source, string path)
    {
        nint handle = linker.TryLoad(path, out string error);
        Record("shim", source, path, handle != 0, handle != 0 ? "loaded" : error);
        if (handle != 0)
            _shimPath = path;
        return handle;
    }

    private static nint CallResolver(Func<nint> resolver, out string outcome)
    {
        // The resolver is the caller's code: an exception from it is the only one caught here.
        try
        {
            nint handle = resolver();
            outcome = handle != 0 ? "loaded" : "declined (returned 0)";
            return handle;
        }
#pragma warning disable CA1031 // Any failure of user code becomes a recorded attempt: TryLoad never throws.
        catch (Exception e)
#pragma warning restore CA1031
        {
            outcome = $"threw {e.GetType().Name}: {e.Message}";
            return 0;
        }
    }

    private static string FullPath(string path)
    {
        if (path.Contains('\0', StringComparison.Ordinal) || Path.IsPathRooted(path))
            return path; // the linker reports an invalid name without a throw here
        return Path.Join(Environment.CurrentDirectory, path);
    }

    /// <summary>The process's runtime identifier, then the portable one the build ships under (linux-x64, ...).</summary>
    internal static List<string> RuntimeIdentifiers()
    {
        List<string> rids = [RuntimeInformation.RuntimeIdentifier];
        string os = OperatingSystem.IsFreeBSD() ? "freebsd" : "linux";
        string portable = $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
        if (!rids.Contains(portable, StringComparer.Ordinal))
            rids.Add(portable);
        return rids;
    }

    // ---- shim checks ---------------------------------------------------------------------------

    private string? CheckShim(nint handle, out ShimFunctions shim)
    {
        shim = ShimFunctions.Resolve(handle, _missing);
        if (_missing.Count > 0)
        {
            string missing = string.Join(", ", _missing);
            return $"The shim at {_shimPath} lacks the export{(_missing.Count > 1 ? "s" : "")} {missing}: it was built from other sources than this library. "
                + "Rebuild it from this version's shim/ (make -C shim) and use that file.";
        }

        int version = shim.nmshim_version();
        _shimVersion = version;
        if (version != ShimFunctions.ApiVersion)
        {
            return $"The shim at {_shimPath} speaks shim C API version {version}; this library needs version {ShimFunctions.ApiVersion}. "
                + "Rebuild the shim from this version's shim/ (make -C shim) and use that file.";
        }

        string? problem = Describe(shim);
        if (problem is not null)
            return problem;
        NetmapShimDescription d = _shim!;

        if (d.NetmapApi < NetmapConstants.NETMAP_MIN_API || d.NetmapApi > NetmapConstants.NETMAP_MAX_API)
        {
            return $"The shim at {_shimPath} was compiled for netmap API {d.NetmapApi} ({d.Headers} headers); this library speaks API "
                + $"{NetmapConstants.NETMAP_MIN_API}..{NetmapConstants.NETMAP_MAX_API}. Rebuild the shim with the bundled header (make -C shim NMSHIM_BUNDLED=1) "
                + "or use a Netmap.Dynamic release made for that API.";
        }

        _layout = LayoutChecker.Check(d);
        if (_layout.Mismatches.Count > 0)
        {
            string first = string.Join("; ", _layout.Mismatches.Take(5));
            return $"The shim at {_shimPath} ({d.Headers} headers) disagrees with this library's structs on {_layout.Mismatches.Count} item(s): {first}. "
                + "The netmap headers it was compiled against do not match the ABI this library declares: rebuild with "
                + "make -C shim NMSHIM_BUNDLED=1, or use a Netmap.Dynamic release made for those headers.";
        }
        return null;
    }

    private string? Describe(ShimFunctions shim)
    {
        ShimDescription description = new() { Size = (uint)sizeof(ShimDescription) };
        ShimLayoutEntry[] rows = new ShimLayoutEntry[128];
        byte* message = stackalloc byte[MessageSize];
        message[0] = 0;
        uint count = 0;
        int rc;
        fixed (ShimLayoutEntry* first = rows)
            rc = shim.nmshim_describe(&description, first, (uint)rows.Length, &count, message, MessageSize);
        if (rc == -Errno.ENOSPC && count <= MaxLayoutRows)
        {
            rows = new ShimLayoutEntry[count];
            fixed (ShimLayoutEntry* first = rows)
                rc = shim.nmshim_describe(&description, first, (uint)rows.Length, &count, message, MessageSize);
        }
        if (rc != 0)
            return $"The shim at {_shimPath} could not describe itself ({Errno.Name(-rc)}): {Text(message)}. Rebuild it from this version's shim/.";

        List<NetmapLayoutEntry> layout = new((int)count);
        for (int i = 0; i < count && i < rows.Length; i++)
            layout.Add(new(rows[i].StructName.ToString(), rows[i].FieldName.ToString(), (int)rows[i].Offset, (int)rows[i].Size));
        _shim = new NetmapShimDescription(_shimPath!, (int)description.ShimVersion, (int)description.NetmapApi, (int)description.NetmapMinApi,
            (int)description.NetmapMaxApi, description.SystemHeaders != 0, description.NiocCtrl, description.NiocTxSync, description.NiocRxSync, layout);
        return null;
    }

    // ---- libc -----------------------------------------------------------------------------------

    private nint FindLibc(DynamicLinker linker, out string? problem)
    {
        problem = null;
        bool explicitPath = !string.IsNullOrEmpty(_options.LibcPath);
        string[] candidates = explicitPath ? [_options.LibcPath!] : LibcFunctions.DefaultNames;
        foreach (string candidate in candidates)
        {
            nint handle = linker.TryLoad(candidate, out string error);
            Record("libc", explicitPath ? "option" : "default", candidate, handle != 0, handle != 0 ? "loaded" : error);
            if (handle != 0)
            {
                _libcPath = candidate;
                return handle;
            }
        }
        problem = explicitPath
            ? $"The libc named by NetmapLoadOptions.LibcPath (--libc) could not be loaded: {_attempts[^1].Outcome}. Fix the path, or leave it unset to use libc.so.6."
            : $"No C library could be loaded as {string.Join(" or ", candidates)} (see the attempts). Set NetmapLoadOptions.LibcPath (--libc) to the system's C library.";
        return 0;
    }

    // ---- device ---------------------------------------------------------------------------------

    private (NetmapProbeStatus, string) ProbeDevice(ShimFunctions shim)
    {
        ShimKernelProbeResult probe = new() { Size = (uint)sizeof(ShimKernelProbeResult) };
        byte* message = stackalloc byte[MessageSize];
        message[0] = 0;
        byte[] path = NativeText.ToUtf8z(_devicePath);
        int rc;
        fixed (byte* p = path)
            rc = shim.nmshim_kernel_probe(p, &probe, message, MessageSize);

        string said = Text(message);
        _deviceMessage = said;
        _deviceErrno = rc == 0 ? 0 : -rc;
        if (probe.KernelApi != 0)
            _kernelApi = (int)probe.KernelApi;

        if (rc == 0)
        {
            return (NetmapProbeStatus.Available,
                $"netmap is usable: {_devicePath} speaks netmap API {probe.KernelApi}, through the shim at {_shimPath}.");
        }

        int errno = -rc;
        if (probe.Stage == ShimKernelProbeResult.StageOpen)
        {
            return errno switch
            {
                Errno.ENOENT or Errno.ENXIO or Errno.ENODEV => (NetmapProbeStatus.DeviceNotFound,
                    $"{said}. The netmap kernel module is not loaded (or the device path is wrong): load it (Linux: `modprobe netmap` or `insmod netmap.ko` from a netmap build; FreeBSD: `kldload netmap`) "
                    + $"and check that {_devicePath} exists. Without netmap, develop and test on FakeNetmapBackend."),
                Errno.EACCES or Errno.EPERM => PermissionDenied(said),
                _ => (NetmapProbeStatus.NotNetmapDevice,
                    $"{said}. {_devicePath} cannot be opened as a device; point DevicePath (--device) at netmap's control device, {NetmapLoadOptions.DefaultDevicePath}."),
            };
        }

        return errno switch
        {
            Errno.EINVAL => (NetmapProbeStatus.KernelApiMismatch, KernelApiMismatch(said)),
            Errno.EACCES or Errno.EPERM => PermissionDenied(said),
            _ => (NetmapProbeStatus.NotNetmapDevice,
                $"{said}. {_devicePath} is not netmap's control device; point DevicePath (--device) at {NetmapLoadOptions.DefaultDevicePath} (and load the netmap module if it is missing)."),
        };
    }

    private string KernelApiMismatch(string said)
    {
        string library = $"This library speaks netmap API {NetmapConstants.NETMAP_API} (its shim was compiled for API {_shim!.NetmapApi})";
        string fix = $"Install a netmap module that accepts API {NetmapConstants.NETMAP_MIN_API}..{NetmapConstants.NETMAP_MAX_API}, or use a Netmap.Dynamic release made for the kernel's API.";
        return _kernelApi is int kernel
            ? $"{said}. {library}; the kernel speaks API {kernel}. {fix}"
            : $"{said}. {library}; the kernel did not accept any newer version either, so its own is unknown (`dmesg | grep 'API mismatch'` shows it). "
                + $"{fix} If {_devicePath} is not netmap's device at all, point DevicePath (--device) at {NetmapLoadOptions.DefaultDevicePath}.";
    }

    private (NetmapProbeStatus, string) PermissionDenied(string said) => (NetmapProbeStatus.PermissionDenied,
        $"{said}. {_devicePath} is root-only by default (crw-------): run as root, or grant a group access, e.g. a udev rule "
        + "KERNEL==\"netmap\", GROUP=\"netmap\", MODE=\"0660\" and add the user to that group.");

    // ---- bookkeeping ----------------------------------------------------------------------------

    private void Record(string library, string source, string path, bool succeeded, string outcome)
    {
        _attempts.Add(new NetmapLoadAttempt(library, source, path, succeeded, outcome));
        LoaderLog.Attempt(_logger, library, source, path, outcome);
    }

    private NetmapProbeResult Finish(NetmapProbeStatus status, string message)
    {
        NetmapProbeResult result = new()
        {
            Status = status,
            Message = message,
            IsLibraryLoaded = _libraryLoaded,
            Attempts = _attempts.ToArray(),
            ShimPath = _shimPath,
            ShimVersion = _shimVersion,
            Shim = _shim,
            MissingExports = _missing.ToArray(),
            LibcPath = _libcPath,
            Layout = _layout,
            DevicePath = _devicePath,
            DeviceMessage = _deviceMessage,
            DeviceErrno = _deviceErrno,
            KernelApi = _kernelApi,
        };
        if (status == NetmapProbeStatus.Available)
            LoaderLog.Available(_logger, _shimPath ?? "", _shim?.Version ?? 0, _shim?.NetmapApi ?? 0, _shim?.Headers ?? "", _devicePath, _kernelApi ?? 0);
        else
            LoaderLog.Unavailable(_logger, status, message);
        return result;
    }

    private static string Text(byte* message) => NativeText.Message(message, MessageSize);

}
