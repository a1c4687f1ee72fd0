using System.Security;

namespace Netmap.Dynamic.PackageTests;

/// <summary>
/// A fresh folder for a consumer of the packages, under the tests' work folder: it stops MSBuild's
/// and EditorConfig's upward search (so nothing of this repository's build applies), and its
/// nuget.config takes Netmap.Dynamic and Netmap.Dynamic.Cli from the local feed only (package
/// source mapping) and every other package from the sources this machine is configured with.
/// </summary>
internal static class ConsumerWorkspace
{
    public static string Create(string name, bool withConsumerApp)
    {
        string directory = Path.Combine(PackageFeed.WorkDirectory, name);
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(directory);

        string[] machineSources = MachineSources(PackageFeed.WorkDirectory);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), NuGetConfig(machineSources));
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project><!-- a consumer: no build settings of the repository around it --></Project>\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, ".editorconfig"), "root = true\n");
        if (withConsumerApp)
        {
            foreach (string file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "ConsumerApp")))
                File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }
        return directory;
    }

    /// <summary>
    /// Removes that version of a package from NuGet's global packages folder, so that a restore must
    /// take it from the feed: a package of the same version packed earlier would otherwise be used.
    /// </summary>
    public static void ForgetCachedPackage(string id, string version)
    {
        string cached = Path.Combine(GlobalPackagesFolder(), id.ToLowerInvariant(), version.ToLowerInvariant());
        if (Directory.Exists(cached))
            Directory.Delete(cached, recursive: true);
    }

    /// <summary>The global packages folder restore extracts into (`dotnet nuget locals global-packages --list`).</summary>
    public static string GlobalPackagesFolder()
    {
        CommandResult locals = CommandRunner.RunDotNet(PackageFeed.WorkDirectory, "nuget", "locals", "global-packages", "--list");
        Assert.That(locals.ExitCode, Is.Zero, locals.ToString());
        const string Prefix = "global-packages: ";
        string line = locals.Output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(Prefix, StringComparison.Ordinal));
        return line[Prefix.Length..];
    }

    /// <summary>The enabled package sources of this machine's NuGet configuration (`dotnet nuget list source`).</summary>
    private static string[] MachineSources(string directory)
    {
        Directory.CreateDirectory(directory);
        CommandResult list = CommandRunner.RunDotNet(directory, "nuget", "list", "source", "--format", "short");
        Assert.That(list.ExitCode, Is.Zero, list.ToString());
        return list.Output.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("E ", StringComparison.Ordinal))
            .Select(l => l[2..].Trim())
            .Where(s => s != PackageFeed.Directory)
            .ToArray();
    }

    private static string NuGetConfig(string[] machineSources)
    {
        IEnumerable<string> sources = machineSources.Select((s, i) => $"    <add key=\"machine{i}\" value=\"{SecurityElement.Escape(s)}\" />");
        IEnumerable<string> mappings = machineSources.Select((_, i) => $"    <packageSource key=\"machine{i}\"><package pattern=\"*\" /></packageSource>");
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="feed" value="{SecurityElement.Escape(PackageFeed.Directory)}" />
            {string.Join('\n', sources)}
              </packageSources>
              <packageSourceMapping>
                <clear />
                <packageSource key="feed">
                  <package pattern="{PackageFeed.LibraryId}" />
                  <package pattern="{PackageFeed.ToolId}" />
                </packageSource>
            {string.Join('\n', mappings)}
              </packageSourceMapping>
            </configuration>

            """;
    }
}
