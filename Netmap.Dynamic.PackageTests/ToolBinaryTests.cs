using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Netmap.Dynamic.Cli;

namespace Netmap.Dynamic.PackageTests;

/// <summary>
/// The single-file Native AOT `netmap` binaries of `dotnet cake -target=PublishTool`
/// (NETMAP_TOOL_BINARIES, else artifacts/tool): the one for this machine runs as a user runs it,
/// copied alone into an empty folder, with no .NET installed as far as it can tell; the other
/// is checked to be an executable for its machine.
/// </summary>
[NonParallelizable]
public sealed class ToolBinaryTests
{
    private const ushort MachineX64 = 62;      // EM_X86_64
    private const ushort MachineArm64 = 183;   // EM_AARCH64

    private static readonly string Binaries = Environment.GetEnvironmentVariable("NETMAP_TOOL_BINARIES") is { Length: > 0 } value
        ? Path.GetFullPath(value, PackageFeed.RepositoryRoot)
        : Path.Combine(PackageFeed.RepositoryRoot, "artifacts", "tool");

    private static string HostRid => RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";

    private string _tool = "";

    [OneTimeSetUp]
    public void CopyTheHostBinaryAlone()
    {
        string built = BinaryFor(HostRid);
        string alone = Directory.CreateDirectory(Path.Combine(ConsumerWorkspace.Create("tool-binary", withConsumerApp: false), "bin")).FullName;
        _tool = Path.Combine(alone, "netmap");
        File.Copy(built, _tool, overwrite: true);   // keeps the file mode (executable)
    }

    [Test]
    public void TheBinaryProbesLikeTheInTreeCliWithTheShimLinkedIn()
    {
        CommandResult probe = CommandRunner.Run(_tool, Path.GetDirectoryName(_tool)!, "probe", "--json");
        using StringWriter inTreeOut = new(), inTreeErr = new();
        int inTreeExit = Program.Run(["probe", "--json"], TextReader.Null, inTreeOut, inTreeErr);
        JsonNode binary = JsonNode.Parse(probe.Output) ?? throw new AssertionException($"no JSON: {probe}");

        Assert.Multiple(() =>
        {
            Assert.That(probe.ExitCode, Is.EqualTo(inTreeExit), probe.ToString());
            Assert.That(binary["status"]?.GetValue<string>(), Is.EqualTo("DeviceNotFound").Or.EqualTo("Available"), "the shim was found and fits");
            Assert.That(binary["shim"]?["path"]?.GetValue<string>(), Is.EqualTo(_tool), "the shim is the executable itself");
            Assert.That(Directory.GetFiles(Path.GetDirectoryName(_tool)!), Is.EqualTo(new[] { _tool }), "nothing beside it");
            Assert.That(ToolPackageTests.WithoutBuildDetails(binary), Is.EqualTo(ToolPackageTests.WithoutBuildDetails(JsonNode.Parse(inTreeOut.ToString())!)));
        });
    }

    [Test]
    public void TheBinaryRunsPktGenOnTheFakeBackendAndEveryFrameArrivesChecked()
    {
        const int Frames = 200_000;
        CommandResult run = CommandRunner.Run(_tool, Path.GetDirectoryName(_tool)!,
            "pkt-gen", "--backend", "fake", "-f", "txrx", "-n", Frames.ToString(System.Globalization.CultureInfo.InvariantCulture), "--verify", "--json", "--rate-interval", "0");
        // The output holds stderr too: the result is its JSON line.
        string json = run.Output.Split('\n').LastOrDefault(line => line.StartsWith('{')) ?? throw new AssertionException($"no JSON: {run}");
        JsonNode result = JsonNode.Parse(json) ?? throw new AssertionException($"no JSON: {run}");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(result["passed"]?.GetValue<bool>(), Is.True, run.ToString());
            Assert.That(result["received"]?.GetValue<long>(), Is.EqualTo(Frames), run.ToString());
            Assert.That(result["lost"]?.GetValue<long>(), Is.Zero, run.ToString());
            Assert.That(result["corrupt"]?.GetValue<long>(), Is.Zero, run.ToString());
        });
    }

    [TestCase("linux-x64", MachineX64)]
    [TestCase("linux-arm64", MachineArm64)]
    public void EachBinaryIsA64BitExecutableForItsMachine(string rid, int machine)
    {
        byte[] header = new byte[64];
        using (FileStream file = File.OpenRead(BinaryFor(rid)))
            file.ReadExactly(header);

        Assert.Multiple(() =>
        {
            Assert.That(header[..4], Is.EqualTo("\u007fELF"u8.ToArray()), "ELF magic");
            Assert.That(header[4], Is.EqualTo(2), "ELFCLASS64");
            Assert.That(header[5], Is.EqualTo(1), "little-endian");
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(16)), Is.EqualTo(2).Or.EqualTo(3), "ET_EXEC or ET_DYN (PIE)");
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(18)), Is.EqualTo(machine), "e_machine");
        });
    }

    private static string BinaryFor(string rid)
    {
        string path = Path.Combine(Binaries, rid, "netmap");
        if (!File.Exists(path))
            Assert.Fail($"no tool binary at {path}: run `dotnet cake --target=PublishTool` first (or set NETMAP_TOOL_BINARIES)");
        return path;
    }
}
