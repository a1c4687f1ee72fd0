// Build script: `dotnet tool restore && dotnet cake --target=CI` runs everything CI runs (--target=Test: the tests alone).
var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
var solution = "./Netmap.Dynamic.slnx";
var testResults = MakeAbsolute(Directory("./artifacts/test-results"));

Task("Shim")
    .Description("Builds shim/libnetmap_shim.so with make (gcc), its test-only variants, and compiles the system-header path.")
    .Does(() =>
{
    // `dotnet build` runs make too (build/Shim.targets); this task also proves the system-header
    // path and its compile-time layout asserts build (check-system-path).
    var exit = StartProcess("make", new ProcessSettings { Arguments = "-C shim all test-variants check-system-path" });
    if (exit != 0)
        throw new Exception($"make -C shim failed with exit code {exit}: is gcc/make installed?");
});

Task("Build")
    .IsDependentOn("Shim")
    .Does(() =>
{
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration });
});

Task("Test")
    .IsDependentOn("Build")
    .Does(() =>
{
    CleanDirectory(testResults);
    DotNetTest(solution, new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        ResultsDirectory = testResults,
        Loggers = new[] { "trx", "console;verbosity=normal" },
    });
});

Task("Bench")
    .Description("Runs the benchmarks (short job) and their C references; writes artifacts/bench/results.md.")
    .IsDependentOn("Shim")
    .Does(() =>
{
    var exit = StartProcess("make", new ProcessSettings { Arguments = "-C Netmap.Dynamic.Benchmarks/cref" });
    if (exit != 0)
        throw new Exception($"make -C Netmap.Dynamic.Benchmarks/cref failed with exit code {exit}");
    DotNetRun("./Netmap.Dynamic.Benchmarks/Netmap.Dynamic.Benchmarks.csproj", new ProcessArgumentBuilder(), new DotNetRunSettings
    {
        Configuration = "Release",
    });
});

// ---- Packaging (issue 13; docs/packaging.md) ---------------------------------------------------
var packageFeed = MakeAbsolute(Directory("./artifacts/packages"));
var versionSuffix = Argument("version-suffix", "");

Task("Pack")
    .Description("Packs Netmap.Dynamic and the netmap tool (Netmap.Dynamic.Cli), each with its .snupkg, into artifacts/packages; --version-suffix=preview.1 makes a pre-release.")
    .IsDependentOn("Build")
    .Does(() =>
{
    CleanDirectory(packageFeed);
    foreach (var project in new[] { "./Netmap.Dynamic/Netmap.Dynamic.csproj", "./Netmap.Dynamic.Cli/Netmap.Dynamic.Cli.csproj" })
    {
        // Not NoBuild: the pack's own build carries the version suffix into the assemblies; with no
        // suffix it finds everything up to date. The shims of every RID are built by the pack itself.
        DotNetPack(project, new DotNetPackSettings
        {
            Configuration = configuration,
            OutputDirectory = packageFeed,
            VersionSuffix = versionSuffix,
        });
    }
});

// ---- The tool as single-file Native AOT binaries (docs/tools.md) --------------------------------
var toolOutput = MakeAbsolute(Directory("./artifacts/tool"));
var toolRids = Argument("rid", "linux-x64,linux-arm64").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var toolMachines = new Dictionary<string, string> { ["linux-x64"] = "X86-64", ["linux-arm64"] = "AArch64" };

Task("PublishTool")
    .Description("Publishes `netmap` Native AOT as one self-contained file per RID (the shim linked in) to artifacts/tool/<rid>/netmap and checks each with file/readelf; --rid=linux-x64 for one.")
    .Does(() =>
{
    foreach (var rid in toolRids)
    {
        if (!toolMachines.ContainsKey(rid))
            throw new Exception($"--rid: the tool is published for {string.Join(", ", toolMachines.Keys)}, not '{rid}'");
        // Published into obj/, then only the executable is copied out: it is the whole tool.
        var publishDir = MakeAbsolute(Directory($"./artifacts/obj/tool/{rid}"));
        CleanDirectory(publishDir);
        DotNetPublish("./Netmap.Dynamic.Cli/Netmap.Dynamic.Cli.csproj", new DotNetPublishSettings
        {
            Configuration = configuration,
            Runtime = rid,
            OutputDirectory = publishDir,
            MSBuildSettings = new DotNetMSBuildSettings().WithProperty("NetmapSingleFile", "true"),
        });
        var destination = toolOutput.Combine(rid);
        CleanDirectory(destination);
        CopyFile(publishDir.CombineWithFilePath("netmap"), destination.CombineWithFilePath("netmap"));
        var exit = StartProcess("sh", new ProcessSettings { Arguments = $"build/check-tool-binary.sh \"{destination.CombineWithFilePath("netmap")}\" {toolMachines[rid]}" });
        if (exit != 0)
            throw new Exception($"the {rid} tool binary failed its check (build/check-tool-binary.sh)");
    }
});

