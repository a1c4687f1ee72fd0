using Netmap.Dynamic.Cli;

namespace Netmap.Dynamic.Tests.Cli.Shared;

/// <summary>Runs the `netmap` command line in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        using StringWriter stdout = new();
        using StringWriter stderr = new();
        int exit = Program.Run(args, TextReader.Null, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
