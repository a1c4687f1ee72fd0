// Build script: `dotnet tool restore && dotnet cake --target=Test` runs everything CI runs.
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

RunTarget(target);
