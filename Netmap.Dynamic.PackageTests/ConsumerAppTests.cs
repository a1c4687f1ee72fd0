using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Netmap.Dynamic.PackageTests;

/// <summary>
/// A fresh console app that references Netmap.Dynamic from the local feed, built as usual and
/// published with Native AOT: it must find the packaged shim with no configuration and see what
/// an in-tree build sees (DeviceNotFound here, Available on a netmap host).
/// </summary>
[NonParallelizable]
public sealed partial class ConsumerAppTests
{
    private PackageFile _package = null!;
    private string _app = "";
    private string _inTree = "";

    private static string Rid => RuntimeInformation.RuntimeIdentifier;

    [OneTimeSetUp]
    public void CreateTheApp()
    {
        _package = PackageFeed.Find(PackageFeed.LibraryId);
        _app = ConsumerWorkspace.Create("consumer", withConsumerApp: true);
        ConsumerWorkspace.ForgetCachedPackage(_package.Id, _package.Version);

        NetmapLibrary.TryLoad(out NetmapLibrary? library, out NetmapProbeResult probe);
        library?.Dispose();
        _inTree = ProbeSummary.Describe(probe);
    }

    [Test]
    public void TheAppRestoredFromTheFeedFindsThePackagedShimAndSeesWhatTheInTreeBuildSees()
    {
        CommandResult build = CommandRunner.RunDotNet(_app, "build", "-c", "Release", $"-p:NetmapDynamicVersion={_package.Version}");
        Assert.That(build.ExitCode, Is.Zero, build.ToString());

        string output = Path.Combine(_app, "bin", "Release", "net10.0");
        CommandResult run = CommandRunner.RunDotNet(output, Path.Combine(output, "Consumer.dll"));
        (string summary, string shimPath) = Parse(run);

        Assert.Multiple(() =>
        {
            Assert.That(RestoredPackageHash(), Is.EqualTo(FeedPackageHash()), "the package restored is the one in the feed");
            Assert.That(summary, Is.EqualTo(_inTree), run.ToString());
            Assert.That(summary, Does.StartWith("status=DeviceNotFound").Or.StartWith("status=Available"), "the shim was found and fits");
            Assert.That(shimPath, Is.EqualTo(Path.Combine(output, "runtimes", Rid, "native", "libnetmap_shim.so")));
            Assert.That(File.ReadAllBytes(shimPath), Is.EqualTo(_package.ReadEntry($"runtimes/{Rid}/native/libnetmap_shim.so")));
        });
    }

    [Test]
    public void TheAppPublishedWithNativeAotHasNoWarningsAndSeesTheSame()
    {
        string published = Path.Combine(_app, "aot");
        CommandResult publish = CommandRunner.RunDotNet(_app, "publish", "-c", "Release", "-r", Rid, "-p:PublishAot=true",
            $"-p:NetmapDynamicVersion={_package.Version}", "-o", published);
        Assert.That(publish.ExitCode, Is.Zero, publish.ToString());
        List<string> warnings = publish.Output.Split('\n').Where(l => Warning().IsMatch(l)).ToList();
        Assert.That(warnings, Is.Empty, publish.ToString());

        CommandResult run = CommandRunner.Run(Path.Combine(published, "Consumer"), published);
        (string summary, string shimPath) = Parse(run);

        Assert.Multiple(() =>
        {
            Assert.That(summary, Is.EqualTo(_inTree), run.ToString());
            Assert.That(shimPath, Is.EqualTo(Path.Combine(published, "libnetmap_shim.so")), "a RID-specific publish puts the package's native asset beside the executable");
        });
    }

    /// <summary>The consumer's answer: the probe summary, and on its last line where the shim was loaded from.</summary>
    private static (string Summary, string ShimPath) Parse(CommandResult run)
    {
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        List<string> lines = run.Output.TrimEnd('\n').Split('\n').ToList();
        const string Prefix = "shimPath=";
        Assert.That(lines[^1], Does.StartWith(Prefix), run.ToString());
        return (string.Join('\n', lines[..^1]), lines[^1][Prefix.Length..]);
    }

    private string RestoredPackageHash()
    {
        string folder = Path.Combine(ConsumerWorkspace.GlobalPackagesFolder(), _package.Id.ToLowerInvariant(), _package.Version.ToLowerInvariant());
        return File.ReadAllText(Path.Combine(folder, $"{_package.Id.ToLowerInvariant()}.{_package.Version.ToLowerInvariant()}.nupkg.sha512")).Trim();
    }

    private string FeedPackageHash() => Convert.ToBase64String(SHA512.HashData(File.ReadAllBytes(_package.Path)));

    /// <summary>An MSBuild warning line: "...: warning IL2026: ..." (trim), IL3050 (AOT), NU1603, CS8602, ...</summary>
    [GeneratedRegex(@":\s*warning\s+[A-Z]+[0-9]+\s*:")]
    private static partial Regex Warning();
}
