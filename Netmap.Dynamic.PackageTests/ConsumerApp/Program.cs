// The packed-package consumer: probes netmap with the package's defaults and prints what it saw.
using Netmap.Dynamic;

NetmapLibrary.TryLoad(out NetmapLibrary? netmap, out NetmapProbeResult probe);
netmap?.Dispose();
Console.WriteLine(ProbeSummary.Describe(probe));
Console.WriteLine($"shimPath={probe.ShimPath}");
return 0;
