using System.Diagnostics;
using Netmap.Dynamic.Cli.Pcap;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.Replay;

/// <summary>What a replay sent.</summary>
/// <param name="Sent">Frames handed to the port.</param>
/// <param name="Bytes">Their bytes.</param>
/// <param name="Skipped">Frames longer than the port's buffers, not sent.</param>
/// <param name="Passes">Complete passes over the file.</param>
/// <param name="Seconds">From the start to the last frame sent.</param>
internal readonly record struct ReplayTotals(long Sent, long Bytes, long Skipped, long Passes, double Seconds);

/// <summary>
/// The replay's send loop: copies the file's frames straight into the free TX slots of every
/// bound ring, up to a batch per pass and only frames that are due, then one TX sync. When the
/// next frame is not due yet it waits on the clock; when every ring is full it waits in Poll.
/// No allocation and no system call per frame (the reader buffers the file).
/// </summary>
internal static class ReplayLoop
{
    /// <summary>How long a replay that finished sending waits for a NIC to transmit what is still in its TX rings.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Sends the file <paramref name="loops"/> times (0: until stopped) on <paramref name="port"/>, paced by <paramref name="pacer"/> on <paramref name="clock"/>.</summary>
    public static ReplayTotals Run(NetmapPort port, IFrameFileReader reader, ReplayPacer pacer, long loops, int batch,
        RunControl control, TrafficCounters counters, IReplayClock clock)
    {
        int first = port.FirstTxRing;
        int last = port.LastTxRing;
        int bufferSize = port.BufferSize;
        long start = clock.NowNanoseconds;
        long lastSent = start;
        long sent = 0, bytes = 0, skipped = 0, handled = 0, loop = 0;
        bool pending = false;          // `frame` was read and is not sent yet
        bool finished = false;
        ReadOnlySpan<byte> frame = default;
        long due = 0;

        while (!finished && !control.ShouldStop)
        {
            long now = clock.NowNanoseconds - start;
            bool early = false;
            long filled = 0;
            for (int r = first; r < last && filled < batch && !finished && !early; r++)
            {
                NetmapRing ring = port.GetTxRing(r);
                int space = (int)Math.Min(ring.Space, batch - filled);
                int i = ring.Head;
                int n = 0;
                while (n < space)
                {
                    if (!pending)
                    {
                        if (!reader.TryReadFrame(out frame, out long timestamp, out _))
                        {
                            loop++;
                            if ((loops != 0 && loop >= loops) || handled == 0)
                            {
                                finished = true;   // done, or an empty file (nothing to loop)
                                break;
                            }
                            reader.Rewind();
                            continue;
                        }
                        due = pacer.DueAfterStart(timestamp, handled, loop);
                        pending = true;
                    }
                    if (due > now)
                    {
                        early = true;
                        break;
                    }
                    pending = false;
                    handled++;
                    if (frame.Length > bufferSize)
                    {
                        skipped++;
                        continue;
                    }
                    frame.CopyTo(ring.GetBuffer(i));
                    ring[i].Length = (ushort)frame.Length;
                    bytes += frame.Length;
                    i = ring.Next(i);
                    n++;
                }
                ring.Advance(n);
                filled += n;
            }

            if (filled > 0)
            {
                port.TxSync();
                sent += filled;
                lastSent = clock.NowNanoseconds;
                counters.Publish(sent, bytes, Stopwatch.GetTimestamp());
            }
            if (early)
            {
                // Not due yet: wait on the clock, at most one poll slice so Ctrl+C and --duration are seen.
                long slice = (long)RunControl.PollSlice.TotalNanoseconds;
                clock.WaitUntil(start + Math.Min(due, now + slice), control.Cancellation);
            }
            else if (filled == 0 && !finished)
            {
                port.Poll(NetmapPollEvents.Transmit, RunControl.PollSlice);   // every ring is full
            }
        }
        Drain(port, first, last);
        return new ReplayTotals(sent, bytes, skipped, loops == 0 ? loop : Math.Min(loop, loops), (lastSent - start) / 1e9);
    }

    // A NIC sends asynchronously: frames still in the TX rings when the port closes are lost. Sync
    // until they are gone, for at most DrainTimeout (a pipe whose reader stopped never drains).
    private static void Drain(NetmapPort port, int first, int last)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            port.TxSync();
            bool drained = true;
            for (int r = first; r < last; r++)
            {
                NetmapRing ring = port.GetTxRing(r);
                drained &= ring.Space == ring.SlotCount - 1;
            }
            if (drained || Stopwatch.GetTimestamp() >= deadline)
            {
                return;
            }
            Thread.Sleep(1);
        }
    }
}
