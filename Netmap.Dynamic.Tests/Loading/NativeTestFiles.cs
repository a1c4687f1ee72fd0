
namespace Netmap.Dynamic.Tests.Loading;

/// <summary>Where the build put the real shim and the test-only variants (see the test csproj).</summary>
internal static class NativeTestFiles
{
    /// <summary>
    /// <c>NETMAP_TEST_SHIM_DIR</c>: a shim build directory (shim/Makefile's <c>OUT</c>, e.g.
    /// <c>shim/build/sanitize</c>) whose shim and test variants the tests load instead of those in
    /// the test output; build.cake's Sanitize task points it at the sanitizer build.
    /// </summary>
    public const string ShimDirectoryVariable = "NETMAP_TEST_SHIM_DIR";

    private static string? ShimDirectory => Environment.GetEnvironmentVariable(ShimDirectoryVariable) is { Length: > 0 } d ? d : null;

    /// <summary>The shim the tests load by path: the one in <see cref="ShimDirectoryVariable"/>, else <see cref="OutputShim"/>.</summary>
    public static string Shim => ShimDirectory is string directory ? Path.Combine(directory, "libnetmap_shim.so") : OutputShim;

    /// <summary>The shim the library's build placed under runtimes/&lt;rid&gt;/native/ of the test output (what the default search finds).</summary>
    public static string OutputShim
    {
        get
        {
            foreach (string rid in NetmapLoader.RuntimeIdentifiers())
            {
                string path = Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native", "libnetmap_shim.so");
                if (File.Exists(path))
                    return path;
            }
            Assert.Fail("libnetmap_shim.so is not in the test output: did the build run make -C shim (gcc and make installed)?");
            return "";
        }
    }

    /// <summary>A test-only variant: v99, noprobe, badlayout, kernel14 (a kernel accepting API 14..15), kernel16 (accepting only 16).</summary>
    public static string Variant(string name)
    {
        string path = ShimDirectory is string directory
            ? Path.Combine(directory, "test", $"libnetmap_shim_{name}.so")
            : Path.Combine(AppContext.BaseDirectory, "native-test", $"libnetmap_shim_{name}.so");
        Assert.That(File.Exists(path), Is.True, $"test shim variant {path} was not built (shim/Makefile test-variants)");
        return path;
    }

    /// <summary>A device path that does not exist.</summary>
    public static string MissingDevice => Path.Combine(Path.GetTempPath(), "netmap-dynamic-tests", "no-such-device");

    /// <summary>Options that find nothing on their own: no environment variable, an empty app directory, no system loader.</summary>
    public static NetmapLoadOptions Isolated(string emptyDirectory, string? shimPath = null, string? devicePath = null) => new()
    {
        ShimPath = shimPath,
        DevicePath = devicePath ?? MissingDevice,
        ApplicationDirectory = emptyDirectory,
        UseEnvironmentVariable = false,
        UseSystemLoader = false,
    };
}
