namespace Netmap.Dynamic.Tests.Docs;

/// <summary>
/// The documentation's programs cannot drift from the library: every block marked
/// <c>```csharp program</c> compiles as a new console app referencing the package, and the quick
/// start runs.
/// </summary>
public sealed class DocProgramTests
{
    private static IEnumerable<TestCaseData> Programs() =>
        DocPrograms.All().Select(b => new TestCaseData(b).SetArgDisplayNames(b.ToString()));

    [TestCaseSource(nameof(Programs))]
    public void A_program_in_the_docs_compiles_with_no_warning_as_a_console_app(DocPrograms.Block block)
    {
        var (problems, _) = ProgramCompiler.Compile(block.File, block.Code);
        Assert.That(problems.Select(p => p.ToString()), Is.Empty, $"{block} no longer compiles");
    }

    [Test]
    public void The_quick_start_opens_both_readmes_after_the_two_commands_and_is_the_same_program()
    {
        DocPrograms.Block readme = DocPrograms.Read("README.md").First();
        DocPrograms.Block package = DocPrograms.Read(Path.Combine("Netmap.Dynamic", "README.md")).First();
        string[] lines = File.ReadAllLines(Path.Combine(DocPrograms.RepositoryRoot, "README.md"));
        int commandsEnd = Array.FindIndex(lines, 2, l => l.StartsWith("```", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(lines[2], Does.StartWith("```sh"), "README.md starts with its two commands");
            Assert.That(lines[3], Does.Contain("pkt-gen"));
            Assert.That(lines[4], Does.Contain("dotnet cake --target=CI"));
            Assert.That(readme.Line, Is.LessThan(commandsEnd + 20), "the quick start follows the commands");
            Assert.That(package.Code, Is.EqualTo(readme.Code), "one quick start in both READMEs");
            Assert.That(readme.Code.Split('\n'), Has.Length.InRange(20, 40), "about 30 lines");
        });
    }

    [Test]
    public void The_quick_start_sends_and_receives_ten_thousand_frames_on_the_fake_backend()
    {
        DocPrograms.Block quickStart = DocPrograms.Read("README.md").First();
        var (problems, image) = ProgramCompiler.Compile("QuickStart", quickStart.Code);
        Assert.That(problems.Select(p => p.ToString()), Is.Empty);

        string output = ProgramCompiler.Run(image!);

        Assert.That(output, Does.Contain("fake backend: sent and received 10000 frames"));
    }
}
