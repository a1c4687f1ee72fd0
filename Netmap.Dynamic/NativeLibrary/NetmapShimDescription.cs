namespace Netmap.Dynamic;

/// <summary>What a loaded shim says about itself (<c>nmshim_describe</c>).</summary>
public sealed class NetmapShimDescription
{
    internal NetmapShimDescription(string path, int version, int netmapApi, int netmapMinApi, int netmapMaxApi, bool systemHeaders,
        ulong niocCtrl, ulong niocTxSync, ulong niocRxSync, IReadOnlyList<NetmapLayoutEntry> layout)
    {
        Path = path;
        Version = version;
        NetmapApi = netmapApi;
        NetmapMinApi = netmapMinApi;
        NetmapMaxApi = netmapMaxApi;
        SystemHeaders = systemHeaders;
        NiocCtrl = niocCtrl;
        NiocTxSync = niocTxSync;
        NiocRxSync = niocRxSync;
        Layout = layout;
    }

    /// <summary>Where the shim was loaded from.</summary>
    public string Path { get; }
    /// <summary>The shim's own C API version.</summary>
    public int Version { get; }
    /// <summary><c>NETMAP_API</c> of the headers the shim was compiled against.</summary>
    public int NetmapApi { get; }
    /// <summary><c>NETMAP_MIN_API</c> of those headers.</summary>
    public int NetmapMinApi { get; }
    /// <summary><c>NETMAP_MAX_API</c> of those headers.</summary>
    public int NetmapMaxApi { get; }
    /// <summary>True when compiled against the host's <c>net/netmap.h</c>, false for the bundled header.</summary>
    public bool SystemHeaders { get; }
    /// <summary><c>"system"</c> or <c>"bundled"</c>.</summary>
    public string Headers => SystemHeaders ? "system" : "bundled";
    /// <summary><c>NIOCCTRL</c> as the shim was compiled.</summary>
    public ulong NiocCtrl { get; }
    /// <summary><c>NIOCTXSYNC</c> as the shim was compiled.</summary>
    public ulong NiocTxSync { get; }
    /// <summary><c>NIOCRXSYNC</c> as the shim was compiled.</summary>
    public ulong NiocRxSync { get; }
    /// <summary>The shim's table of struct sizes and field offsets.</summary>
    public IReadOnlyList<NetmapLayoutEntry> Layout { get; }
}

/// <summary>One row of a layout table: a struct's size (<see cref="Field"/> empty) or a field's offset and size (0 for a C flexible array).</summary>
public sealed record NetmapLayoutEntry(string Struct, string Field, int Offset, int Size)
{
    /// <summary><c>struct</c> or <c>struct.field</c>.</summary>
    public string Name => Field.Length == 0 ? Struct : $"{Struct}.{Field}";
}

/// <summary>Something the managed declarations and the shim disagree on.</summary>
/// <param name="Item">The struct, field or ioctl (<c>"netmap_ring.head"</c>, <c>"NIOCCTRL"</c>).</param>
/// <param name="Managed">What this library declares.</param>
/// <param name="Shim">What the shim was compiled with (<c>"missing"</c> when it does not report the item).</param>
public sealed record NetmapLayoutMismatch(string Item, string Managed, string Shim)
{
    /// <summary>One line: <c>item: managed ..., shim ...</c>.</summary>
    public override string ToString() => $"{Item}: managed {Managed}, shim {Shim}";
}

/// <summary>The result of holding the managed structs and ioctl numbers against the shim's table.</summary>
public sealed class NetmapLayoutCheck
{
    internal static readonly NetmapLayoutCheck NotChecked = new(false, 0, []);

    internal NetmapLayoutCheck(bool isChecked, int itemsCompared, IReadOnlyList<NetmapLayoutMismatch> mismatches)
    {
        Checked = isChecked;
        ItemsCompared = itemsCompared;
        Mismatches = mismatches;
    }

    /// <summary>Whether a check ran (it needs a loaded shim).</summary>
    public bool Checked { get; }
    /// <summary>How many sizes, offsets and ioctl numbers were compared.</summary>
    public int ItemsCompared { get; }
    /// <summary>Every disagreement; empty when the layouts match.</summary>
    public IReadOnlyList<NetmapLayoutMismatch> Mismatches { get; }
    /// <summary>Checked and no mismatch.</summary>
    public bool Matches => Checked && Mismatches.Count == 0;
}
