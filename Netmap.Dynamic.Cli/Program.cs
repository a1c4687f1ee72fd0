using System.CommandLine;
using Netmap.Dynamic.Cli.Commands;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli;

/// <summary>The `netmap` command: one file per subcommand under Commands/.</summary>
public static class Program
{
    /// <summary>Exit code of a command line that does not parse (any command).</summary>
    public const int UsageError = ExitCodes.Usage;

    public static int Main(string[] args) => Run(args, Console.In, Console.Out, Console.Error);

    /// <summary>
    /// Runs the tool with the given standard streams; tests call this in-process. Commands write
    /// to <c>parseResult.InvocationConfiguration.Output/Error</c> and read standard input from
    /// <see cref="CliStdin.Current"/>. A command line that does not parse prints its errors and
    /// the help hint to <paramref name="stderr"/> and exits with <see cref="UsageError"/>.
    /// </summary>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ParseResult parsed = BuildRoot().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError error in parsed.Errors)
                stderr.WriteLine(error.Message);
            stderr.WriteLine("Run 'netmap --help' for usage.");
            return UsageError;
        }
        using (CliStdin.Use(stdin))
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        }
    }

    /// <summary>The whole command tree; tests invoke it in-process.</summary>
    public static RootCommand BuildRoot()
    {
        RootCommand root = new("netmap: probe, inspect and drive netmap ports from .NET.");
        root.Subcommands.Add(Commands.ProbeCommand.Create());
        root.Subcommands.Add(Commands.ParseCommand.Create());
        root.Subcommands.Add(PktGenCommand.Create());
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(ValeCommand.Create());
        root.Subcommands.Add(BridgeCommand.Create());
        root.Subcommands.Add(LbCommand.Create());
        root.Subcommands.Add(CaptureCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        return root;
    }
}
