using System.Globalization;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// Where the tests that open persistent VALE ports attach them. On Linux 6.1 a persistent port that
/// was opened (through its switch or by its own name) stays attached once closed, listed under its
/// bare name: it can be neither detached (ENXIO) nor deleted (EBUSY) until the module is unloaded.
/// Each such port keeps its switch alive, and the kernel has 8 switches, so these tests share one
/// switch per test run instead of leaking one switch each.
/// </summary>
internal static class PersistentPorts
{
    /// <summary>The switch of this run's persistent ports.</summary>
    public static string Switch { get; } = "vale_q" + Random.Shared.Next(0, 36 * 36 * 36).ToString("x3", CultureInfo.InvariantCulture);
}
