using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Native;

/// <summary>
/// The shim's exports (shim/include/nmshim.h), resolved once per load. Field names are the
/// export names (<c>nameof</c>), so a field and its export cannot drift apart.
/// </summary>
internal unsafe struct ShimFunctions
{
    /// <summary>The shim C API version this library is built for (<c>NMSHIM_API_VERSION</c>).</summary>
    public const int ApiVersion = 3;

    /// <summary>File name the build ships and the loader looks for in directories.</summary>
    public const string FileName = "libnetmap_shim.so";

    /// <summary>The versioned soname, tried first by the system loader.</summary>
    public const string SoName = "libnetmap_shim.so.1";

#pragma warning disable IDE1006 // C export names on purpose.
    public delegate* unmanaged<int> nmshim_version;
    public delegate* unmanaged<ShimDescription*, ShimLayoutEntry*, uint, uint*, byte*, uint, int> nmshim_describe;
    public delegate* unmanaged<byte*, ShimKernelProbeResult*, byte*, uint, int> nmshim_kernel_probe;
    public delegate* unmanaged<int> nmshim_noop;
    public delegate* unmanaged<byte*, ShimPortRequest*, ShimPortReply*, int*, byte*, uint, int> nmshim_port_open;
    public delegate* unmanaged<byte*, ShimPortRequest*, ShimPortOptions*, ShimPortReply*, int*, byte*, uint, int> nmshim_port_open_opt;
    public delegate* unmanaged<int, ulong, ulong*, byte*, uint, int> nmshim_port_mmap;
    public delegate* unmanaged<int, ulong, ulong, byte*, uint, int> nmshim_port_close;
    public delegate* unmanaged<byte*, byte*, ushort, ShimPortReply*, int*, byte*, uint, int> nmshim_port_info;
    public delegate* unmanaged<byte*, ShimPortRequest*, uint*, int*, byte*, uint, int> nmshim_vale_attach;
    public delegate* unmanaged<byte*, byte*, uint*, int*, byte*, uint, int> nmshim_vale_detach;
    public delegate* unmanaged<byte*, ShimPortRequest*, ushort*, int*, byte*, uint, int> nmshim_vale_newif;
    public delegate* unmanaged<byte*, byte*, int*, byte*, uint, int> nmshim_vale_delif;
    public delegate* unmanaged<byte*, byte*, ushort*, uint*, int*, byte*, uint, int> nmshim_vale_list;
    public delegate* unmanaged<byte*, byte*, uint*, int*, byte*, uint, int> nmshim_port_hdr_get;
    public delegate* unmanaged<byte*, byte*, uint, int*, byte*, uint, int> nmshim_port_hdr_set;
    public delegate* unmanaged<byte*, byte*, ushort, ShimPoolsReply*, int*, byte*, uint, int> nmshim_pools_info;
    public delegate* unmanaged<byte*, byte*, uint, uint, uint, uint, int*, byte*, uint, int> nmshim_vale_polling;
#pragma warning restore IDE1006

    /// <summary>Resolves every export; adds the name of each missing one to <paramref name="missing"/>.</summary>
    public static ShimFunctions Resolve(nint handle, List<string> missing)
    {
        ShimFunctions f = default;
        f.nmshim_version = (delegate* unmanaged<int>)Export(handle, nameof(nmshim_version), missing);
        f.nmshim_describe = (delegate* unmanaged<ShimDescription*, ShimLayoutEntry*, uint, uint*, byte*, uint, int>)Export(handle, nameof(nmshim_describe), missing);
        f.nmshim_kernel_probe = (delegate* unmanaged<byte*, ShimKernelProbeResult*, byte*, uint, int>)Export(handle, nameof(nmshim_kernel_probe), missing);
        f.nmshim_noop = (delegate* unmanaged<int>)Export(handle, nameof(nmshim_noop), missing);
        f.nmshim_port_open = (delegate* unmanaged<byte*, ShimPortRequest*, ShimPortReply*, int*, byte*, uint, int>)Export(handle, nameof(nmshim_port_open), missing);
        f.nmshim_port_open_opt = (delegate* unmanaged<byte*, ShimPortRequest*, ShimPortOptions*, ShimPortReply*, int*, byte*, uint, int>)Export(handle, nameof(nmshim_port_open_opt), missing);
        f.nmshim_port_mmap = (delegate* unmanaged<int, ulong, ulong*, byte*, uint, int>)Export(handle, nameof(nmshim_port_mmap), missing);
        f.nmshim_port_close = (delegate* unmanaged<int, ulong, ulong, byte*, uint, int>)Export(handle, nameof(nmshim_port_close), missing);
        f.nmshim_port_info = (delegate* unmanaged<byte*, byte*, ushort, ShimPortReply*, int*, byte*, uint, int>)Export(handle, nameof(nmshim_port_info), missing);
        f.nmshim_vale_attach = (delegate* unmanaged<byte*, ShimPortRequest*, uint*, int*, byte*, uint, int>)Export(handle, nameof(nmshim_vale_attach), missing);
        f.nmshim_vale_detach = (delegate* unmanaged<byte*, byte*, uint*, int*, byte*, uint, int>)Export(handle, nameof(nmshim_vale_detach), missing);
        f.nmshim_vale_newif = (delegate* unmanaged<byte*, ShimPortRequest*, ushort*, int*, byte*, uint, int>)Export(handle, nameof(nmshim_vale_newif), missing);
        f.nmshim_vale_delif = (delegate* unmanaged<byte*, byte*, int*, byte*, uint, int>)Export(handle, nameof(nmshim_vale_delif), missing);
        f.nmshim_vale_list = (delegate* unmanaged<byte*, byte*, ushort*, uint*, int*, byte*, uint, int>)Export(handle, nameof(nmshim_vale_list), missing);
        f.nmshim_port_hdr_get = (delegate* unmanaged<byte*, byte*, uint*, int*, byte*, uint, int>)Export(handle, nameof(nmshim_port_hdr_get), missing);
        f.nmshim_port_hdr_set = (delegate* unmanaged<byte*, byte*, uint, int*, byte*, uint, int>)Export(handle, nameof(nmshim_port_hdr_set), missing);
        f.nmshim_pools_info = (delegate* unmanaged<byte*, byte*, ushort, ShimPoolsReply*, int*, byte*, uint, int>)Export(handle, nameof(nmshim_pools_info), missing);
        f.nmshim_vale_polling = (delegate* unmanaged<byte*, byte*, uint, uint, uint, uint, int*, byte*, uint, int>)Export(handle, nameof(nmshim_vale_polling), missing);
        return f;
    }

    private static nint Export(nint handle, string name, List<string> missing) => DynamicLinker.Export(handle, name, missing);
}
