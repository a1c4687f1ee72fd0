using System.CommandLine;
using Netmap.Dynamic.Cli.Commands;

namespace Netmap.Dynamic.Cli;

/// <summary>The `netmap` command: one file per subcommand under Commands/.</summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.In, Console.Out, Console.Error);

    /// <summary>
    /// Runs the tool with the given standard streams; tests call this in-process. Commands write
    /// to <c>parseResult.InvocationConfiguration.Output/Error</c> and read standard input from
    /// <see cref="CliStdin.Current"/>. A command line that does not parse (unknown option, bad
    /// value) prints the error and help and exits with 2 (<see cref="ExitCodes.Usage"/>).
    /// </summary>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        using (CliStdin.Use(stdin))
        {
            ParseResult result = BuildRoot().Parse(args);
            int exit = result.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
            return result.Errors.Count > 0 ? ExitCodes.Usage : exit;
        }
    }

    /// <summary>The whole command tree; tests invoke it in-process.</summary>
    public static RootCommand BuildRoot()
    {
        RootCommand root = new("netmap: probe, inspect and drive netmap ports from .NET.");
        root.Subcommands.Add(Commands.ParseCommand.Create());
        root.Subcommands.Add(PktGenCommand.Create());
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(ValeCommand.Create());
        return root;
    }
}
