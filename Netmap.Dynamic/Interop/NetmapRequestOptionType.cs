namespace Netmap.Dynamic.Interop;

/// <summary><c>NETMAP_REQ_OPT_*</c>: option types of <see cref="nmreq_option.nro_reqtype"/>.</summary>
public enum NetmapRequestOptionType : uint
{
    /// <summary>User memory as the region (<see cref="nmreq_opt_extmem"/>).</summary>
    NETMAP_REQ_OPT_EXTMEM = 1,
    /// <summary>Eventfds for a kernel sync loop.</summary>
    NETMAP_REQ_OPT_SYNC_KLOOP_EVENTFDS = 2,
    /// <summary>Control/status block.</summary>
    NETMAP_REQ_OPT_CSB = 3,
    /// <summary>Mode of a kernel sync loop.</summary>
    NETMAP_REQ_OPT_SYNC_KLOOP_MODE = 4,
    /// <summary>Per-slot buffer offsets (<see cref="nmreq_opt_offsets"/>).</summary>
    NETMAP_REQ_OPT_OFFSETS = 5,
    /// <summary>One past the last option type.</summary>
    NETMAP_REQ_OPT_MAX = 6,
}
