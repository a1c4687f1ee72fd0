using System.Text.Json;
using Netmap.Dynamic.Cli;

namespace Netmap.Dynamic.Tests.Cli.Commands;

/// <summary>`netmap parse`, run in-process through Program.Run.</summary>
public class ParseCommandTests
{
    private static (int Exit, string Out, string Err) Run(string stdin, params string[] args)
    {
        using StringReader input = new(stdin);
        using StringWriter output = new();
        using StringWriter error = new();
        int exit = Program.Run(args, input, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static List<JsonElement> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [Test]
    public void Json_uses_libnetmap_field_names_and_exit_0_when_all_parse()
    {
        (int exit, string output, _) = Run("", "parse", "--json", "netmap:eth0-1/R@3", "vale0:a@conf:rings=4,host-tx-rings=2,slots=256");
        Assert.That(exit, Is.Zero);
        List<JsonElement> lines = Lines(output);
        Assert.That(lines, Has.Count.EqualTo(2));

        JsonElement a = lines[0];
        Assert.That(a.GetProperty("ok").GetBoolean(), Is.True);
        Assert.That(a.GetProperty("nr_name").GetString(), Is.EqualTo("eth0"));
        Assert.That(a.GetProperty("nr_mode").GetInt32(), Is.EqualTo(4));
        Assert.That(a.GetProperty("nr_ringid").GetInt32(), Is.EqualTo(1));
        Assert.That(a.GetProperty("nr_flags").GetInt64(), Is.EqualTo(0x2000));
        Assert.That(a.GetProperty("nr_mem_id").GetInt32(), Is.EqualTo(3));
        Assert.That(a.TryGetProperty("tx_rings", out _), Is.False, "no @conf, no counts");

        JsonElement b = lines[1];
        Assert.That(b.GetProperty("nr_name").GetString(), Is.EqualTo("vale0:a"));
        Assert.That(b.GetProperty("tx_rings").GetInt32(), Is.EqualTo(4));
        Assert.That(b.GetProperty("rx_rings").GetInt32(), Is.EqualTo(4));
        Assert.That(b.GetProperty("host_tx_rings").GetInt32(), Is.EqualTo(2));
        Assert.That(b.TryGetProperty("host_rx_rings", out _), Is.False, "not given");
        Assert.That(b.GetProperty("tx_slots").GetInt32(), Is.EqualTo(256));
        Assert.That(b.GetProperty("rx_slots").GetInt32(), Is.EqualTo(256));
    }

    [Test]
    public void Json_error_has_error_and_position_and_exit_1()
    {
        (int exit, string output, _) = Run("", "parse", "--json", "netmap:eth0", "netmap:eth0-4095");
        Assert.That(exit, Is.EqualTo(1));
        List<JsonElement> lines = Lines(output);
        Assert.That(lines[0].GetProperty("ok").GetBoolean(), Is.True);
        JsonElement bad = lines[1];
        Assert.That(bad.GetProperty("ok").GetBoolean(), Is.False);
        Assert.That(bad.GetProperty("position").GetInt32(), Is.EqualTo(12));
        Assert.That(bad.GetProperty("error").GetString(), Does.Contain("4095"));
        Assert.That(bad.TryGetProperty("nr_name", out _), Is.False);
    }

    [Test]
    public void Dash_reads_specs_from_stdin_one_per_line()
    {
        (int exit, string output, _) = Run("netmap:p{1\r\n\nvale1:b^2\n", "parse", "--json", "-");
        Assert.That(exit, Is.Zero);
        List<JsonElement> lines = Lines(output);
        Assert.That(lines.Select(l => l.GetProperty("nr_name").GetString()), Is.EqualTo(new[] { "p{1", "vale1:b" }));
        Assert.That(lines[1].GetProperty("nr_mode").GetInt32(), Is.EqualTo(8));
    }

    [Test]
    public void Every_vector_through_the_cli_matches_the_library()
    {
        // The whole vector file through stdin: one JSON line per spec, same verdicts as the library.
        string[] specs = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "portspec-vectors.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("spec").GetString()!)
            .Where(s => s.Length > 0 && !s.Contains('\n', StringComparison.Ordinal) && !s.Contains('\r', StringComparison.Ordinal))
            .ToArray();
        (int exit, string output, _) = Run(string.Join("\n", specs), "parse", "--json", "-");
        List<JsonElement> lines = Lines(output);
        Assert.That(lines, Has.Count.EqualTo(specs.Length));
        Assert.That(exit, Is.EqualTo(1), "some vectors are invalid");
        for (int i = 0; i < specs.Length; i++)
            Assert.That(lines[i].GetProperty("ok").GetBoolean(), Is.EqualTo(NetmapPortSpec.TryParse(specs[i], out _)), specs[i]);
    }

    [Test]
    public void Text_output_explains_and_errors_go_to_stderr()
    {
        (int exit, string output, string error) = Run("", "parse", "netmap:eth0*/x@conf:rings=2", "netmap:eth0/Q");
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Does.Contain("NR_REG_NIC_SW").And.Contain("NR_EXCLUSIVE").And.Contain("canonical: netmap:eth0*/x@conf:tx_rings=2,rx_rings=2"));
        Assert.That(error, Does.Contain("unknown flag 'Q'").And.Contain("            ^"));
    }

    [Test]
    public void Text_output_exit_0_when_all_parse()
    {
        (int exit, string output, string error) = Run("", "parse", "vale0:a");
        Assert.That((exit, error), Is.EqualTo((0, "")));
        Assert.That(output, Does.Contain("ValePort").And.Contain("switch:    vale0"));
    }
}
