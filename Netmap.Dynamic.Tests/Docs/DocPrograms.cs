using System.Text.RegularExpressions;

namespace Netmap.Dynamic.Tests.Docs;

/// <summary>
/// The code blocks of the user documentation that are marked as whole programs: a fence opened
/// with <c>```csharp program</c> in README.md, the package README (Netmap.Dynamic/README.md) or
/// docs/*.md. Only marked blocks are programs; the other blocks are fragments.
/// </summary>
public static partial class DocPrograms
{
    public const string Marker = "```csharp program";

    /// <summary>One marked block: the file it is in (relative to the repository), its first line, its code.</summary>
    public sealed record Block(string File, int Line, string Code)
    {
        public override string ToString() => $"{File}:{Line}";
    }

    /// <summary>The repository root: the first folder up from the test assembly that holds Netmap.Dynamic.slnx.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    public static IEnumerable<string> Documents()
    {
        yield return "README.md";
        yield return Path.Combine("Netmap.Dynamic", "README.md");
        foreach (string doc in Directory.GetFiles(Path.Combine(RepositoryRoot, "docs"), "*.md").Order(StringComparer.Ordinal))
            yield return Path.GetRelativePath(RepositoryRoot, doc);
    }

    public static IReadOnlyList<Block> All() => Documents().SelectMany(Read).ToList();

    public static IEnumerable<Block> Read(string relativePath)
    {
        string[] lines = File.ReadAllLines(Path.Combine(RepositoryRoot, relativePath));
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimEnd() != Marker) continue;
            int start = i + 1;
            int end = start;
            while (end < lines.Length && !Fence().IsMatch(lines[end])) end++;
            if (end == lines.Length)
                throw new InvalidDataException($"{relativePath}:{i + 1}: a program block that is never closed.");
            yield return new Block(relativePath, start + 1, string.Join('\n', lines[start..end]));
            i = end;
        }
    }

    [GeneratedRegex(@"^\s*```\s*$")]
    private static partial Regex Fence();

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Netmap.Dynamic.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No Netmap.Dynamic.slnx above {AppContext.BaseDirectory}.");
    }
}
