namespace Netmap.Dynamic;

/// <summary>
/// The netmap kernel module's tunables (<c>buf_size</c>, <c>buf_num</c>, <c>ring_size</c>,
/// <c>ring_num</c>, <c>if_size</c>, <c>admode</c>, <c>generic_rings</c>, ...), as Linux shows them
/// in <c>/sys/module/netmap/parameters/</c>. Worth a line in a probe report; not part of the
/// probe itself (which stays free of exceptions and file reads).
/// </summary>
public static class NetmapModuleParameters
{
    /// <summary>Where Linux shows the module's parameters.</summary>
    public const string DefaultDirectory = "/sys/module/netmap/parameters";

    /// <summary>
    /// Every readable parameter of <paramref name="directory"/>, by name, values trimmed; empty when
    /// the directory does not exist (module not loaded, or not Linux). Unreadable entries are skipped.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Read(string directory = DefaultDirectory)
    {
        SortedDictionary<string, string> values = new(StringComparer.Ordinal);
        if (!Directory.Exists(directory))
            return values;
        try
        {
            foreach (string file in Directory.EnumerateFiles(directory))
            {
                try
                {
                    values[Path.GetFileName(file)] = File.ReadAllText(file).Trim();
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Some parameters are write-only or root-only: leave them out.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The directory went away (module unloaded) or cannot be listed: report what was read.
        }
        return values;
    }
}
