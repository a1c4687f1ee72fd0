namespace Netmap.Dynamic;

/// <summary>
/// How kernel threads poll a NIC attached to a VALE switch (<c>NETMAP_POLLING_MODE_*</c>), for
/// <see cref="NetmapLibrary.ValeEnablePolling"/> (<c>vale-ctl -C</c>).
/// </summary>
public enum NetmapValePollingMode
{
    /// <summary>One kernel thread, on the given CPU, polls every RX ring of the NIC (<c>NETMAP_POLLING_MODE_SINGLE_CPU</c>).</summary>
    SingleCpu = 1,

    /// <summary>One kernel thread per ring: ring <c>i</c> of <c>[first, first + count)</c> polled on CPU <c>i</c> (<c>NETMAP_POLLING_MODE_MULTI_CPU</c>).</summary>
    MultiCpu = 2,
}
