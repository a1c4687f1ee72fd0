
namespace Netmap.Dynamic.Fake;

/// <summary>
/// What a fake NIC shows the system beyond its rings (set through <see cref="FakeNetmapInterface"/>,
/// read by <see cref="NetmapDoctor"/>). Plain values: a test sets them before it examines.
/// </summary>
internal sealed class FakeNicLink
{
    public int Mtu { get; set; } = 1500;
    public bool Up { get; set; } = true;
    public bool Promiscuous { get; set; }
    public NetmapOffloads Offloads { get; set; }
    public bool NativeDriver { get; set; } = true;
}
