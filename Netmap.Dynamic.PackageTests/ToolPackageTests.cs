using System.Text.Json.Nodes;
using Netmap.Dynamic.Cli;

namespace Netmap.Dynamic.PackageTests;

/// <summary>
/// The tool as a user installs it (`dotnet tool install`, here into a temporary tool path) from the
/// local feed: `netmap probe --json` must find the shim the tool carries and answer as the in-tree CLI.
/// </summary>
[NonParallelizable]
public sealed class ToolPackageTests
{
    [Test]
    public void TheToolInstalledFromTheFeedProbesLikeTheInTreeCli()
    {
        PackageFile tool = PackageFeed.Find(PackageFeed.ToolId);
        string work = ConsumerWorkspace.Create("tool", withConsumerApp: false);
        string toolPath = Path.Combine(work, "tools");
        ConsumerWorkspace.ForgetCachedPackage(tool.Id, tool.Version);

        CommandResult install = CommandRunner.RunDotNet(work, "tool", "install", tool.Id, "--version", tool.Version,
            "--tool-path", toolPath, "--configfile", Path.Combine(work, "nuget.config"));
        Assert.That(install.ExitCode, Is.Zero, install.ToString());

        CommandResult probe = CommandRunner.Run(Path.Combine(toolPath, "netmap"), work, "probe", "--json");
        using StringWriter inTreeOut = new(), inTreeErr = new();
        int inTreeExit = Program.Run(["probe", "--json"], TextReader.Null, inTreeOut, inTreeErr);
        JsonNode installed = JsonNode.Parse(probe.Output) ?? throw new AssertionException($"no JSON: {probe}");

        Assert.Multiple(() =>
        {
            Assert.That(probe.ExitCode, Is.EqualTo(inTreeExit), probe.ToString());
            Assert.That(installed["status"]?.GetValue<string>(), Is.EqualTo("DeviceNotFound").Or.EqualTo("Available"), "the shim was found and fits");
            Assert.That(installed["shim"]?["path"]?.GetValue<string>(), Does.StartWith(toolPath + Path.DirectorySeparatorChar), "the shim the tool carries");
            Assert.That(WithoutBuildDetails(installed), Is.EqualTo(WithoutBuildDetails(JsonNode.Parse(inTreeOut.ToString())!)));
        });
    }

    /// <summary>
    /// The probe's JSON without what depends on where the program lives (the shim's path, also
    /// named by the message when netmap is available; the load attempts), on how its shim was
    /// built (host or bundled headers: see ProbeSummary), and the module parameters, which are
    /// live counters of the kernel (buf_curr_num, ...) that any other netmap user moves.
    /// </summary>
    internal static string WithoutBuildDetails(JsonNode probe)
    {
        JsonObject copy = probe.DeepClone().AsObject();
        if (copy["shim"] is JsonObject shim)
        {
            if (shim["path"]?.GetValue<string>() is { Length: > 0 } path && copy["message"]?.GetValue<string>() is { } message)
                copy["message"] = message.Replace(path, "<shim>", StringComparison.Ordinal);
            shim.Remove("path");
            shim.Remove("headers");
        }
        copy.Remove("attempts");
        copy.Remove("moduleParameters");
        return copy.ToJsonString();
    }
}
