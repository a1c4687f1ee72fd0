namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// The tests that need a NIC (the host-ring, NIC ring, monitor, offset and multi-slot tests on a
/// NIC) carry this category, so that they can be run alone on each NIC driver: the netmap lab runs
/// them once per NIC pair, naming it with <c>NETMAP_TEST_NIC_PAIR</c> (see <see cref="KernelTestLink"/>).
/// </summary>
internal static class NicTests
{
    public const string Category = "NIC";
}
