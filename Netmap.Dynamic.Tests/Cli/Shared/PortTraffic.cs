using System.Diagnostics;

namespace Netmap.Dynamic.Tests.Cli.Shared;

/// <summary>
/// Drives test traffic through a tool running on another thread: sends frames on one port and
/// receives them on another, interleaved on the calling thread so neither side's ring can fill
/// up for good. Waits only in Poll (woken by the data), bounded by a guard that fails the test.
/// </summary>
internal static class PortTraffic
{
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    /// <summary>Sends <paramref name="count"/> frames made by <paramref name="frame"/> on <paramref name="sender"/> and
    /// hands each one that arrives on <paramref name="receiver"/> to <paramref name="received"/>; returns the number received.</summary>
    public static long Exchange(NetmapPort sender, NetmapPort receiver, long count, Func<long, byte[]> frame, Action<long, ReadOnlySpan<byte>>? received = null)
    {
        long sent = 0, got = 0;
        long deadline = Stopwatch.GetTimestamp() + (long)(Guard.TotalSeconds * Stopwatch.Frequency);
        NetmapRing tx = sender.GetTxRing(sender.FirstTxRing);
        while (got < count)
        {
            bool progress = false;
            while (sent < count && tx.TryWrite(frame(sent)))
            {
                sent++;
                progress = true;
            }
            sender.TxSync();
            receiver.RxSync();
            for (int r = receiver.FirstRxRing; r < receiver.LastRxRing; r++)
            {
                NetmapRing rx = receiver.GetRxRing(r);
                while (rx.TryRead(out ReadOnlySpan<byte> bytes))
                {
                    received?.Invoke(got, bytes);
                    got++;
                    progress = true;
                }
            }
            if (!progress)
            {
                if (Stopwatch.GetTimestamp() > deadline)
                    Assert.Fail($"traffic stalled: sent {sent}, received {got} of {count} within {Guard.TotalSeconds} s");
                receiver.Poll(NetmapPollEvents.Receive, TimeSpan.FromMilliseconds(20));
            }
        }
        receiver.RxSync();
        return got;
    }

    /// <summary>Receives exactly <paramref name="count"/> frames on <paramref name="receiver"/> (someone else sends).</summary>
    public static void Receive(NetmapPort receiver, long count, Action<long, ReadOnlySpan<byte>> received)
    {
        long got = 0;
        long deadline = Stopwatch.GetTimestamp() + (long)(Guard.TotalSeconds * Stopwatch.Frequency);
        while (got < count)
        {
            receiver.Poll(NetmapPollEvents.Receive, TimeSpan.FromMilliseconds(20));
            for (int r = receiver.FirstRxRing; r < receiver.LastRxRing; r++)
            {
                NetmapRing rx = receiver.GetRxRing(r);
                while (got < count && rx.TryRead(out ReadOnlySpan<byte> bytes))
                {
                    received(got, bytes);
                    got++;
                }
            }
            if (Stopwatch.GetTimestamp() > deadline)
                Assert.Fail($"receive stalled: {got} of {count} frames within {Guard.TotalSeconds} s");
        }
        receiver.RxSync();
    }
}
