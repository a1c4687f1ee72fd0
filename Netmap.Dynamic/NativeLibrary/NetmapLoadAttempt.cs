namespace Netmap.Dynamic;

/// <summary>One place the loader tried a native library, and what happened.</summary>
/// <param name="Library">Which library: <c>"shim"</c> or <c>"libc"</c>.</param>
/// <param name="Source">Why it was tried: <c>"resolver"</c>, <c>"option"</c>, <c>"environment"</c>, <c>"runtimes"</c>, <c>"app directory"</c>, <c>"system loader"</c>, <c>"default"</c>.</param>
/// <param name="Path">The path or name handed to the dynamic linker.</param>
/// <param name="Succeeded">Whether the library loaded.</param>
/// <param name="Outcome">"loaded", or the dynamic linker's own error text.</param>
public sealed record NetmapLoadAttempt(string Library, string Source, string Path, bool Succeeded, string Outcome)
{
    /// <summary>One line: <c>shim [option] /path: outcome</c>.</summary>
    public override string ToString() => $"{Library} [{Source}] {Path}: {Outcome}";
}
