using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Native;

/// <summary>
/// The shim's exports (shim/include/nmshim.h), resolved once per load. Field names are the
/// export names (<c>nameof</c>), so a field and its export cannot drift apart.
/// </summary>
internal unsafe struct ShimFunctions
{
    /// <summary>The shim C API version this library is built for (<c>NMSHIM_API_VERSION</c>).</summary>
    public const int ApiVersion = 1;

    /// <summary>File name the build ships and the loader looks for in directories.</summary>
    public const string FileName = "libnetmap_shim.so";

    /// <summary>The versioned soname, tried first by the system loader.</summary>
    public const string SoName = "libnetmap_shim.so.1";

#pragma warning disable IDE1006 // C export names on purpose.
    public delegate* unmanaged<int> nmshim_version;
    public delegate* unmanaged<ShimDescription*, ShimLayoutEntry*, uint, uint*, byte*, uint, int> nmshim_describe;
    public delegate* unmanaged<byte*, ShimKernelProbeResult*, byte*, uint, int> nmshim_kernel_probe;
#pragma warning restore IDE1006

    /// <summary>Resolves every export; adds the name of each missing one to <paramref name="missing"/>.</summary>
    public static ShimFunctions Resolve(nint handle, List<string> missing)
    {
        ShimFunctions f = default;
        f.nmshim_version = (delegate* unmanaged<int>)Export(handle, nameof(nmshim_version), missing);
        f.nmshim_describe = (delegate* unmanaged<ShimDescription*, ShimLayoutEntry*, uint, uint*, byte*, uint, int>)Export(handle, nameof(nmshim_describe), missing);
        f.nmshim_kernel_probe = (delegate* unmanaged<byte*, ShimKernelProbeResult*, byte*, uint, int>)Export(handle, nameof(nmshim_kernel_probe), missing);
        return f;
    }

    private static nint Export(nint handle, string name, List<string> missing)
    {
        if (NativeLibrary.TryGetExport(handle, name, out nint address))
            return address;
        missing.Add(name);
        return 0;
    }
}
