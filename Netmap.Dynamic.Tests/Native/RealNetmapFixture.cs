using System.Globalization;

namespace Netmap.Dynamic.Tests.Native;

/// <summary>
/// Base of the tests that exist only on the real kernel (VALE control requests, leak counts,
/// killed processes): category <c>RealNetmap</c>, ignored with the probe's message where netmap is
/// not available. Names carry a per-run suffix so runs never meet each other's ports.
/// </summary>
[Category("RealNetmap")]
[NonParallelizable]
public abstract class RealNetmapFixture
{
    private static int s_counter;

    /// <summary>A time bound for waits that should succeed at once.</summary>
    protected static TimeSpan Guard { get; } = TimeSpan.FromSeconds(20);

    /// <summary>The native library, loaded once per fixture.</summary>
    protected NetmapLibrary Library { get; private set; } = null!;

    /// <summary>Digits unique to this run, for port, switch and interface names.</summary>
    protected string Id { get; private set; } = "";

    [OneTimeSetUp]
    public void RequireNetmap()
    {
        if (!NetmapLibrary.TryLoad(out NetmapLibrary? library, out NetmapProbeResult result))
            Assert.Ignore($"netmap is not available here ({result.Status}): {result.Message}");
        Library = library;
        Id = Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
    }

    [OneTimeTearDown]
    public void Release() => Library?.Dispose();

    /// <summary>A name unique to this run and call: <paramref name="prefix"/> + digits.</summary>
    protected string Unique(string prefix) =>
        prefix + Id + Interlocked.Increment(ref s_counter).ToString(CultureInfo.InvariantCulture);
}
