using System.CommandLine;

namespace Netmap.Dynamic.Cli.Shared;

/// <summary>
/// What every traffic tool (pkt-gen, bridge, capture, replay) shares on the command line: the common
/// options (<see cref="ToolOptions"/>), usage errors, running on the chosen backend until Ctrl+C,
/// and printing the summary.
/// </summary>
internal static class ToolCommand
{
    /// <summary>
    /// A tool's command: its own arguments and options, then the common ones; <paramref name="action"/>
    /// gets the parse result and the command's stdout and stderr, and returns the exit code.
    /// </summary>
    public static Command Create(string name, string description, CommonOptions common, Symbol[] own, Func<ParseResult, TextWriter, TextWriter, int> action)
    {
        Command command = new(name, description);
        foreach (Symbol symbol in own)
        {
            if (symbol is Argument argument)
            {
                command.Arguments.Add(argument);
            }
            else
            {
                command.Options.Add((Option)symbol);
            }
        }
        foreach (Option option in common.All)
        {
            command.Options.Add(option);
        }
        command.SetAction(parseResult => action(parseResult, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error));
        return command;
    }

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
