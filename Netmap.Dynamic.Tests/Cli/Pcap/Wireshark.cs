using System.Diagnostics;

namespace Netmap.Dynamic.Tests.Cli.Pcap;

/// <summary>
/// Runs Wireshark's command-line tools on files (no network, no capture privileges): tshark reads
/// and converts, dumpcap writes pcapng from a capture piped to it (<c>-i -</c>). Tests that need
/// them are ignored, saying how to install them, only where they are missing; .ci/run installs
/// the Debian package tshark (which brings dumpcap) for CI.
/// </summary>
internal static class Wireshark
{
    public static string Tshark => Find("tshark");

    public static string Dumpcap => Find("dumpcap");

    private static string Find(string tool) =>
        new[] { "/usr/bin/", "/usr/sbin/", "/usr/local/bin/" }.Select(d => d + tool).FirstOrDefault(File.Exists)
        ?? throw new IgnoreException($"{tool} is not installed here (apt-get install tshark; .ci/run installs it for CI)");

    /// <summary>Runs <paramref name="tool"/>, feeding it <paramref name="stdinFile"/> when given; fails the test on a non-zero exit or after 60 s.</summary>
    public static string Run(string tool, string? stdinFile, params string[] arguments)
    {
        ProcessStartInfo start = new(tool)
        {
            RedirectStandardInput = stdinFile is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (stdinFile is not null)
        {
            using (FileStream input = File.OpenRead(stdinFile))
                input.CopyTo(process.StandardInput.BaseStream);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            Assert.Fail($"{tool} {string.Join(' ', arguments)} did not finish within 60 s");
        }
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"{tool} {string.Join(' ', arguments)} failed: {stderr.Result}");
        return stdout.Result;
    }
}
