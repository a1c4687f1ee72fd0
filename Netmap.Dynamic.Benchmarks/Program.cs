using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Netmap.Dynamic.Benchmarks;

/// <summary>
/// Runs every benchmark (BenchmarkDotNet, in process), then the C references of cref/, and writes
/// one table of medians and C#/C ratios to artifacts/bench/results.md.
/// Usage: dotnet run -c Release --project Netmap.Dynamic.Benchmarks -- [--cref DIR] [--out FILE] [--long] [--filter GLOB]
/// or ... -- wake [--ports 1,64] [--rounds N] [--stand-in] [--out FILE]: WaitAsync wake-up latency and threads (WakeupBenchmark);
/// or ... -- cpu [Class,...] [--rounds N] [--out FILE]: best thread CPU time per operation, for a busy machine (CpuTimeRunner);
/// or ... -- thin ...: the thinnest loop over the library, see <see cref="ThinLoop"/>.
/// </summary>
public static class Program
{
    /// <summary>C# benchmark → (C reference case, target ratio), in the order of the table.</summary>
    private static readonly (string Method, string? Reference, double? Target)[] Rows =
    [
        (nameof(RingBenchmarks.TxFill), "tx-fill", 1.10),
        (nameof(RingBenchmarks.RxDrain), "rx-drain", 1.10),
        (nameof(RingBenchmarks.TxBatchLength), "tx-len", 1.05),
        (nameof(RingBenchmarks.RxBatchCount), "rx-count", 1.05),
        (nameof(RingBenchmarks.Forward), "forward", 1.10),
        (nameof(PipeBenchmarks.PipeRoundTrip), "pipe-roundtrip", 1.25),
        (nameof(CallOverheadBenchmarks.ShimNoop_FunctionPointer), "call-shim-noop", null),
        (nameof(CallOverheadBenchmarks.ShimNoop_LibraryImport), "call-shim-noop", null),
        (nameof(CallOverheadBenchmarks.Ioctl_FunctionPointer), "call-ioctl", null),
        (nameof(CallOverheadBenchmarks.Ioctl_LibraryImport), "call-ioctl", null),
        (nameof(SyncCallBenchmarks.Fioclex_FunctionPointer), "call-fioclex", null),
        (nameof(SyncCallBenchmarks.Fioclex_SuppressGCTransition), "call-fioclex", null),
        (nameof(SyncCallBenchmarks.GetLastSystemError), null, null),
        (nameof(SyncCallBenchmarks.DriverSync), "call-fioclex", null),
        (nameof(TryLoadBenchmarks.TryLoad), null, null),
    ];

    /// <summary>Rows measured only on a netmap host (NetmapSyncBenchmarks).</summary>
    private static readonly (string Method, string? Reference, double? Target)[] NetmapRows =
    [
        (nameof(NetmapSyncBenchmarks.ValeTxSync_Port), "vale-txsync", null),
        (nameof(NetmapSyncBenchmarks.ValeTxSync_FunctionPointer), "vale-txsync", null),
        (nameof(NetmapSyncBenchmarks.ValeTxSync_SuppressGCTransition), "vale-txsync", null),
        (nameof(NetmapSyncBenchmarks.PipeRxSync_Port), "pipe-rxsync", null),
        (nameof(NetmapSyncBenchmarks.PipeRxSync_FunctionPointer), "pipe-rxsync", null),
        (nameof(NetmapSyncBenchmarks.PipeRxSync_SuppressGCTransition), "pipe-rxsync", null),
    ];

