namespace Netmap.Dynamic.Interop;

/// <summary>Scalar constants of <c>netmap.h</c> that are neither flags nor request codes.</summary>
public static class NetmapConstants
{
    /// <summary>The API version this library speaks.</summary>
    public const int NETMAP_API = 14;
    /// <summary>Oldest API version a kernel of ours accepts.</summary>
    public const int NETMAP_MIN_API = 14;
    /// <summary>Newest API version a kernel of ours accepts.</summary>
    public const int NETMAP_MAX_API = 15;
    /// <summary>Size of <c>netmap_if.ni_name</c>.</summary>
    public const int IFNAMSIZ = 16;
    /// <summary>Size of <c>nmreq_header.nr_name</c>.</summary>
    public const int NETMAP_REQ_IFNAMSIZ = 64;
    /// <summary>Largest request body plus options the kernel copies in.</summary>
    public const int NETMAP_REQ_MAXSIZE = 4096;
    /// <summary>Alignment of rings in the shared region.</summary>
    public const int NM_CACHE_ALIGN = 128;
    /// <summary>Shift of the destination port / fragment count in <c>netmap_slot.flags</c>.</summary>
    public const int NS_PORT_SHIFT = 8;
    /// <summary>Mask of the destination port / fragment count in <c>netmap_slot.flags</c>.</summary>
    public const int NS_PORT_MASK = 0xff << NS_PORT_SHIFT;
    /// <summary>Most fragments one packet may span (<c>NS_MOREFRAG</c> chains).</summary>
    public const int NETMAP_MAX_FRAGS = 64;

    // Legacy ring-id encoding (API before 14, still in the header for old programs).

    /// <summary>Legacy: ring index mask in <c>nr_ringid</c>.</summary>
    public const int NETMAP_RING_MASK = 0x0fff;
    /// <summary>Legacy: host ring selector in <c>nr_ringid</c>.</summary>
    public const int NETMAP_SW_RING = 0x2000;
    /// <summary>Legacy: no TX sync on poll, in <c>nr_ringid</c>.</summary>
    public const int NETMAP_NO_TX_POLL = 0x1000;
    /// <summary>Legacy: RX sync on poll, in <c>nr_ringid</c>.</summary>
    public const int NETMAP_DO_RX_POLL = 0x8000;
    /// <summary>Legacy VALE command: attach.</summary>
    public const int NETMAP_BDG_ATTACH = 1;
}