Task("PackageTest")
    .Description("Tests the packages and the tool binaries as a consumer gets them (Netmap.Dynamic.PackageTests): layout, a fresh app restored from artifacts/packages, its Native AOT publish, the tool installed from there, the single-file tool.")
    .IsDependentOn("Pack")
    .IsDependentOn("PublishTool")
    .Does(() =>
{
    DotNetTest("./Netmap.Dynamic.PackageTests/Netmap.Dynamic.PackageTests.csproj", new DotNetTestSettings
    {
        Configuration = configuration,
        ResultsDirectory = testResults,
        Loggers = new[] { "trx;LogFileName=package-tests.trx", "console;verbosity=normal" },
        EnvironmentVariables = new Dictionary<string, string>
        {
            ["NETMAP_PACKAGE_FEED"] = packageFeed.FullPath,
            ["NETMAP_TOOL_BINARIES"] = toolOutput.FullPath,
        },
    });
});

Task("CI")
    .Description("What .ci/run runs: the tests, the shim's tests under the sanitizers, then the packed-package and tool-binary tests.")
    .IsDependentOn("Test")
    .IsDependentOn("Sanitize")
    .IsDependentOn("PackageTest");
// ---- end of packaging ----------------------------------------------------------------------------

// ---- Sanitizers (docs/native.md, "Sanitizers") -----------------------------------------------
// The tests that call the shim, against the shim built with -fsanitize=address,undefined: libasan
// is preloaded into the test host (the sanitized shim cannot load into dotnet otherwise), the
// library loads that shim (NETMAP_DYNAMIC_SHIM) and the tests take it and its test variants from
// shim/build/sanitize (NETMAP_TEST_SHIM_DIR). --sanitize-filter=all runs every test (in the netmap lab).
var sanitizeFilter = Argument("sanitize-filter",
    "FullyQualifiedName~Netmap.Dynamic.Tests.Native|FullyQualifiedName~Netmap.Dynamic.Tests.Loading|FullyQualifiedName~Netmap.Dynamic.Tests.Errors");

Task("Sanitize")
    .Description("Runs the tests that call the shim against a shim built with AddressSanitizer and UndefinedBehaviorSanitizer (libasan preloaded); writes sanitize.trx.")
    .IsDependentOn("Build")
    .Does(() =>
{
    if (StartProcess("make", new ProcessSettings { Arguments = "-C shim sanitize" }) != 0)
        throw new Exception("make -C shim sanitize failed: gcc with libasan and libubsan (Debian: libgcc-12-dev) is needed");
    StartProcess("gcc", new ProcessSettings { Arguments = "-print-file-name=libasan.so", RedirectStandardOutput = true }, out var gccOutput);
    var libasan = gccOutput.FirstOrDefault() ?? "";
    if (!System.IO.File.Exists(libasan))
        throw new Exception($"gcc -print-file-name=libasan.so gave '{libasan}', not a file: is libasan installed?");
    var sanitized = MakeAbsolute(Directory("./shim/build/sanitize")).FullPath;
    var testAssembly = MakeAbsolute(File($"./Netmap.Dynamic.Tests/bin/{configuration}/net10.0/Netmap.Dynamic.Tests.dll")).FullPath;
    DotNetTest(testAssembly, new DotNetTestSettings
    {
        Filter = sanitizeFilter == "all" ? null : sanitizeFilter,
        ResultsDirectory = testResults,
        Loggers = new[] { "trx;LogFileName=sanitize.trx", "console;verbosity=minimal" },
        EnvironmentVariables = new Dictionary<string, string>
        {
            ["LD_PRELOAD"] = libasan,
            // .NET handles SIGSEGV itself (null references) and its runtime's allocations live for
            // the process: no leak check, no SEGV handler; any report ends the process.
            ["ASAN_OPTIONS"] = "detect_leaks=0:handle_segv=0:allow_user_segv_handler=1:use_sigaltstack=0:halt_on_error=1",
            ["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1",
            ["NETMAP_DYNAMIC_SHIM"] = sanitized + "/libnetmap_shim.so",
            ["NETMAP_TEST_SHIM_DIR"] = sanitized,
        },
    });
});
// ---- end of sanitizers ---------------------------------------------------------------------------

RunTarget(target);
