using System.CommandLine;
using Netmap.Dynamic.Cli.PktGen;

namespace Netmap.Dynamic.Cli.Commands;

/// <summary>What the traffic tools (bridge, capture, replay) share on the command line: the common options, usage errors, and running on the chosen backend until Ctrl+C.</summary>
internal static class ToolCommand
{
    public static Option<string> BackendOption()
    {
        Option<string> backend = new("--backend")
        {
            Description = "auto (native when available, else fake), native or fake",
            DefaultValueFactory = _ => "auto",
        };
        backend.AcceptOnlyFromAmong("auto", "native", "fake");
        return backend;
    }

    public static Option<bool> JsonOption() => new("--json") { Description = "print the summary as one JSON object on stdout" };

    public static Option<double> RateIntervalOption() => new("--rate-interval")
    {
        Description = "seconds between rate lines on stderr (0: none)",
        DefaultValueFactory = _ => 1.0,
    };

    public static Option<double?> DurationOption() => new("--duration") { Description = "stop after this many seconds (default: until Ctrl+C)" };

    /// <summary>Prints "netmap COMMAND: MESSAGE" and the help hint; returns exit code 2.</summary>
    public static int UsageError(TextWriter stderr, string command, string message)
    {
        stderr.WriteLine($"netmap {command}: {message}");
        stderr.WriteLine($"Run 'netmap {command} --help' for usage.");
        return ExitCodes.Usage;
    }

    /// <summary>Picks the backend (exit 3 when it is not available), then runs <paramref name="run"/> with a token that Ctrl+C or SIGTERM cancels.</summary>
    public static int RunOnBackend(string command, BackendChoice choice, string? device, TextWriter stderr, Func<INetmapBackend, CancellationToken, int> run)
    {
        if (!BackendSelector.TrySelect(choice, device, stderr, out INetmapBackend? backend, out string? error))
        {
            stderr.WriteLine($"netmap {command}: {error} (--backend fake runs on the in-memory backend)");
            return ExitCodes.Unavailable;
        }
        using (backend)
        using (InterruptSignals signals = new())
        {
            return run(backend, signals.Token);
        }
    }

    /// <summary>Runs a tool and prints its summary (JSON or text); a netmap error is one line on stderr and exit 1.</summary>
    public static int Report<T>(string command, Func<T> run, Func<T, string> json, Func<T, string> text, bool asJson, TextWriter stdout, TextWriter stderr)
    {
        T result;
        try
        {
            result = run();
        }
        catch (NetmapException e)
        {
            stderr.WriteLine($"netmap {command}: {e.Message}");
            return ExitCodes.Failure;
        }
        stdout.Write(asJson ? json(result) + Environment.NewLine : text(result));
        return ExitCodes.Success;
    }
}