    public static int Main(string[] args)
    {
        if (args is ["thin", .. string[] thin])
        {
            return ThinLoop.Run(thin);
        }
        if (args.Length > 0 && args[0] == "wake")
            return WakeupBenchmark.Run(args, Option(args, "--out") ?? Path.Combine(FindUp("artifacts") ?? "artifacts", "bench", "wakeup.md"));
        if (args.Length > 0 && args[0] == "cpu")
            return RunCpuTime(args);
        string? crefDirectory = Option(args, "--cref") ?? FindUp(Path.Combine("Netmap.Dynamic.Benchmarks", "cref", "build"));
        string output = Option(args, "--out") ?? Path.Combine(FindUp("artifacts") ?? "artifacts", "bench", "results.md");
        Job job = (args.Contains("--long") ? Job.Default : Job.ShortRun).WithToolchain(InProcessEmitToolchain.Instance);
        IConfig config = DefaultConfig.Instance.AddJob(job).AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        string? filter = Option(args, "--filter");
        if (filter is not null)
            config = config.AddFilter(new GlobFilter([filter]));   // e.g. --filter '*Batch*': rerun a few rows

        bool netmap = NetmapSyncBenchmarks.Available;
        Type[] suites = [typeof(RingBenchmarks), typeof(PipeBenchmarks), typeof(CallOverheadBenchmarks), typeof(SyncCallBenchmarks), typeof(TryLoadBenchmarks)];
        if (netmap) suites = [.. suites, typeof(NetmapSyncBenchmarks)];
        (string Method, string? Reference, double? Target)[] rows = netmap ? [.. Rows, .. NetmapRows] : Rows;
        Summary[] summaries = BenchmarkRunner.Run(suites, config);
        Dictionary<string, (double Median, long? Allocated)> managed = [];
        foreach (BenchmarkReport report in summaries.SelectMany(s => s.Reports))
        {
            if (report.ResultStatistics is null) continue;
            managed[report.BenchmarkCase.Descriptor.WorkloadMethod.Name] =
                (report.ResultStatistics.Median, report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase));
        }
        if (filter is not null)
            rows = Measured(rows, managed);   // the rows asked for, and their C references only

