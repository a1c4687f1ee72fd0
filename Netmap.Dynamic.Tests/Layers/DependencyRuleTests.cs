using System.Text.RegularExpressions;

namespace Netmap.Dynamic.Tests.Layers;

/// <summary>
/// The layers of docs/architecture.md, checked on the sources so the picture stays true: each
/// folder of the library and of the CLI may use only the folders the tables below allow (those
/// beneath it), and every folder must have a place in them. "Uses" means a file names a type
/// declared in another folder, anywhere outside comments and string literals (a <c>nameof</c> too).
/// </summary>
public sealed partial class DependencyRuleTests
{
    // The library, bottom up: what each folder may use besides itself.
    private static readonly Dictionary<string, string[]> LibraryLayers = new(StringComparer.Ordinal)
    {
        ["Interop"] = [],
        ["Errors"] = ["Interop"],
        ["PortSpec"] = ["Interop", "Errors"],
        ["ControlPlane"] = ["Interop", "Errors"],
        ["DataPlane"] = ["Interop", "Errors", "PortSpec", "ControlPlane"],
        ["Fake"] = ["Interop", "Errors", "PortSpec", "ControlPlane", "DataPlane"],
        ["Native"] = ["Interop", "Errors", "PortSpec", "ControlPlane", "DataPlane"],
        ["NativeLibrary"] = ["Interop", "Errors", "PortSpec", "ControlPlane", "DataPlane", "Native"],
        ["Diagnostics"] = ["Interop", "Errors", "PortSpec", "ControlPlane", "DataPlane", "Fake", "Native", "NativeLibrary"],
    };

    // The CLI, bottom up ("." is its root, Program.cs). Every folder may also use the library's
    // public API (Native/ is internal to the library, so no CLI code can name it).
    private static readonly Dictionary<string, string[]> CliLayers = new(StringComparer.Ordinal)
    {
        ["Pcap"] = [],
        ["Shared"] = ["Pcap"],
        ["PktGen"] = ["Shared"],
        ["Bridge"] = ["Shared"],
        ["Lb"] = ["Shared"],
        ["Capture"] = ["Shared", "Pcap"],
        ["Replay"] = ["Shared", "Pcap"],
        ["Commands"] = ["Shared", "Pcap", "PktGen", "Bridge", "Lb", "Capture", "Replay"],
        ["."] = ["Commands", "Shared"],
    };

    private static readonly string[] LibraryForTheCli = [.. LibraryLayers.Keys.Where(f => f != "Native").Select(f => "library/" + f)];

    [Test]
    public void No_folder_of_the_library_uses_a_folder_above_it()
    {
        Dictionary<string, string[]> allowed = LibraryLayers.ToDictionary(e => "library/" + e.Key, e => e.Value.Select(f => "library/" + f).ToArray());
        Assert.That(Violations(Scan(), allowed), Is.Empty);
    }

    [Test]
    public void No_folder_of_the_cli_uses_a_folder_above_it()
    {
        Dictionary<string, string[]> allowed = CliLayers.ToDictionary(e => "cli/" + e.Key, e => e.Value.Select(f => "cli/" + f).Concat(LibraryForTheCli).ToArray());
        Assert.That(Violations(Scan(), allowed), Is.Empty);
    }

    [Test]
    public void Every_folder_of_the_library_and_the_cli_has_a_place_in_the_layers()
    {
        IEnumerable<string> known = LibraryLayers.Keys.Select(f => "library/" + f).Concat(CliLayers.Keys.Select(f => "cli/" + f));
        Assert.That(Scan().Folders, Is.SubsetOf(known),
            "a new folder needs a place: add it to the tables of DependencyRuleTests and to docs/architecture.md");
    }

    [Test]
    public void The_scan_sees_the_references_the_layers_are_made_of()
    {
        // Guards the other tests: a scan that found no sources, or no references, would pass them all.
        HashSet<(string From, string To)> edges = [.. Scan().Uses.Select(u => (u.From, u.To))];
        Assert.That(edges, Is.SupersetOf(new[]
        {
            ("library/NativeLibrary", "library/Native"),
            ("library/Native", "library/ControlPlane"),
            ("library/Fake", "library/DataPlane"),
            ("library/DataPlane", "library/Interop"),
            ("cli/Commands", "cli/PktGen"),
            ("cli/Replay", "cli/Pcap"),
            ("cli/Shared", "library/NativeLibrary"),
        }));
    }

