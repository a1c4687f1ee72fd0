using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Interop;

/// <summary><c>struct nmreq_port_hdr</c>: body of <c>NETMAP_REQ_PORT_HDR_SET</c>/<c>_GET</c> (virtio-net header length).</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct nmreq_port_hdr
{
    /// <summary>Header length in bytes (0, 10 or 12).</summary>
    [FieldOffset(0)] public uint nr_hdr_len;
    /// <summary>Padding.</summary>
    [FieldOffset(4)] public uint pad1;
}
