using System.Diagnostics;
using System.Globalization;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.Lb;

/// <summary>
/// Runs a balancer on a backend: opens the input and the output pipes (<c>PREFIX{K/xT@MEM</c>, as
/// netmap's lb names them: the pipes live in the input's memory, so the first group takes frames by
/// buffer swap), runs <see cref="LbLoop"/> on one thread and prints the rates every interval.
/// </summary>
internal static class LbRunner
{
    /// <summary>The output pipes' specs, group by group: numbers go on across groups of one prefix (netmap lb's first_id).</summary>
    public static string[][] OutputSpecs(LbOptions options, string inputName, ushort memId)
    {
        Dictionary<string, int> next = [];
        string[][] specs = new string[options.Groups.Count][];
        for (int g = 0; g < options.Groups.Count; g++)
        {
            string prefix = options.Groups[g].Prefix ?? inputName;
            int first = next.GetValueOrDefault(prefix);
            next[prefix] = first + options.Groups[g].Count;
            string scheme = prefix.StartsWith("vale", StringComparison.Ordinal) ? "" : "netmap:";
            specs[g] = [.. Enumerable.Range(first, options.Groups[g].Count)
                .Select(k => string.Create(CultureInfo.InvariantCulture, $"{scheme}{prefix}{{{k}/xT@{memId}"))];
        }
        return specs;
    }

    public static LbResult Run(LbOptions options, INetmapBackend backend, TextWriter rateOutput, CancellationToken cancellation, ManualResetEventSlim? opened = null)
    {
        LoopWarmUp.Prepare(typeof(LbLoop));
        using NetmapPort input = backend.OpenPort(options.Input);
        string[][] specs = OutputSpecs(options, input.Name, input.MemId);
        List<NetmapPort> ports = [];
        try
        {
            LbOutput[][] groups = new LbOutput[specs.Length][];
            for (int g = 0; g < specs.Length; g++)
            {
                groups[g] = new LbOutput[specs[g].Length];
                for (int k = 0; k < specs[g].Length; k++)
                {
                    NetmapPort port = backend.OpenPort(specs[g][k]);
                    ports.Add(port);
                    OverflowQueue? queue = options.OverflowFrames > 0 ? new OverflowQueue(options.OverflowFrames, port.BufferSize) : null;
                    groups[g][k] = new LbOutput(port, g, queue);
                }
            }
            bool zeroCopy = input.FirstRxRing < input.LastRxRing
                && groups[0].All(o => o.Port.GetTxRing(0).SharesMemoryWith(input.GetRxRing(input.FirstRxRing)));
            opened?.Set();
            rateOutput.WriteLine($"netmap lb: {options.Input} -> {string.Join(", ", specs.Select(s => $"{s.Length} pipes {s[0]}..."))}, {(zeroCopy ? "zero copy (buffer swap)" : "copying")}; Ctrl+C to stop");
            rateOutput.Flush();

            using CancellationTokenSource stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            RunControl control = new(stop.Token, options.DurationSeconds);
            LbCounters counters = new();
            Exception? failure = null;
            using CountdownEvent done = new(1);
            Thread thread = new(() =>
            {
                try
                {
                    LbLoop.Run(input, groups, zeroCopy, options.Batch, control, counters);
                }
                catch (Exception e)
                {
                    failure = e;
                    stop.Cancel();
                }
                finally
                {
                    done.Signal();
                }
            })
            { IsBackground = true, Name = "lb" };
            thread.Start();
            long lastFrames = 0;
            RateReporter.Report(options.RateIntervalSeconds, done, seconds =>
            {
                long frames = counters.Frames;
                string line = string.Create(CultureInfo.InvariantCulture, $"received {(frames - lastFrames) / seconds / 1e6,8:F3} Mpps");
                lastFrames = frames;
                return line;
            }, rateOutput);
            thread.Join();
            long end = Stopwatch.GetTimestamp();
            if (failure is not null)
            {
                throw failure is NetmapException ? failure : new InvalidOperationException($"lb failed: {failure.Message}", failure);
            }
            return new LbResult
            {
                Backend = backend.Name,
                Input = options.Input,
                ZeroCopy = zeroCopy,
                ReceivedFrames = counters.Frames,
                ReceivedBytes = counters.Bytes,
                Outputs = [.. groups.SelectMany(g => g).Select(o => new LbOutputTotals(o.Port.Spec.ToString(), o.Group, o.Frames, o.Bytes, o.Dropped, o.Queue?.Count ?? 0))],
                Seconds = control.SecondsSinceStart(end),
                Interrupted = cancellation.IsCancellationRequested,
            };
        }
        finally
        {
            foreach (NetmapPort port in ports)
            {
                port.Dispose();
            }
        }
    }
}
