using System.Buffers.Binary;
using System.Diagnostics;

namespace Netmap.Dynamic.Tests.Docs;

/// <summary>
/// The programs in samples/ build with the tests and run on the fake backend (their <c>--fake</c>
/// mode, which makes its own traffic), as a user would start them: a process each.
/// </summary>
public sealed class SampleTests
{
    private static (int ExitCode, string Output, string Errors) RunSample(string name, params string[] args)
    {
        // The sample's output next to the test assembly's configuration: samples/X/bin/<Release|Debug>/net10.0/X.dll.
        string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        string dll = Path.Combine(DocPrograms.RepositoryRoot, "samples", name, "bin", configuration, "net10.0", name + ".dll");
        Assert.That(File.Exists(dll), Is.True, $"{dll} is built with the test project (a ProjectReference)");
        ProcessStartInfo start = new("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using Process process = Process.Start(start)!;
        Task<string> errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, errors.Result);
    }

    [Test]
    public void MacCounter_counts_the_fakes_frames_per_source_mac()
    {
        var (exit, output, errors) = RunSample("MacCounter", "--fake");
        Assert.That(exit, Is.Zero, errors);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines.Where(l => l.StartsWith("02000000000", StringComparison.Ordinal)).Order(),
            Is.EqualTo(new[] { "020000000001 25000", "020000000002 25000", "020000000003 25000", "020000000004 25000" }));
        Assert.That(lines, Does.Contain("total 100000"));
    }

    [Test]
    public void Forwarder_moves_every_frame_from_one_pipe_to_the_other()
    {
        var (exit, output, errors) = RunSample("Forwarder", "--fake");
        Assert.That(exit, Is.Zero, errors);
        Assert.That(output, Does.Contain("forwarded and received 50000 frames"));
        Assert.That(errors, Does.Contain("forwarder: 50000 frames"));
    }

    [Test]
    public void FanOut_gives_each_worker_the_frames_of_its_ring()
    {
        var (exit, output, errors) = RunSample("FanOut", "--fake");
        Assert.That(exit, Is.Zero, errors);
        Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            Is.EqualTo(new[] { "worker 0: 10000 frames", "worker 1: 10000 frames", "worker 2: 10000 frames", "worker 3: 10000 frames", "total 40000" }));
    }

    [Test]
    public void PcapCapture_writes_a_pcap_file_of_the_captured_frames()
    {
        string path = Path.Combine(Path.GetTempPath(), $"netmap-sample-{Environment.ProcessId}.pcap");
        try
        {
            var (exit, _, errors) = RunSample("PcapCapture", "--fake", path, "300");
            Assert.That(exit, Is.Zero, errors);
            byte[] file = File.ReadAllBytes(path);
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(file), Is.EqualTo(0xA1B2C3D4u), "pcap magic");
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(20)), Is.EqualTo(1u), "Ethernet");
            // Walk the records: each a 16-byte header and the frame; the frames carry their sequence numbers.
            List<long> sequences = [];
            for (int at = 24; at < file.Length;)
            {
                int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8));
                sequences.Add(BinaryPrimitives.ReadInt64BigEndian(file.AsSpan(at + 16 + 14)));
                at += 16 + length;
            }
            Assert.That(sequences, Is.EqualTo(Enumerable.Range(0, 300).Select(n => (long)n)));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
