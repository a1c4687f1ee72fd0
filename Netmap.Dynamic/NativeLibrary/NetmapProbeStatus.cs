namespace Netmap.Dynamic;

/// <summary>
/// The verdict of a probe: whether netmap is usable here and, if not, the first thing in the
/// way. The checks run in this order: platform, shim, libc, device. See docs/probing.md.
/// </summary>
public enum NetmapProbeStatus
{
    /// <summary>The shim and libc loaded, the layouts agree, and the device speaks our netmap API.</summary>
    Available,
    /// <summary>The OS or process architecture cannot run netmap (netmap is Linux/FreeBSD, 64-bit).</summary>
    UnsupportedPlatform,
    /// <summary>No <c>libnetmap_shim.so</c> could be loaded from any place searched.</summary>
    ShimNotFound,
    /// <summary>A shim loaded but does not fit this library: missing exports, another C API version, another struct layout or ioctl number.</summary>
    ShimIncompatible,
    /// <summary>libc could not be loaded or lacks a function the data plane needs.</summary>
    LibcNotFound,
    /// <summary>The control device (<c>/dev/netmap</c>) does not exist: the netmap module is not loaded.</summary>
    DeviceNotFound,
    /// <summary>The device exists but is not netmap (it does not understand netmap's requests).</summary>
    NotNetmapDevice,
    /// <summary>The device exists but this user may not open it.</summary>
    PermissionDenied,
    /// <summary>The device is netmap but its kernel rejects the netmap API version this library speaks.</summary>
    KernelApiMismatch,
}
