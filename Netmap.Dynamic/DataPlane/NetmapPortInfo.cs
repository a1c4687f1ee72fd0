namespace Netmap.Dynamic;

/// <summary>
/// What the backend knows about a port without binding it (<c>NETMAP_REQ_PORT_INFO_GET</c>).
/// </summary>
/// <param name="Name">The port name as the kernel knows it.</param>
/// <param name="MemId">The memory allocator (<c>nr_mem_id</c>).</param>
/// <param name="MemorySize">Size of the allocator's shared region in bytes.</param>
/// <param name="TxRings">Hardware TX rings.</param>
/// <param name="RxRings">Hardware RX rings.</param>
/// <param name="HostTxRings">Host TX rings.</param>
/// <param name="HostRxRings">Host RX rings.</param>
/// <param name="TxSlots">Slots per TX ring.</param>
/// <param name="RxSlots">Slots per RX ring.</param>
public sealed record NetmapPortInfo(
    string Name, ushort MemId, long MemorySize,
    int TxRings, int RxRings, int HostTxRings, int HostRxRings,
    int TxSlots, int RxSlots);