        Dictionary<string, double> native = crefDirectory is null ? [] : RunReferences(crefDirectory, netmap, References(rows));
        string table = Table(rows, managed, native);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, table);
        Console.WriteLine();
        Console.WriteLine(table);
        Console.WriteLine($"written to {Path.GetFullPath(output)}");
        bool complete = filter is null ? rows.All(row => managed.ContainsKey(row.Method)) : managed.Count > 0;
        return complete ? 0 : 1;
    }

    /// <summary>The "cpu" mode: thread CPU time, best of N rounds, on both sides (see <see cref="CpuTimeRunner"/>).</summary>
    private static int RunCpuTime(string[] args)
    {
        bool netmap = NetmapSyncBenchmarks.Available;
        Type[] suites = args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? CpuTimeRunner.Classes(args[1])
            : netmap ? [typeof(RingBenchmarks), typeof(SyncCallBenchmarks), typeof(NetmapSyncBenchmarks)]
            : [typeof(RingBenchmarks), typeof(SyncCallBenchmarks)];
        int rounds = Option(args, "--rounds") is string r ? int.Parse(r, CultureInfo.InvariantCulture) : 30;
        Dictionary<string, (double Median, long? Allocated)> managed =
            CpuTimeRunner.Run(suites, rounds).ToDictionary(m => m.Key, m => (m.Value, (long?)null));
        (string Method, string? Reference, double? Target)[] rows = Measured([.. Rows, .. NetmapRows], managed);
        string? crefDirectory = Option(args, "--cref") ?? FindUp(Path.Combine("Netmap.Dynamic.Benchmarks", "cref", "build"));
        Dictionary<string, double> native = crefDirectory is null ? [] : RunReferences(crefDirectory, netmap, References(rows), cpuClock: true);
        string table = "Thread CPU time, best of " + rounds.ToString(CultureInfo.InvariantCulture) + " rounds (C: best of 5), ns per operation.\n\n"
            + Table(rows, managed, native, "best CPU time");
        string output = Option(args, "--out") ?? Path.Combine(FindUp("artifacts") ?? "artifacts", "bench", "cputime.md");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, table);
        Console.WriteLine(table);
        Console.WriteLine($"written to {Path.GetFullPath(output)}");
        return managed.Count > 0 ? 0 : 1;
    }

    private static string Table((string Method, string? Reference, double? Target)[] rows,
        Dictionary<string, (double Median, long? Allocated)> managed, Dictionary<string, double> native, string statistic = "median")
    {
        StringBuilder text = new();
        CultureInfo c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"| benchmark | C# {statistic} (ns/op) | C reference (ns/op) | ratio C#/C | target | allocated (B/op) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach ((string method, string? reference, double? target) in rows)
        {
            string cs = managed.TryGetValue(method, out var m) ? m.Median.ToString("0.00", c) : "missing";
            string cRef = reference is not null && native.TryGetValue(reference, out double n) ? n.ToString("0.00", c) : "-";
            string ratio = managed.ContainsKey(method) && reference is not null && native.TryGetValue(reference, out double r) && r > 0
                ? (m.Median / r).ToString("0.00", c) : "-";
            string goal = target is null ? "-" : "≤ " + target.Value.ToString("0.00", c);
            string allocated = managed.ContainsKey(method) && m.Allocated is long bytes ? bytes.ToString(c) : "-";
            text.AppendLine(c, $"| {method} | {cs} | {cRef} | {ratio} | {goal} | {allocated} |");
        }
        return text.ToString();
    }

    /// <summary>The rows of <paramref name="rows"/> that were measured, then every other measured method (no C reference).</summary>
    private static (string Method, string? Reference, double? Target)[] Measured(
        (string Method, string? Reference, double? Target)[] rows, Dictionary<string, (double Median, long? Allocated)> managed) =>
        [.. rows.Where(row => managed.ContainsKey(row.Method)),
            .. managed.Keys.Where(method => !rows.Any(row => row.Method == method)).Select(method => (method, (string?)null, (double?)null))];

    private static HashSet<string> References((string Method, string? Reference, double? Target)[] rows) =>
        [.. rows.Select(row => row.Reference).OfType<string>()];

    /// <summary>
    /// Runs those of ringbench, pipebench and callbench (and its netmap syncs on a netmap host) that
    /// measure a case in <paramref name="needed"/>; each prints "case ns_per_op" lines.
    /// </summary>
    private static Dictionary<string, double> RunReferences(string directory, bool netmap, HashSet<string> needed, bool cpuClock = false)
    {
        Dictionary<string, double> results = [];
        (string Program, string Arguments, string[] Cases)[] runs =
        [
            ("ringbench", "all 50000000", ["tx-fill", "rx-drain", "tx-len", "rx-count", "forward"]),
            ("pipebench", "20000000", ["pipe-roundtrip"]),
            ("callbench", $"\"{CallOverheadBenchmarks.ShimPath}\" 100000000", ["call-shim-noop", "call-ioctl", "call-fioclex"]),
        ];
        if (netmap) runs = [.. runs, ("callbench", $"\"{CallOverheadBenchmarks.ShimPath}\" 10000000 netmap", ["vale-txsync", "pipe-rxsync"])];
        foreach ((string program, string arguments, string[] cases) in runs)
        {
            if (!cases.Any(needed.Contains))
                continue;
            string path = Path.Combine(directory, program);
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"C reference {path} not found: run 'make -C Netmap.Dynamic.Benchmarks/cref' first.");
                continue;
            }
            ProcessStartInfo start = new(path, arguments) { RedirectStandardOutput = true };
            if (cpuClock) start.Environment["BENCH_CLOCK"] = "cpu";
            using Process process = Process.Start(start)!;
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            foreach (string line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = line.Split(' ');
                if (parts.Length == 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double ns))
                    results[parts[0]] = ns;
            }
        }
        return results;
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string? FindUp(string relative)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate)) return candidate;
            if (File.Exists(Path.Combine(dir.FullName, "Netmap.Dynamic.slnx"))) return relative == "artifacts" ? candidate : null;
        }
        return null;
    }
}
