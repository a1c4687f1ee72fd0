using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Interop;

/// <summary><c>struct nmreq_vale_polling</c>: body of <c>NETMAP_REQ_VALE_POLLING_ENABLE</c>/<c>_DISABLE</c>.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct nmreq_vale_polling
{
    /// <summary>Polling mode (one CPU per ring, or per port).</summary>
    [FieldOffset(0)] public uint nr_mode;
    /// <summary>First CPU to poll on.</summary>
    [FieldOffset(4)] public uint nr_first_cpu_id;
    /// <summary>Number of polling CPUs.</summary>
    [FieldOffset(8)] public uint nr_num_polling_cpus;
    /// <summary>Padding.</summary>
    [FieldOffset(12)] public uint pad1;
}
