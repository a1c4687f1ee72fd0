using System.Diagnostics;
using Netmap.Dynamic.Cli.Shared;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Cli.Bridge;

/// <summary>
/// Runs a bridge on a backend: opens both ports, decides between buffer swap and copy, runs
/// <see cref="PollerBridgeLoop"/> (both directions on one thread, the default) or one
/// <see cref="BridgeLoop"/> thread per direction (ports opened with NR_NO_TX_POLL, see there), and
/// prints per-direction rates every interval until Ctrl+C, the duration or an error.
/// </summary>
internal static class BridgeRunner
{
    private static readonly NetmapPortOptions TwoThreadPortOptions = new() { ExtraFlags = NetmapRegisterFlags.NR_NO_TX_POLL };

    /// <summary>True when frames can move by buffer swap: both ports map the same memory region.</summary>
    public static bool CanSwap(NetmapPort a, NetmapPort b) =>
        a.FirstRxRing < a.LastRxRing && b.FirstTxRing < b.LastTxRing
        && a.GetRxRing(a.FirstRxRing).SharesMemoryWith(b.GetTxRing(b.FirstTxRing));

    /// <summary>Runs until <paramref name="cancellation"/> or the duration; <paramref name="opened"/> (for tests) is set once both ports are open.</summary>
    public static BridgeResult Run(BridgeOptions options, INetmapBackend backend, TextWriter rateOutput, CancellationToken cancellation, ManualResetEventSlim? opened = null)
    {
        LoopWarmUp.Prepare(typeof(BridgeLoop));   // before the ports exist, as pkt-gen does: no JIT once frames flow
        LoopWarmUp.Prepare(typeof(PollerBridgeLoop));
        NetmapPortOptions? portOptions = options.Threads == 2 ? TwoThreadPortOptions : null;   // one thread: the poll pushes TX, as C's bridge
        using NetmapPort a = backend.OpenPort(options.PortA, portOptions);
        using NetmapPort b = backend.OpenPort(options.PortB, portOptions);
        opened?.Set();
        bool zeroCopy = !options.ForceCopy && CanSwap(a, b);
        if (options.WaitLinkSeconds > 0)
        {
            cancellation.WaitHandle.WaitOne(TimeSpan.FromSeconds(options.WaitLinkSeconds));
        }

        rateOutput.WriteLine($"netmap bridge: forwarding {options.PortA} <-> {options.PortB}, {(zeroCopy ? "zero copy (buffer swap)" : "copying")}, batch {options.Batch}, {(options.Threads == 1 ? "one thread" : "a thread per direction")}; Ctrl+C to stop");
        rateOutput.Flush();
        using CancellationTokenSource stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        RunControl control = new(stop.Token, options.DurationSeconds);
        TrafficCounters aToB = new();
        TrafficCounters bToA = new();
        Exception? failure = null;
        using CountdownEvent done = new(options.Threads);

        Thread Start(string name, Action loop)
        {
            Thread thread = new(() =>
            {
                try
                {
                    loop();
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                    stop.Cancel();
                }
                finally
                {
                    done.Signal();
                }
            })
            { IsBackground = true, Name = name };
            thread.Start();
            return thread;
        }

        Thread[] threads = options.Threads == 1
            ? [Start("bridge", () => PollerBridgeLoop.Run(a, b, options.Batch, zeroCopy, control, aToB, bToA))]
            : [Start("bridge a->b", () => BridgeLoop.Run(a, b, options.Batch, zeroCopy, control, aToB)),
               Start("bridge b->a", () => BridgeLoop.Run(b, a, options.Batch, zeroCopy, control, bToA))];
        Func<double, string> forwardRate = Rates.Reporter(aToB, "frames");
        Func<double, string> backwardRate = Rates.Reporter(bToA, "frames");
        RateReporter.Report(options.RateIntervalSeconds, done, seconds => $"a->b {forwardRate(seconds)}   b->a {backwardRate(seconds)}", rateOutput);
        foreach (Thread thread in threads)
        {
            thread.Join();
        }
        long end = Stopwatch.GetTimestamp();
        if (failure is not null)
        {
            throw failure is NetmapException ? failure : new InvalidOperationException($"bridge worker failed: {failure.Message}", failure);
        }
        return new BridgeResult
        {
            Backend = backend.Name,
            PortA = options.PortA,
            PortB = options.PortB,
            ZeroCopy = zeroCopy,
            Batch = options.Batch,
            Threads = options.Threads,
            AToB = Totals(aToB),
            BToA = Totals(bToA),
            Seconds = control.SecondsSinceStart(end),
            Interrupted = cancellation.IsCancellationRequested,
        };
    }

    private static BridgeDirectionTotals Totals(TrafficCounters c) => new(c.Frames, c.Bytes, c.ActiveSeconds);
}
