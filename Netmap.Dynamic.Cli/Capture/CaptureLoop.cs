using System.Diagnostics;
using Netmap.Dynamic.Cli.Pcap;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.Capture;

/// <summary>
/// The capture's receive loop: the same shape as pkt-gen's receiver (read every bound RX ring in
/// place, advance head, poll when empty), but each frame goes to a <see cref="PcapWriter"/>
/// instead of a checker. One clock read per pass: the frames of one ring pass share the time
/// their poll returned, like the <c>ts</c> netmap stamps on a ring at each sync. No allocation
/// and no system call per frame (the writer buffers).
/// </summary>
internal static class CaptureLoop
{
    /// <summary>Captures until <paramref name="count"/> frames arrived or the run is stopped; returns the frames written.</summary>
    public static long Run(NetmapPort port, PcapWriter writer, long count, RunControl control, TrafficCounters counters, UnixClock clock)
    {
        int first = port.FirstRxRing;
        int last = port.LastRxRing;
        long frames = 0;
        long bytes = 0;

        while (frames < count && !control.ShouldStop)
        {
            if (!port.Poll(NetmapPollEvents.Receive, RunControl.PollSlice).HasFlag(NetmapPollEvents.Receive))
            {
                continue;   // nothing within the slice: look at the stop conditions again
            }
            long now = clock.NowUnixNanoseconds;
            long got = 0;
            for (int r = first; r < last && frames + got < count; r++)
            {
                NetmapRing ring = port.GetRxRing(r);
                int n = (int)Math.Min(ring.Space, count - frames - got);
                int i = ring.Head;
                for (int k = 0; k < n; k++)
                {
                    ReadOnlySpan<byte> frame = ring.GetPacket(i);
                    writer.WriteFrame(frame, now);
                    bytes += frame.Length;
                    i = ring.Next(i);
                }
                ring.Advance(n);
                got += n;
            }
            if (got > 0)
            {
                frames += got;
                counters.Publish(frames, bytes, Stopwatch.GetTimestamp());
            }
        }
        port.RxSync();   // give the last slots back
        return frames;
    }
}
