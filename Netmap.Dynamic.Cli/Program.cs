using System.CommandLine;

namespace Netmap.Dynamic.Cli;

/// <summary>The `netmap` command: one file per subcommand under Commands/.</summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.In, Console.Out, Console.Error);

    /// <summary>
    /// Runs the tool with the given standard streams; tests call this in-process. Commands write
    /// to <c>parseResult.InvocationConfiguration.Output/Error</c> and read standard input from
    /// <see cref="CliStdin.Current"/>.
    /// </summary>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        using (CliStdin.Use(stdin))
        {
            return BuildRoot().Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        }
    }

    /// <summary>The whole command tree; tests invoke it in-process.</summary>
    public static RootCommand BuildRoot()
    {
        RootCommand root = new("netmap: probe, inspect and drive netmap ports from .NET.");
        root.Subcommands.Add(Commands.ParseCommand.Create());
        return root;
    }
}
