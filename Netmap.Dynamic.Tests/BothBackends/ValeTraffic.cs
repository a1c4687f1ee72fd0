using static Netmap.Dynamic.Tests.BothBackends.KernelFrames;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// Sending and counting frames on VALE ports for the switch's rules. What a port received is read
/// and released at once, so each count sees only what arrived since the last one.
/// </summary>
internal static class ValeTraffic
{
    /// <summary>Writes <paramref name="frame"/> on TX ring <paramref name="ring"/> (no sync).</summary>
    public static void Write(NetmapPort port, int ring, byte[] frame) =>
        Assert.That(port.GetTxRing(ring).TryWrite(frame), Is.True);

    /// <summary>Writes <paramref name="frame"/> on TX ring <paramref name="ring"/> and syncs: the switch forwards it.</summary>
    public static void Send(NetmapPort port, int ring, byte[] frame)
    {
        Write(port, ring, frame);
        port.TxSync();
    }

    /// <summary>Frames received on each RX ring of <paramref name="port"/> (0 for rings it does not bind).</summary>
    public static int[] PerRing(NetmapPort port)
    {
        port.RxSync();
        int[] counts = new int[port.RxRingCount];
        for (int r = port.FirstRxRing; r < Math.Min(port.LastRxRing, counts.Length); r++)
        {
            NetmapRing rx = port.GetRxRing(r);
            counts[r] = (int)rx.Space;
            rx.Advance(rx.Space);
        }
        port.RxSync();
        return counts;
    }

    /// <summary>Frames received by <paramref name="port"/> on all its rings.</summary>
    public static int Count(NetmapPort port) => PerRing(port).Sum();

    /// <summary>Frames received by each port, on all its rings.</summary>
    public static int[] Counts(params NetmapPort[] ports) => [.. ports.Select(Count)];

    /// <summary>The tags (<see cref="KernelFrames.TagOf"/>) of the frames waiting on RX ring <paramref name="ring"/>.</summary>
    public static int[] Tags(NetmapPort port, int ring)
    {
        port.RxSync();
        NetmapRing rx = port.GetRxRing(ring);
        var tags = new List<int>();
        while (rx.TryRead(out ReadOnlySpan<byte> frame)) tags.Add(TagOf(frame));
        port.RxSync();
        return [.. tags];
    }
}
