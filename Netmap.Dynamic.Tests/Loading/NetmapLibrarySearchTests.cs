using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Tests.Loading;

/// <summary>Where the loader finds the shim, and what it records when it does not (real dlopen, no mocks).</summary>
[Platform(Include = "Linux")]
[NonParallelizable] // one test sets a process-wide environment variable
public sealed class NetmapLibrarySearchTests
{
    private DirectoryInfo _temp = null!;

    [SetUp]
    public void SetUp() => _temp = Directory.CreateTempSubdirectory("netmap-loader-");

    [TearDown]
    public void TearDown() => _temp.Delete(recursive: true);

    [Test]
    public void An_explicit_path_loads_that_shim()
    {
        string copy = CopyShimTo(Path.Combine(_temp.FullName, "elsewhere"));

        NetmapProbeResult result = NetmapLibrary.Probe(NativeTestFiles.Isolated(EmptyDirectory(), shimPath: copy));

        Assert.Multiple(() =>
        {
            Assert.That(result.ShimPath, Is.EqualTo(copy));
            Assert.That(result.Attempts[0], Is.EqualTo(new NetmapLoadAttempt("shim", "option", copy, true, "loaded")));
            Assert.That(result.IsLibraryLoaded, Is.True);
            Assert.That(result.Status, Is.EqualTo(NetmapProbeStatus.DeviceNotFound));
        });
    }

    [Test]
    public void A_relative_explicit_path_is_taken_from_the_current_directory()
    {
        string copy = CopyShimTo(_temp.FullName);
        string previous = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = _temp.FullName;
            NetmapProbeResult result = NetmapLibrary.Probe(NativeTestFiles.Isolated(EmptyDirectory(), shimPath: "libnetmap_shim.so"));
            Assert.That(result.ShimPath, Is.EqualTo(copy));
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }

    [Test]
    public void The_environment_variable_names_the_shim()
    {
        string copy = CopyShimTo(Path.Combine(_temp.FullName, "from-env"));
        NetmapLoadOptions options = NativeTestFiles.Isolated(EmptyDirectory());
        options.UseEnvironmentVariable = true;

        string? previous = Environment.GetEnvironmentVariable(NetmapLoadOptions.ShimPathEnvironmentVariable);
        Environment.SetEnvironmentVariable(NetmapLoadOptions.ShimPathEnvironmentVariable, copy);
        try
        {
            NetmapProbeResult result = NetmapLibrary.Probe(options);
            Assert.Multiple(() =>
            {
                Assert.That(NetmapLoadOptions.ShimPathEnvironmentVariable, Is.EqualTo("NETMAP_DYNAMIC_SHIM"));
                Assert.That(result.ShimPath, Is.EqualTo(copy));
                Assert.That(result.Attempts[0].Source, Is.EqualTo("environment"));
                Assert.That(result.IsLibraryLoaded, Is.True);
            });
        }
        finally
        {
            Environment.SetEnvironmentVariable(NetmapLoadOptions.ShimPathEnvironmentVariable, previous);
        }
    }

    [Test]
    public void The_apps_runtimes_directory_is_searched_by_default()
    {
        NetmapProbeResult result = NetmapLibrary.Probe(new NetmapLoadOptions
        {
            DevicePath = NativeTestFiles.MissingDevice,
            UseEnvironmentVariable = false,
        });

        Assert.Multiple(() =>
        {
            Assert.That(result.ShimPath, Is.EqualTo(NativeTestFiles.Shim));
            Assert.That(result.ShimPath, Does.StartWith(Path.Combine(AppContext.BaseDirectory, "runtimes")));
            Assert.That(result.Attempts.Last(a => a.Library == "shim").Source, Is.EqualTo("runtimes"));
            Assert.That(result.IsLibraryLoaded, Is.True);
        });
    }

    [Test]
    public void The_app_directory_itself_is_searched_after_runtimes()
    {
        string copy = CopyShimTo(_temp.FullName);
        NetmapLoadOptions options = NativeTestFiles.Isolated(_temp.FullName);

        NetmapProbeResult result = NetmapLibrary.Probe(options);

        Assert.Multiple(() =>
        {
            Assert.That(result.ShimPath, Is.EqualTo(copy));
            Assert.That(result.Attempts.Where(a => a.Library == "shim").Select(a => a.Source),
                Is.EqualTo(NetmapLoader.RuntimeIdentifiers().Select(_ => "runtimes").Append("app directory")));
        });
    }

