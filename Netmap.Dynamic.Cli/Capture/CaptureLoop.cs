using System.Diagnostics;
using Netmap.Dynamic.Cli.Pcap;
using Netmap.Dynamic.Cli.PktGen;

namespace Netmap.Dynamic.Cli.Capture;

/// <summary>What a capture received and wrote.</summary>
internal readonly record struct CaptureTotals(long Frames, long Bytes, long FirstTimestamp, long LastTimestamp);

/// <summary>
/// The capture's receive loop: the same shape as pkt-gen's receiver (read every bound RX ring in
/// place, advance head, poll when empty), but each frame goes to a <see cref="PcapWriter"/>
/// instead of a checker. One clock read per pass: the frames of one ring pass share the time
/// their poll returned, like the <c>ts</c> netmap stamps on a ring at each sync. No allocation
/// and no system call per frame (the writer buffers).
/// </summary>
internal static class CaptureLoop
{
    public static CaptureTotals Run(NetmapPort port, PcapWriter writer, long count, RunControl control, CaptureCounters counters, UnixClock clock)
    {
        int first = port.FirstRxRing;
        int last = port.LastRxRing;
        long frames = 0;
        long bytes = 0;
        long firstFrame = 0;
        long lastFrame = 0;

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
                uint n = (uint)Math.Min(ring.Space, count - frames - got);
                uint i = ring.Head;
                for (uint k = 0; k < n; k++)
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
                lastFrame = Stopwatch.GetTimestamp();
                if (firstFrame == 0)
                {
                    firstFrame = lastFrame;
                }
                counters.Publish(frames, bytes);
            }
        }
        port.RxSync();   // give the last slots back
        return new CaptureTotals(frames, bytes, firstFrame, lastFrame);
    }
}

/// <summary>The capture's running totals for the rate reporter: one writer (the loop), published once per pass.</summary>
internal sealed class CaptureCounters
{
    private long _frames;
    private long _bytes;

    public long Frames => Volatile.Read(ref _frames);

    public long Bytes => Volatile.Read(ref _bytes);

    public void Publish(long frames, long bytes)
    {
        Volatile.Write(ref _bytes, bytes);
        Volatile.Write(ref _frames, frames);
    }
}
