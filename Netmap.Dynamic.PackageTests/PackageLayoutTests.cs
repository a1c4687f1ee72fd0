using System.Buffers.Binary;
using System.Reflection.Metadata;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Netmap.Dynamic.PackageTests;

/// <summary>What the packed .nupkg and .snupkg files hold, read as NuGet reads them.</summary>
public sealed partial class PackageLayoutTests
{
    /// <summary>The RIDs a package carries and the ELF e_machine each one's shim must have.</summary>
    private static readonly (string Rid, ushort Machine)[] ShimRids = [("linux-x64", 62 /* EM_X86_64 */), ("linux-arm64", 183 /* EM_AARCH64 */)];

    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");
    private static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    [Test]
    public void TheLibraryCarriesOneShimFilePerRidUnderRuntimesNative()
    {
        PackageFile package = PackageFeed.Find(PackageFeed.LibraryId);
        List<string> runtimes = package.EntryNames().Where(e => e.StartsWith("runtimes/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

        Assert.That(runtimes, Is.EqualTo(ShimRids.Select(r => $"runtimes/{r.Rid}/native/libnetmap_shim.so").Order(StringComparer.Ordinal)));
        Assert.That(package.EntryNames(), Does.Contain("lib/net10.0/Netmap.Dynamic.dll").And.Contain("README.md"));
    }

    [TestCaseSource(nameof(ShimRidCases))]
    public void EachPackagedShimIsASharedObjectForItsArchitecture(string rid, int machine)
    {
        byte[] elf = PackageFeed.Find(PackageFeed.LibraryId).ReadEntry($"runtimes/{rid}/native/libnetmap_shim.so");

        Assert.Multiple(() =>
        {
            Assert.That(elf.AsSpan(0, 4).ToArray(), Is.EqualTo("\u007fELF"u8.ToArray()), "ELF magic");
            Assert.That(elf[4], Is.EqualTo(2), "ELFCLASS64");
            Assert.That(elf[5], Is.EqualTo(1), "little endian");
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(16)), Is.EqualTo(3), "ET_DYN");
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(18)), Is.EqualTo(machine), "e_machine");
        });
    }

    [Test]
    public void TheLibraryNuspecHasLicenceReadmeProjectUrlRepositoryCommitAndTags()
    {
        PackageFile package = PackageFeed.Find(PackageFeed.LibraryId);
        XElement metadata = package.ReadMetadata();
        XElement license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        XElement repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");

        Assert.Multiple(() =>
        {
            Assert.That(license.Attribute("type")?.Value, Is.EqualTo("expression"));
            Assert.That(license.Value, Is.EqualTo("MIT OR Apache-2.0"));
            Assert.That(PackageFile.Value(metadata, "readme"), Is.EqualTo("README.md"));
            Assert.That(PackageFile.Value(metadata, "projectUrl"), Does.StartWith("https://"));
            Assert.That(repository.Attribute("url")?.Value, Does.StartWith("https://"));
            Assert.That(repository.Attribute("commit")?.Value, Does.Match("^[0-9a-f]{40}$"));
            Assert.That(PackageFile.Value(metadata, "tags").Split(' '), Does.Contain("netmap"));
            Assert.That(Encoding.UTF8.GetString(package.ReadEntry("README.md")), Does.Contain("NetmapLibrary.TryLoad").And.Contain("FakeNetmapBackend"));
        });
    }

    [Test]
    public void BothPackagesTakeTheirVersionFromDirectoryBuildProps()
    {
        string props = File.ReadAllText(Path.Combine(PackageFeed.RepositoryRoot, "Directory.Build.props"));
        string prefix = VersionPrefix().Match(props).Groups[1].Value;

        Assert.That(prefix, Is.Not.Empty, "Directory.Build.props sets VersionPrefix");
        Assert.Multiple(() =>
        {
            Assert.That(PackageFeed.Find(PackageFeed.LibraryId).Version, Does.Match($"^{Regex.Escape(prefix)}(-[0-9A-Za-z.-]+)?$"));
            Assert.That(PackageFeed.Find(PackageFeed.ToolId).Version, Is.EqualTo(PackageFeed.Find(PackageFeed.LibraryId).Version));
        });
    }

    [Test]
    public void TheSymbolPackageHoldsAPdbWithSourceLinkAndEmbeddedUntrackedSources()
    {
        PackageFile symbols = PackageFeed.Find(PackageFeed.LibraryId, ".snupkg");
        using MetadataReaderProvider provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(symbols.ReadEntry("lib/net10.0/Netmap.Dynamic.pdb")));
        MetadataReader pdb = provider.GetMetadataReader();
        List<Guid> kinds = pdb.CustomDebugInformation.Select(h => pdb.GetGuid(pdb.GetCustomDebugInformation(h).Kind)).ToList();
        string sourceLink = pdb.CustomDebugInformation
            .Select(h => pdb.GetCustomDebugInformation(h))
            .Where(i => pdb.GetGuid(i.Kind) == SourceLinkKind)
            .Select(i => Encoding.UTF8.GetString(pdb.GetBlobBytes(i.Value)))
            .SingleOrDefault() ?? "";
        string commit = PackageFeed.Find(PackageFeed.LibraryId).ReadMetadata().Elements().Single(e => e.Name.LocalName == "repository").Attribute("commit")!.Value;

        Assert.Multiple(() =>
        {
            Assert.That(sourceLink, Does.Contain($"/{commit}/*"), "SourceLink maps the sources to the packed commit");
            Assert.That(kinds, Does.Contain(EmbeddedSourceKind), "untracked (generated) sources are embedded");
        });
    }

    [Test]
    public void TheToolPackageRunsNetmapAndCarriesTheLibrarysShims()
    {
        PackageFile tool = PackageFeed.Find(PackageFeed.ToolId);
        PackageFile library = PackageFeed.Find(PackageFeed.LibraryId);
        XDocument settings = XDocument.Parse(Encoding.UTF8.GetString(tool.ReadEntry("tools/net10.0/any/DotnetToolSettings.xml")).TrimStart('\uFEFF'));
        XElement packageTypes = tool.ReadMetadata().Elements().Single(e => e.Name.LocalName == "packageTypes");

        Assert.Multiple(() =>
        {
            Assert.That(settings.Descendants("Command").Single().Attribute("Name")?.Value, Is.EqualTo("netmap"));
            Assert.That(packageTypes.Elements().Select(e => e.Attribute("name")?.Value), Does.Contain("DotnetTool"));
            foreach ((string rid, _) in ShimRids)
            {
                Assert.That(tool.ReadEntry($"tools/net10.0/any/runtimes/{rid}/native/libnetmap_shim.so"),
                    Is.EqualTo(library.ReadEntry($"runtimes/{rid}/native/libnetmap_shim.so")), $"the tool's {rid} shim is the library package's");
            }
        });
    }

    private static IEnumerable<TestCaseData> ShimRidCases() => ShimRids.Select(r => new TestCaseData(r.Rid, (int)r.Machine));

    [GeneratedRegex("<VersionPrefix>([^<]+)</VersionPrefix>")]
    private static partial Regex VersionPrefix();
}
