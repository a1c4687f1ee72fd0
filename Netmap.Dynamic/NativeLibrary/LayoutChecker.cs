using System.Globalization;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic;

/// <summary>Holds the managed layout and ioctl numbers against what the shim was compiled with.</summary>
internal static class LayoutChecker
{
    public static NetmapLayoutCheck Check(NetmapShimDescription shim)
    {
        Dictionary<string, NetmapLayoutEntry> shimRows = new(StringComparer.Ordinal);
        foreach (NetmapLayoutEntry row in shim.Layout)
            shimRows.TryAdd(row.Name, row);

        List<NetmapLayoutMismatch> mismatches = [];
        List<NetmapLayoutEntry> managed = ManagedLayout.Build();
        foreach (NetmapLayoutEntry mine in managed)
        {
            if (!shimRows.TryGetValue(mine.Name, out NetmapLayoutEntry? theirs))
                mismatches.Add(new(mine.Name, Describe(mine), "missing"));
            else if (mine.Offset != theirs.Offset || mine.Size != theirs.Size)
                mismatches.Add(new(mine.Name, Describe(mine), Describe(theirs)));
        }

        (uint ctrl, uint tx, uint rx) = OperatingSystem.IsFreeBSD()
            ? (NetmapIoctl.FreeBsd.NIOCCTRL, NetmapIoctl.FreeBsd.NIOCTXSYNC, NetmapIoctl.FreeBsd.NIOCRXSYNC)
            : (NetmapIoctl.NIOCCTRL, NetmapIoctl.NIOCTXSYNC, NetmapIoctl.NIOCRXSYNC);
        Ioctl(mismatches, nameof(NetmapIoctl.NIOCCTRL), ctrl, shim.NiocCtrl);
        Ioctl(mismatches, nameof(NetmapIoctl.NIOCTXSYNC), tx, shim.NiocTxSync);
        Ioctl(mismatches, nameof(NetmapIoctl.NIOCRXSYNC), rx, shim.NiocRxSync);

        return new NetmapLayoutCheck(true, managed.Count + 3, mismatches);
    }

    private static string Describe(NetmapLayoutEntry e) => e.Field.Length == 0
        ? string.Create(CultureInfo.InvariantCulture, $"size {e.Size}")
        : string.Create(CultureInfo.InvariantCulture, $"offset {e.Offset} size {e.Size}");

    private static void Ioctl(List<NetmapLayoutMismatch> mismatches, string name, uint managed, ulong shim)
    {
        if (managed != shim)
            mismatches.Add(new(name, string.Create(CultureInfo.InvariantCulture, $"0x{managed:x}"), string.Create(CultureInfo.InvariantCulture, $"0x{shim:x}")));
    }
}
