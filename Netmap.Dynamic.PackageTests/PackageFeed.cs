using System.IO.Compression;
using System.Xml.Linq;

namespace Netmap.Dynamic.PackageTests;

/// <summary>One package file of the feed, with the id and version its nuspec declares.</summary>
internal sealed record PackageFile(string Path, string Id, string Version)
{
    /// <summary>The package at that path, or null when it has no nuspec at its root.</summary>
    public static PackageFile? TryOpen(string path)
    {
        XElement? metadata = ReadMetadata(path);
        return metadata is null ? null : new PackageFile(path, Value(metadata, "id"), Value(metadata, "version"));
    }

    /// <summary>The nuspec's metadata element.</summary>
    public XElement ReadMetadata() => ReadMetadata(Path) ?? throw new InvalidDataException($"{Path} has no nuspec");

    /// <summary>The text of one metadata element (id, version, readme, ...).</summary>
    public static string Value(XElement metadata, string name) =>
        metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";

    private static XElement? ReadMetadata(string path)
    {
        using ZipArchive zip = ZipFile.OpenRead(path);
        ZipArchiveEntry? nuspec = zip.Entries.SingleOrDefault(e => !e.FullName.Contains('/', StringComparison.Ordinal) && e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        if (nuspec is null)
            return null;
        using Stream stream = nuspec.Open();
        return XDocument.Load(stream).Root?.Elements().SingleOrDefault(e => e.Name.LocalName == "metadata");
    }

    /// <summary>The bytes of one file inside the package.</summary>
    public byte[] ReadEntry(string fullName)
    {
        using ZipArchive zip = ZipFile.OpenRead(Path);
        ZipArchiveEntry entry = zip.GetEntry(fullName) ?? throw new FileNotFoundException($"{fullName} is not in {Path}");
        using Stream stream = entry.Open();
        using MemoryStream copy = new();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public IReadOnlyList<string> EntryNames()
    {
        using ZipArchive zip = ZipFile.OpenRead(Path);
        return zip.Entries.Select(e => e.FullName).ToList();
    }
}

/// <summary>
/// The local feed `dotnet cake -target=Pack` fills (NETMAP_PACKAGE_FEED, else artifacts/packages)
/// and the work folder of these tests (NETMAP_PACKAGE_TEST_DIR, else artifacts/package-test).
/// </summary>
internal static class PackageFeed
{
    public const string LibraryId = "Netmap.Dynamic";
    public const string ToolId = "Netmap.Dynamic.Cli";

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Directory { get; } = FromEnvironment("NETMAP_PACKAGE_FEED", Path.Combine(RepositoryRoot, "artifacts", "packages"));

    public static string WorkDirectory { get; } = FromEnvironment("NETMAP_PACKAGE_TEST_DIR", Path.Combine(RepositoryRoot, "artifacts", "package-test"));

    /// <summary>The one package of that id in the feed (.nupkg, or .snupkg for its symbols).</summary>
    public static PackageFile Find(string id, string extension = ".nupkg")
    {
        if (!System.IO.Directory.Exists(Directory))
            Assert.Fail($"no package feed at {Directory}: run `dotnet cake --target=Pack` first (or set NETMAP_PACKAGE_FEED)");
        List<PackageFile> found = System.IO.Directory.GetFiles(Directory, "*" + extension)
            .Select(PackageFile.TryOpen)
            .OfType<PackageFile>()
            .Where(p => p.Id == id)
            .ToList();
        Assert.That(found, Has.Count.EqualTo(1), $"exactly one {id}{extension} expected in {Directory} (Pack cleans the feed first)");
        return found[0];
    }

    /// <summary>A folder named by an environment variable (relative to the repository root), else the fallback.</summary>
    private static string FromEnvironment(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? Path.GetFullPath(value, RepositoryRoot) : fallback;

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Netmap.Dynamic.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"Netmap.Dynamic.slnx not found above {AppContext.BaseDirectory}");
    }
}
