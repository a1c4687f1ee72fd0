using Netmap.Dynamic;

/// <summary>
/// What a probe saw, without what differs by where and how the shim was built: its path, and
/// whether it was compiled against the host's netmap headers (an in-tree build on a host that has
/// them) or the bundled ones (every packaged shim). Compiled into the consumer app and into the
/// package tests, which compare the two.
/// </summary>
internal static class ProbeSummary
{
    public static string Describe(NetmapProbeResult probe) => string.Join('\n',
        $"status={probe.Status}",
        $"libraryLoaded={probe.IsLibraryLoaded}",
        $"shimVersion={probe.ShimVersion}",
        $"shimNetmapApi={probe.Shim?.NetmapApi} ({probe.Shim?.NetmapMinApi}..{probe.Shim?.NetmapMaxApi})",
        $"ioctls={probe.Shim?.NiocCtrl:x} {probe.Shim?.NiocTxSync:x} {probe.Shim?.NiocRxSync:x}",
        $"missingExports={string.Join(',', probe.MissingExports)}",
        $"layout=checked {probe.Layout.Checked}, {probe.Layout.ItemsCompared} items, {probe.Layout.Mismatches.Count} mismatches",
        $"device={probe.DevicePath} errno {probe.DeviceErrno}",
        $"kernelApi={probe.KernelApi}",
        $"libraryApi={probe.LibraryNetmapApi}",
        $"platform={probe.RuntimeIdentifier} {probe.ProcessArchitecture}");
}
