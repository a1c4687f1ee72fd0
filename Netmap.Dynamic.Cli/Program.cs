using System.CommandLine;

namespace Netmap.Dynamic.Cli;

/// <summary>The `netmap` command: one file per subcommand under Commands/.</summary>
public static class Program
{
    public static int Main(string[] args) => BuildRoot().Parse(args).Invoke();

    /// <summary>The whole command tree; tests invoke it in-process.</summary>
    public static RootCommand BuildRoot()
    {
        RootCommand root = new("netmap: probe, inspect and drive netmap ports from .NET.");
        return root;
    }
}
