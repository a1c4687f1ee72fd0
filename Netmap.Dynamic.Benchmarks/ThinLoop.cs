using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Benchmarks;

/// <summary>
/// The thinnest loop over the library, the yardstick of the VM benchmark (scripts/vm-bench.sh):
/// TX writes each buffer once and afterwards only sets <c>len</c>, with one TX sync per ring
/// fill; RX only releases what arrives (one RX sync per pass). That is the least work a netmap
/// program can do per frame, and about what netmap's C pkt-gen does by default.
/// Usage: <c>Netmap.Dynamic.Benchmarks thin tx|rx PORT FRAMES [--idle SECONDS] [--fake]</c>;
/// prints one JSON object: frames, seconds, mpps. rx stops after FRAMES frames or, once frames
/// came, after SECONDS (default 1) with none; --fake runs on the in-memory backend (a smoke test).
/// </summary>
internal static class ThinLoop
{
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(100);

    public static int Run(string[] args)
    {
        if (args.Length < 3 || args[0] is not ("tx" or "rx") || !long.TryParse(args[2], CultureInfo.InvariantCulture, out long frames) || frames < 1)
        {
            Console.Error.WriteLine("usage: Netmap.Dynamic.Benchmarks thin tx|rx PORT FRAMES [--idle SECONDS] [--fake]");
            return 2;
        }
        double idleSeconds = 1;
        int idleAt = Array.IndexOf(args, "--idle");
        if (idleAt > 0 && (idleAt + 1 >= args.Length || !double.TryParse(args[idleAt + 1], CultureInfo.InvariantCulture, out idleSeconds)))
        {
            Console.Error.WriteLine("--idle needs a number of seconds");
            return 2;
        }
        // Compile the loops before the port exists (see the CLI's LoopWarmUp): no JIT in the timed
        // run, and a registered port means a receiver that is ready to take frames.
        RuntimeHelpers.PrepareMethod(typeof(ThinLoop).GetMethod(nameof(Transmit), BindingFlags.Static | BindingFlags.NonPublic)!.MethodHandle);
        RuntimeHelpers.PrepareMethod(typeof(ThinLoop).GetMethod(nameof(Receive), BindingFlags.Static | BindingFlags.NonPublic)!.MethodHandle);
        using INetmapBackend backend = args.Contains("--fake") ? new FakeNetmapBackend() : NetmapLibrary.Load();
        using NetmapPort port = backend.OpenPort(args[1]);
        (long done, long start, long end) = args[0] == "tx"
            ? Transmit(port, frames)
            : Receive(port, frames, (long)(idleSeconds * Stopwatch.Frequency));
        double seconds = (end - start) / (double)Stopwatch.Frequency;
        double mpps = seconds > 0 ? done / seconds / 1e6 : 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"mode\":\"{args[0]}\",\"port\":\"{args[1]}\",\"frames\":{done},\"seconds\":{seconds:0.######},\"mpps\":{mpps:0.####}}}"));
        return 0;
    }

    /// <summary>Fills every free slot of every bound TX ring, then one TX sync; waits in Poll when all are full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (long Sent, long Start, long End) Transmit(NetmapPort port, long count)
    {
        byte[] frame = BenchFrames.Frame();
        ushort length = (ushort)frame.Length;
        uint[][] written = new uint[port.LastTxRing - port.FirstTxRing][];   // per slot: the buffer that holds the frame
        for (int r = 0; r < written.Length; r++)
        {
            written[r] = new uint[port.GetTxRing(port.FirstTxRing + r).SlotCount];
            Array.Fill(written[r], uint.MaxValue);
        }
        long sent = 0;
        long start = Stopwatch.GetTimestamp();
        while (sent < count)
        {
            long filled = 0;
            for (int r = port.FirstTxRing; r < port.LastTxRing; r++)
            {
                NetmapRing ring = port.GetTxRing(r);
                uint[] buffers = written[r - port.FirstTxRing];
                uint n = (uint)Math.Min(ring.Space, count - sent - filled);
                uint slots = ring.SlotCount;
                uint i = ring.Head;
                for (uint k = 0; k < n; k++)
                {
                    ref NetmapSlot slot = ref ring[i];
                    if (buffers[i] != slot.BufferIndex)
                    {
                        frame.CopyTo(ring.GetBuffer(i));
                        buffers[i] = slot.BufferIndex;
                    }
                    slot.Length = length;
                    i = i + 1 == slots ? 0 : i + 1;
                }
                ring.Advance(n);
                filled += n;
            }
            if (filled == 0)
            {
                port.Poll(NetmapPollEvents.Transmit, PollSlice);
                continue;
            }
            port.TxSync();
            sent += filled;
        }
        return (sent, start, Stopwatch.GetTimestamp());
    }

    /// <summary>Releases whatever arrives, from the first frame until <paramref name="count"/> or an idle spell.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (long Received, long Start, long End) Receive(NetmapPort port, long count, long idleTicks)
    {
        long received = 0;
        long first = 0, last = 0;
        bool polled = false;
        while (received < count)
        {
            if (!polled)
            {
                port.RxSync();   // a Poll has synced the rings already
            }
            polled = false;
            long got = 0;
            for (int r = port.FirstRxRing; r < port.LastRxRing; r++)
            {
                NetmapRing ring = port.GetRxRing(r);
                uint n = (uint)Math.Min(ring.Space, count - received - got);
                ring.Advance(n);
                got += n;
            }
            long now = Stopwatch.GetTimestamp();
            if (got > 0)
            {
                received += got;
                last = now;
                if (first == 0)
                {
                    first = now;
                }
                continue;
            }
            if (received > 0 && now - last >= idleTicks)
            {
                break;
            }
            port.Poll(NetmapPollEvents.Receive, PollSlice);
            polled = true;
        }
        port.RxSync();   // hand the last slots back
        return (received, first, last);
    }
}
