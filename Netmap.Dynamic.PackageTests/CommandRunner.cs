using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Netmap.Dynamic.PackageTests;

/// <summary>What a child process printed and how it ended.</summary>
internal sealed record CommandResult(string Command, int ExitCode, string Output)
{
    /// <summary>For assertion messages: the command, its exit code and everything it printed.</summary>
    public override string ToString() => $"$ {Command}\n(exit {ExitCode})\n{Output}";
}

/// <summary>
/// Runs `dotnet` and the programs the tests build, as a user's shell would: without the MSBuild
/// variables `dotnet test` leaves in this process's environment and without NETMAP_DYNAMIC_SHIM,
/// so that a consumer finds the shim only where the package put it.
/// </summary>
internal static class CommandRunner
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);

    /// <summary>The .NET installation the tests run on (shared/Microsoft.NETCore.App/&lt;version&gt;/ is three levels down).</summary>
    private static readonly string DotNetRoot = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    /// <summary>That installation's dotnet, else the one on PATH.</summary>
    public static string DotNet => File.Exists(Path.Combine(DotNetRoot, "dotnet")) ? Path.Combine(DotNetRoot, "dotnet") : "dotnet";

    public static CommandResult RunDotNet(string workingDirectory, params string[] arguments) =>
        Run(DotNet, workingDirectory, arguments);

    public static CommandResult Run(string fileName, string workingDirectory, params string[] arguments)
    {
        ProcessStartInfo start = new(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name == "NETMAP_DYNAMIC_SHIM")
                start.Environment.Remove(name);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // An apphost (the tool's `netmap`) finds the runtime the tests run on.
        start.Environment["DOTNET_ROOT"] = DotNetRoot;

        string command = $"{fileName} {string.Join(' ', arguments)}";
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command}");
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new CommandResult(command, -1, $"timed out after {Timeout}\n{stdout.Result}{stderr.Result}");
        }
        return new CommandResult(command, process.ExitCode, stdout.Result + stderr.Result);
    }
}
