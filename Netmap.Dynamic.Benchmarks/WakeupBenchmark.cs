using System.Diagnostics;
using System.Globalization;
using System.Text;
using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Benchmarks;

/// <summary>
/// Wake-up latency and threads used by <see cref="NetmapPort.WaitAsync(NetmapPollEvents, CancellationToken)"/> with 1 and 64 waiting
/// ports: P pipes, a receive wait pending on every receiving end, then one frame sent (write + TX
/// sync) on each sending end in turn; latency is from just before a port's send to its wait's
/// continuation running. Threads are counted once, while every wait of the first measured round is
/// pending: the process's threads against the count before the first wait (so a reactor thread or
/// pool threads started for the waits count), and those blocked in poll against the count just
/// before that round's waits (Linux, /proc/self/task/*/syscall; the runtime keeps a couple of its own there).
/// Runs on the fake backend, and on the native one where netmap is available (on the epoll reactor).
/// With --stand-in, also the native driver over eventfds standing in for netmap fds (any Linux
/// host, no netmap needed), with the reactor and, for comparison, the way before it (a pool thread
/// blocked in poll per wait): the driver is built here without a reactor, so the library needs no switch for it.
/// Usage: Netmap.Dynamic.Benchmarks wake [--ports 1,64] [--rounds N] [--stand-in] [--out FILE]
/// </summary>
internal static class WakeupBenchmark
{
    private static readonly byte[] Frame = BenchFrames.Frame();