    /// <summary>Every use of a folder the table does not allow, as "from -> to: Type in File.cs".</summary>
    private static List<string> Violations(SourceScan scan, Dictionary<string, string[]> allowed) =>
        [.. scan.Uses
            .Where(u => allowed.TryGetValue(u.From, out string[]? below) && !below.Contains(u.To))
            .Select(u => $"{u.From} -> {u.To}: {u.Type} in {u.File}")
            .Order(StringComparer.Ordinal)];

    private sealed record Use(string From, string To, string Type, string File);

    private sealed record SourceScan(HashSet<string> Folders, List<Use> Uses);

    private static SourceScan? s_scan;

    /// <summary>Reads Netmap.Dynamic/ and Netmap.Dynamic.Cli/ once: who declares which type, and who names it.</summary>
    private static SourceScan Scan()
    {
        if (s_scan is not null) return s_scan;
        string root = RepositoryRoot();
        List<(string Folder, string File, string Code)> files = [];
        foreach ((string project, string prefix) in new[] { ("Netmap.Dynamic", "library/"), ("Netmap.Dynamic.Cli", "cli/") })
        {
            string dir = Path.Combine(root, project);
            foreach (string path in Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(dir, path).Replace('\\', '/');
                if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal)) continue;
                string folder = prefix + (Path.GetDirectoryName(relative) is { Length: > 0 } d ? d.Replace('\\', '/') : ".");
                files.Add((folder, project + "/" + relative, CodeOnly(File.ReadAllText(path))));
            }
        }

        Dictionary<string, HashSet<string>> declaredIn = new(StringComparer.Ordinal);
        foreach ((string folder, _, string code) in files)
        {
            foreach (Match m in TopLevelType().Matches(code))
            {
                if (!declaredIn.TryGetValue(m.Groups[1].Value, out HashSet<string>? folders))
                    declaredIn[m.Groups[1].Value] = folders = [];
                folders.Add(folder);
            }
        }

        List<Use> uses = [];
        foreach ((string folder, string file, string code) in files)
        {
            foreach (string name in Identifier().Matches(code).Select(m => m.Value).Distinct(StringComparer.Ordinal))
            {
                if (!declaredIn.TryGetValue(name, out HashSet<string>? owners) || owners.Contains(folder)) continue;
                uses.AddRange(owners.Select(owner => new Use(folder, owner, name, file)));
            }
        }
        Assert.That(files, Is.Not.Empty, $"no sources under {root}");
        return s_scan = new SourceScan([.. files.Select(f => f.Folder)], uses);
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Netmap.Dynamic.slnx"))) return dir.FullName;
        }
        Assert.Ignore($"the sources are not next to the test assembly ({AppContext.BaseDirectory}): the layers are checked in a checkout");
        return "";
    }

    /// <summary>The code without comments and string or char literals (their words are not uses).</summary>
    private static string CodeOnly(string source) => Literal().Replace(source, m => m.Value.StartsWith('/') ? " " : "\"\"");

    // Comments, then raw, verbatim, regular strings (interpolated or not) and chars, in one pass so that a "//" inside a string stays a string.
    [GeneratedRegex("""//[^\n]*|/\*[\s\S]*?\*/|\$*"{3,}[\s\S]*?"{3,}|\$?@"(?:[^"]|"")*"|@?\$?"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])+'""")]
    private static partial Regex Literal();

    // A type declared at the top level of a file-scoped namespace (column 0), with its modifiers.
    [GeneratedRegex(@"^(?:(?:public|internal|file|static|sealed|abstract|unsafe|partial|readonly|ref)\s+)*(?:class|struct|interface|enum|record(?:\s+struct|\s+class)?|delegate\s+[^(=;]+?)\s+([A-Za-z_]\w*)", RegexOptions.Multiline)]
    private static partial Regex TopLevelType();

    [GeneratedRegex(@"\b[A-Za-z_]\w*\b")]
    private static partial Regex Identifier();
}
