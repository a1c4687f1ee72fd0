using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Netmap.Dynamic.Benchmarks;

/// <summary>
/// Runs every benchmark (BenchmarkDotNet, in process), then the C references of cref/, and writes
/// one table of medians and C#/C ratios to artifacts/bench/results.md.
/// Usage: dotnet run -c Release --project Netmap.Dynamic.Benchmarks -- [--cref DIR] [--out FILE] [--long]
/// (or <c>-- thin ...</c>: the thinnest loop over the library, see <see cref="ThinLoop"/>).
/// </summary>
public static class Program
{
    /// <summary>C# benchmark → (C reference case, target ratio), in the order of the table.</summary>
    private static readonly (string Method, string? Reference, double? Target)[] Rows =
    [
        (nameof(RingBenchmarks.TxFill), "tx-fill", 1.10),
        (nameof(RingBenchmarks.RxDrain), "rx-drain", 1.10),
        (nameof(RingBenchmarks.Forward), "forward", 1.10),
        (nameof(PipeBenchmarks.PipeRoundTrip), "pipe-roundtrip", 1.25),
        (nameof(CallOverheadBenchmarks.ShimNoop_FunctionPointer), "call-shim-noop", null),
        (nameof(CallOverheadBenchmarks.ShimNoop_LibraryImport), "call-shim-noop", null),
        (nameof(CallOverheadBenchmarks.Ioctl_FunctionPointer), "call-ioctl", null),
        (nameof(CallOverheadBenchmarks.Ioctl_LibraryImport), "call-ioctl", null),
        (nameof(TryLoadBenchmarks.TryLoad), null, null),
    ];

    public static int Main(string[] args)
    {
        if (args is ["thin", .. string[] thin])
        {
            return ThinLoop.Run(thin);
        }
        string? crefDirectory = Option(args, "--cref") ?? FindUp(Path.Combine("Netmap.Dynamic.Benchmarks", "cref", "build"));
        string output = Option(args, "--out") ?? Path.Combine(FindUp("artifacts") ?? "artifacts", "bench", "results.md");
        Job job = (args.Contains("--long") ? Job.Default : Job.ShortRun).WithToolchain(InProcessEmitToolchain.Instance);
        IConfig config = DefaultConfig.Instance.AddJob(job).AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);

        Summary[] summaries = BenchmarkRunner.Run(
            [typeof(RingBenchmarks), typeof(PipeBenchmarks), typeof(CallOverheadBenchmarks), typeof(TryLoadBenchmarks)], config);
        Dictionary<string, (double Median, long? Allocated)> managed = [];
        foreach (BenchmarkReport report in summaries.SelectMany(s => s.Reports))
        {
            if (report.ResultStatistics is null) continue;
            managed[report.BenchmarkCase.Descriptor.WorkloadMethod.Name] =
                (report.ResultStatistics.Median, report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase));
        }

        Dictionary<string, double> native = crefDirectory is null ? [] : RunReferences(crefDirectory);
        string table = Table(managed, native);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, table);
        Console.WriteLine();
        Console.WriteLine(table);
        Console.WriteLine($"written to {Path.GetFullPath(output)}");
        return managed.Count == Rows.Length ? 0 : 1;
    }

    private static string Table(Dictionary<string, (double Median, long? Allocated)> managed, Dictionary<string, double> native)
    {
        StringBuilder text = new();
        CultureInfo c = CultureInfo.InvariantCulture;
        text.AppendLine("| benchmark | C# median (ns/op) | C reference (ns/op) | ratio C#/C | target | allocated (B/op) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach ((string method, string? reference, double? target) in Rows)
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

    /// <summary>Runs ringbench, pipebench and callbench; each prints "case ns_per_op" lines.</summary>
    private static Dictionary<string, double> RunReferences(string directory)
    {
        Dictionary<string, double> results = [];
        (string Program, string Arguments)[] runs =
        [
            ("ringbench", "all 50000000"),
            ("pipebench", "20000000"),
            ("callbench", $"\"{CallOverheadBenchmarks.ShimPath}\" 100000000"),
        ];
        foreach ((string program, string arguments) in runs)
        {
            string path = Path.Combine(directory, program);
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"C reference {path} not found: run 'make -C Netmap.Dynamic.Benchmarks/cref' first.");
                continue;
            }
            using Process process = Process.Start(new ProcessStartInfo(path, arguments) { RedirectStandardOutput = true })!;
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
