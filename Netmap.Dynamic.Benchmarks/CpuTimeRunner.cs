using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace Netmap.Dynamic.Benchmarks;

/// <summary>
/// A second way to run the benchmark methods, for a busy machine: each invocation is timed with
/// the thread's CPU time (<c>CLOCK_THREAD_CPUTIME_ID</c>) rather than the wall clock, the methods
/// of a class are interleaved round by round, and the minimum per operation is kept. Time the
/// thread spends waiting for a CPU (other helpers, other VMs) then does not count, so differences
/// of a few percent between variants survive a load that makes BenchmarkDotNet's wall-clock
/// figures useless. It is not a replacement for a quiet BenchmarkDotNet run: it reports a best
/// case, not a distribution, and a syscall's in-kernel time counts only as far as the kernel
/// charges it to the thread.
/// Usage: Netmap.Dynamic.Benchmarks cpu [Class,Class,...] [--rounds N] [--out FILE] (the C references
/// then run with BENCH_CLOCK=cpu, which makes them time the same way).
/// </summary>
internal static unsafe class CpuTimeRunner
{
    private const int CLOCK_THREAD_CPUTIME_ID = 3;

    /// <summary>Runs every benchmark method of <paramref name="types"/>; method name → best ns per operation.</summary>
    public static Dictionary<string, double> Run(IEnumerable<Type> types, int rounds)
    {
        Dictionary<string, double> results = [];
        foreach (Type type in types)
        {
            foreach ((string name, double ns) in Measure(type, rounds))
                results[name] = ns;
        }
        return results;
    }

    /// <summary>The benchmark classes named in <paramref name="names"/> (comma-separated, without namespace).</summary>
    public static Type[] Classes(string names) =>
        [.. names.Split(',').Select(name => typeof(CpuTimeRunner).Assembly.GetType($"{typeof(CpuTimeRunner).Namespace}.{name}")
            ?? throw new ArgumentException($"no benchmark class {name}"))];

    private static List<(string Name, double Ns)> Measure(Type type, int rounds)
    {
        object instance = Activator.CreateInstance(type)!;
        Invoke<GlobalSetupAttribute>(type, instance);
        try
        {
            (MethodInfo Method, int Operations)[] methods = [.. type.GetMethods()
                .Select(m => (Method: m, Attribute: m.GetCustomAttribute<BenchmarkAttribute>()))
                .Where(m => m.Attribute is not null)
                .Select(m => (m.Method, m.Attribute!.OperationsPerInvoke))];
            double[] best = [.. methods.Select(_ => double.MaxValue)];
            foreach ((MethodInfo method, _) in methods)
            {
                for (int warm = 0; warm < 40; warm++) method.Invoke(instance, null);   // tier-1 code before timing
            }
            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < methods.Length; i++)
                {
                    long start = ThreadCpuNanoseconds();
                    methods[i].Method.Invoke(instance, null);
                    double ns = (double)(ThreadCpuNanoseconds() - start) / methods[i].Operations;
                    best[i] = Math.Min(best[i], ns);
                }
            }
            return [.. methods.Select((m, i) => (m.Method.Name, best[i]))];
        }
        finally
        {
            Invoke<GlobalCleanupAttribute>(type, instance);
        }
    }

    private static void Invoke<TAttribute>(Type type, object instance) where TAttribute : Attribute
    {
        foreach (MethodInfo method in type.GetMethods().Where(m => m.GetCustomAttribute<TAttribute>() is not null))
            method.Invoke(instance, null);
    }

    private static long ThreadCpuNanoseconds()
    {
        TimeSpec now;
        if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now) != 0) throw new InvalidOperationException("clock_gettime failed");
        return (now.Seconds * 1_000_000_000L) + now.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int clock_gettime(int clock, TimeSpec* time);
}