    public static int Run(string[] args, string output)
    {
        int[] portCounts = (Option(args, "--ports") ?? "1,64").Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        int? rounds = Option(args, "--rounds") is string r ? int.Parse(r, CultureInfo.InvariantCulture) : null;
        List<string> rows = [];
        foreach (int ports in portCounts)
        {
            int n = rounds ?? (ports == 1 ? 2000 : 100);
            using (FakeNetmapBackend fake = new())
                rows.Add(Measure("fake", fake, ports, n));
            if (args.Contains("--stand-in") && OperatingSystem.IsLinux())
            {
                rows.Add(MeasureStandIns("eventfd stand-in, epoll reactor", reactor: true, inline: false, ports, n));
                rows.Add(MeasureStandIns("eventfd stand-in, epoll reactor, inline completions", reactor: true, inline: true, ports, n));
                rows.Add(MeasureStandIns("eventfd stand-in, pool thread in poll per wait (before)", reactor: false, inline: false, ports, Math.Max(3, n / 10)));
            }
            if (NetmapLibrary.TryLoad(out NetmapLibrary? library, out NetmapProbeResult probe))
            {
                using (library)
                    rows.Add(Measure("native, epoll reactor", library, ports, n));
                NetmapLibrary.TryLoad(new NetmapLoadOptions { InlineWaitCompletions = true }, out library, out _);
                using (library)
                    rows.Add(Measure("native, epoll reactor, inline completions", library!, ports, n));
            }
            else if (ports == portCounts[0])
            {
                Console.WriteLine($"native: skipped ({probe.Status})");
            }
        }
        StringBuilder table = new();
        table.AppendLine("| backend | ports | rounds | wake-up p50 (µs) | p99 (µs) | max (µs) | extra threads while waiting | of them in poll |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (string row in rows) table.AppendLine(row);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, table.ToString());
        Console.WriteLine(table);
        Console.WriteLine($"written to {Path.GetFullPath(output)}");
        return 0;
    }

    private static string Measure(string label, INetmapBackend backend, int ports, int rounds)
    {
        string id = Guid.NewGuid().ToString("N")[..6];
        PipeTarget[] targets = new PipeTarget[ports];
        try
        {
            // 64 slots a ring: each pipe has its own region, about 8.8 MB in the kernel instead of 42.
            for (int i = 0; i < ports; i++)
                targets[i] = new PipeTarget(backend.OpenPort($"netmap:wk{id}x{i}{{1@conf:slots=64"), backend.OpenPort($"netmap:wk{id}x{i}}}1"));
            return Measure(label, targets, rounds);
        }
        finally
        {
            foreach (PipeTarget target in targets) target?.Dispose();
        }
    }

    /// <summary>The driver alone over eventfds standing in for netmap fds (any Linux host): reactor against poll per wait.</summary>
    private static string MeasureStandIns(string label, bool reactor, bool inline, int ports, int rounds)
    {
        List<string> missing = [];
        nint handle = System.Runtime.InteropServices.NativeLibrary.Load("libc.so.6");
        Native.LibcFunctions libc = Native.LibcFunctions.Resolve(handle, missing);
        using Native.NativeReactor? shared = reactor ? new Native.NativeReactor(libc, inline) : null;
        StandInTarget[] targets = [.. Enumerable.Range(0, ports).Select(_ => new StandInTarget(libc, shared))];
        try
        {
            return Measure(label, targets, rounds);
        }
        finally
        {
            foreach (StandInTarget target in targets) target.Dispose();
        }
    }

    private static string Measure(string label, WakeTarget[] targets, int rounds)
    {
        int ports = targets.Length;
        List<double> latencies = [];
        int extraThreads = 0, inPoll = 0;
        long[] sent = new long[ports], woken = new long[ports];
        int threadsBefore = ThreadCount();   // before the first wait: a reactor thread or pool threads it starts count as extra
        for (int round = -3; round < rounds; round++)   // three warm-up rounds
        {
            int inPollBefore = ThreadsInPoll();
            Task[] waits = new Task[ports];
            for (int i = 0; i < ports; i++) waits[i] = WaitOne(targets[i], woken, i);
            if (round == 0)
            {
                // Count once, after giving waits that block a thread up to 2 s to get there (the
                // thread pool adds threads slowly); waits that block no thread never get there.
                Stopwatch settle = Stopwatch.StartNew();
                while (ThreadsInPoll() - inPollBefore < ports && settle.Elapsed < TimeSpan.FromSeconds(2))
                    Thread.Sleep(1);
                extraThreads = ThreadCount() - threadsBefore;
                inPoll = ThreadsInPoll() - inPollBefore;
            }
            for (int i = 0; i < ports; i++)
            {
                sent[i] = Stopwatch.GetTimestamp();
                targets[i].Signal();
            }
            if (!Task.WaitAll(waits, TimeSpan.FromMinutes(2)))
                throw new TimeoutException($"{label}: a wait did not wake within 2 minutes");
            for (int i = 0; i < ports; i++)
            {
                if (round >= 0) latencies.Add(Stopwatch.GetElapsedTime(sent[i], woken[i]).TotalMicroseconds);
                targets[i].Reset();
            }
        }
        latencies.Sort();
        CultureInfo c = CultureInfo.InvariantCulture;
        return string.Create(c, $"| {label} | {ports} | {rounds} | {Percentile(latencies, 0.5):0.0} | {Percentile(latencies, 0.99):0.0} | {latencies[^1]:0.0} | {extraThreads} | {inPoll} |");
    }

    /// <summary>Something to wait on, to make ready and to make idle again.</summary>
    private abstract class WakeTarget : IDisposable
    {
        public abstract ValueTask<NetmapPollEvents> WaitAsync();

        public abstract void Signal();

        public abstract void Reset();

        public abstract void Dispose();
    }

    /// <summary>A pipe: wait on the receiving end; one frame and a TX sync on the sending end wake it.</summary>
    private sealed class PipeTarget(NetmapPort sender, NetmapPort receiver) : WakeTarget
    {
        public override ValueTask<NetmapPollEvents> WaitAsync() => receiver.WaitAsync(NetmapPollEvents.Receive);

        public override void Signal()
        {
            sender.GetTxRing(0).TryWrite(Frame);
            sender.TxSync();
        }

        public override void Reset()
        {
            NetmapRing rx = receiver.GetRxRing(0);
            rx.Advance(rx.Space);
            receiver.RxSync();
            sender.TxSync();
        }

        public override void Dispose()
        {
            sender.Dispose();
            receiver.Dispose();
        }
    }

    /// <summary>An eventfd under a native port driver: writing it wakes the wait, reading it resets it.</summary>
    private sealed unsafe class StandInTarget : WakeTarget
    {
        private readonly Native.LibcFunctions _libc;
        private readonly int _fd;
        private readonly Native.NativePortDriver _driver;

        public StandInTarget(Native.LibcFunctions libc, Native.NativeReactor? reactor)
        {
            _libc = libc;
            _fd = libc.eventfd(0, 0);
            int fd = _fd;
            _driver = new Native.NativePortDriver(libc, fd, "stand-in", 0, 0, () => libc.close(fd), reactor);
        }

        public override ValueTask<NetmapPollEvents> WaitAsync() => _driver.WaitAsync(NetmapPollEvents.Receive, CancellationToken.None);

        public override void Signal()
        {
            ulong one = 1;
            _libc.write(_fd, &one, sizeof(ulong));
        }

        public override void Reset()
        {
            ulong value;
            _libc.read(_fd, &value, sizeof(ulong));
        }

        public override void Dispose() => _driver.Close();
    }

    private static async Task WaitOne(WakeTarget target, long[] woken, int index)
    {
        await target.WaitAsync().ConfigureAwait(false);
        woken[index] = Stopwatch.GetTimestamp();
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    private static int ThreadCount() => OperatingSystem.IsLinux() ? Directory.GetDirectories("/proc/self/task").Length : Process.GetCurrentProcess().Threads.Count;

    /// <summary>Threads blocked in poll or ppoll (x86-64: 7, 271; arm64: 73), from /proc/self/task/*/syscall.</summary>
    private static int ThreadsInPoll()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        int count = 0;
        foreach (string task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                string call = File.ReadAllText(Path.Combine(task, "syscall")).Split(' ')[0];
                if (call is "7" or "271" or "73") count++;
            }
            catch (IOException)
            {
            }
        }
        return count;
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