    [Test]
    public void A_missing_shim_is_ShimNotFound_with_every_attempt_and_the_linkers_text()
    {
        string empty = EmptyDirectory();
        NetmapLoadOptions options = NativeTestFiles.Isolated(empty);
        options.UseSystemLoader = true;

        NetmapProbeResult result = NetmapLibrary.Probe(options);

        string[] expectedPaths =
        [
            .. NetmapLoader.RuntimeIdentifiers().Select(rid => Path.Combine(empty, "runtimes", rid, "native", "libnetmap_shim.so")),
            Path.Combine(empty, "libnetmap_shim.so"),
            "libnetmap_shim.so.1",
            "libnetmap_shim.so",
        ];
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(NetmapProbeStatus.ShimNotFound));
            Assert.That(result.IsLibraryLoaded, Is.False);
            Assert.That(result.ShimPath, Is.Null);
            Assert.That(result.Attempts.Select(a => a.Path), Is.EqualTo(expectedPaths));
            Assert.That(result.Attempts, Has.All.Matches<NetmapLoadAttempt>(a => !a.Succeeded));
            // glibc's own words for a missing file.
            Assert.That(result.Attempts, Has.All.Matches<NetmapLoadAttempt>(a => a.Outcome.Contains("No such file or directory", StringComparison.Ordinal)));
            Assert.That(result.Message, Does.Contain("make -C shim").And.Contain(NetmapLoadOptions.ShimPathEnvironmentVariable));
            Assert.That(result.ToString(), Does.Contain(expectedPaths[0]).And.Contain("ShimNotFound"));
        });
    }

    [Test]
    public void An_explicit_path_that_does_not_load_stops_the_search()
    {
        // The app directory holds a good shim, but the caller asked for another file.
        CopyShimTo(_temp.FullName);
        string missing = Path.Combine(_temp.FullName, "nope", "libnetmap_shim.so");

        NetmapProbeResult result = NetmapLibrary.Probe(NativeTestFiles.Isolated(_temp.FullName, shimPath: missing));

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(NetmapProbeStatus.ShimNotFound));
            Assert.That(result.Attempts, Has.Count.EqualTo(1));
            Assert.That(result.Attempts[0].Path, Is.EqualTo(missing));
            Assert.That(result.Message, Does.Contain("ShimPath"));
        });
    }

    [Test]
    public void A_file_that_is_not_a_shared_library_is_reported_with_the_linkers_reason()
    {
        string bogus = Path.Combine(_temp.FullName, "libnetmap_shim.so");
        File.WriteAllText(bogus, "this is not an ELF file, just text long enough to have a header's worth of bytes in it.\n");

        NetmapProbeResult result = NetmapLibrary.Probe(NativeTestFiles.Isolated(EmptyDirectory(), shimPath: bogus));

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(NetmapProbeStatus.ShimNotFound));
            Assert.That(result.Attempts.Single().Succeeded, Is.False);
            Assert.That(result.Attempts.Single().Outcome, Does.Contain(bogus).And.Contain("ELF").IgnoreCase);
        });
    }

    [Test]
    public void A_resolvers_handle_is_used_and_not_freed()
    {
        nint handle = NativeLibrary.Load(NativeTestFiles.Shim);
        try
        {
            NetmapLoadOptions options = NativeTestFiles.Isolated(EmptyDirectory());
            options.ShimResolver = () => handle;

            NetmapProbeResult result = NetmapLibrary.Probe(options);

            Assert.Multiple(() =>
            {
                Assert.That(result.Attempts[0], Is.EqualTo(new NetmapLoadAttempt("shim", "resolver", "ShimResolver", true, "loaded")));
                Assert.That(result.IsLibraryLoaded, Is.True);
                // Still ours: the export resolves after the probe released what it owned.
                Assert.That(NativeLibrary.TryGetExport(handle, "nmshim_version", out _), Is.True);
            });
        }
        finally
        {
            NativeLibrary.Free(handle);
        }
    }

    [Test]
    public void A_resolver_that_declines_or_throws_lets_the_search_go_on()
    {
        string copy = CopyShimTo(_temp.FullName);
        NetmapLoadOptions declines = NativeTestFiles.Isolated(_temp.FullName);
        declines.ShimResolver = () => 0;
        NetmapLoadOptions throws = NativeTestFiles.Isolated(_temp.FullName);
        throws.ShimResolver = () => throw new InvalidOperationException("resolver broke");

        NetmapProbeResult declined = NetmapLibrary.Probe(declines);
        NetmapProbeResult threw = NetmapLibrary.Probe(throws);

        Assert.Multiple(() =>
        {
            Assert.That(declined.Attempts[0].Outcome, Does.Contain("declined"));
            Assert.That(declined.ShimPath, Is.EqualTo(copy));
            Assert.That(threw.Attempts[0].Outcome, Does.Contain("InvalidOperationException").And.Contain("resolver broke"));
            Assert.That(threw.ShimPath, Is.EqualTo(copy));
        });
    }

    private string EmptyDirectory() => _temp.CreateSubdirectory("empty-" + Guid.NewGuid().ToString("N")).FullName;

    private static string CopyShimTo(string directory)
    {
        Directory.CreateDirectory(directory);
        string copy = Path.Combine(directory, "libnetmap_shim.so");
        File.Copy(NativeTestFiles.Shim, copy);
        return copy;
    }
}
