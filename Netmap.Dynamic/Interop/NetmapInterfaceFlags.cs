namespace Netmap.Dynamic.Interop;

/// <summary><c>NI_*</c>: flags of <see cref="netmap_if.ni_flags"/>.</summary>
[Flags]
public enum NetmapInterfaceFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>The port uses a private memory region.</summary>
    NI_PRIV_MEM = 0x1,
}
