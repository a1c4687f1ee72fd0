namespace Netmap.Dynamic.Interop;

/// <summary><c>NETMAP_REQ_*</c>: request types of <see cref="nmreq_header.nr_reqtype"/>.</summary>
public enum NetmapRequestType : ushort
{
    /// <summary>Bind the file descriptor to a port (<see cref="nmreq_register"/>).</summary>
    NETMAP_REQ_REGISTER = 1,
    /// <summary>Read a port's counts and region size (<see cref="nmreq_port_info_get"/>).</summary>
    NETMAP_REQ_PORT_INFO_GET = 2,
    /// <summary>Attach a port to a VALE switch (<see cref="nmreq_vale_attach"/>).</summary>
    NETMAP_REQ_VALE_ATTACH = 3,
    /// <summary>Detach a port from a VALE switch (<see cref="nmreq_vale_detach"/>).</summary>
    NETMAP_REQ_VALE_DETACH = 4,
    /// <summary>List VALE switches and ports (<see cref="nmreq_vale_list"/>).</summary>
    NETMAP_REQ_VALE_LIST = 5,
    /// <summary>Set the virtio-net header length (<see cref="nmreq_port_hdr"/>).</summary>
    NETMAP_REQ_PORT_HDR_SET = 6,
    /// <summary>Get the virtio-net header length (<see cref="nmreq_port_hdr"/>).</summary>
    NETMAP_REQ_PORT_HDR_GET = 7,
    /// <summary>Create a persistent VALE interface (<see cref="nmreq_vale_newif"/>).</summary>
    NETMAP_REQ_VALE_NEWIF = 8,
    /// <summary>Delete a persistent VALE interface.</summary>
    NETMAP_REQ_VALE_DELIF = 9,
    /// <summary>Start kernel polling threads on a VALE port (<see cref="nmreq_vale_polling"/>).</summary>
    NETMAP_REQ_VALE_POLLING_ENABLE = 10,
    /// <summary>Stop kernel polling threads on a VALE port.</summary>
    NETMAP_REQ_VALE_POLLING_DISABLE = 11,
    /// <summary>Read the layout of a memory region (<see cref="nmreq_pools_info"/>).</summary>
    NETMAP_REQ_POOLS_INFO_GET = 12,
    /// <summary>Start a kernel sync loop.</summary>
    NETMAP_REQ_SYNC_KLOOP_START = 13,
    /// <summary>Stop a kernel sync loop.</summary>
    NETMAP_REQ_SYNC_KLOOP_STOP = 14,
    /// <summary>Enable the control/status block.</summary>
    NETMAP_REQ_CSB_ENABLE = 15,
}
