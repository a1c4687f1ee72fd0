namespace Netmap.Dynamic.Fake;

/// <summary>A frame a fake NIC transmitted (or sent to its host stack), with the ring it left on.</summary>
/// <param name="Ring">Ring number: hardware TX ring, or host ring number for frames sent to the host stack.</param>
/// <param name="Data">A copy of the frame's bytes.</param>
public sealed record FakeNetmapFrame(int Ring, byte[] Data);
