using BenchmarkDotNet.Attributes;

namespace Netmap.Dynamic.Benchmarks;

/// <summary>A full probe on this host (no netmap: it ends at DeviceNotFound): time and bytes allocated.</summary>
[MemoryDiagnoser]
public class TryLoadBenchmarks
{
    [Benchmark]
    public NetmapProbeResult TryLoad()
    {
        NetmapLibrary.TryLoad(out NetmapLibrary? library, out NetmapProbeResult result);
        library?.Dispose();
        return result;
    }
}
