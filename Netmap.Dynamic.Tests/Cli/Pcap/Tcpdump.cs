using System.Diagnostics;
using System.Globalization;

namespace Netmap.Dynamic.Tests.Cli.Pcap;

/// <summary>
/// Runs the real tcpdump on files (no network needed). Tests that need it are ignored, with
/// how to install it, only where it is not installed; .ci/run installs it so CI runs them.
/// </summary>
internal static class Tcpdump
{
    private static readonly string? s_path = new[] { "/usr/bin/tcpdump", "/usr/sbin/tcpdump", "/usr/local/bin/tcpdump", "/usr/local/sbin/tcpdump" }
        .FirstOrDefault(File.Exists);

    public static string RequirePath() =>
        s_path ?? throw new IgnoreException("tcpdump is not installed here (apt-get install tcpdump; .ci/run installs it for CI)");

    /// <summary>Runs tcpdump with <paramref name="arguments"/>; fails the test on a non-zero exit or after 60 s.</summary>
    public static string Run(params string[] arguments)
    {
        ProcessStartInfo start = new(RequirePath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            Assert.Fail($"tcpdump {string.Join(' ', arguments)} did not finish within 60 s");
        }
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"tcpdump {string.Join(' ', arguments)} failed: {stderr.Result}");
        return stdout.Result;
    }

    /// <summary>One packet as `tcpdump -tt --nano -xx` shows it: its timestamp and every captured byte.</summary>
    public sealed record Packet(string Timestamp, byte[] Bytes);

    /// <summary>Reads a file with tcpdump and parses each packet's timestamp line and hex dump.</summary>
    public static List<Packet> ReadPackets(string file)
    {
        string output = Run("-r", file, "-nn", "-tt", "--nano", "-xx");
        List<Packet> packets = [];
        string? timestamp = null;
        List<byte> bytes = [];
        foreach (string line in output.Split('\n'))
        {
            if (line.Length == 0) continue;
            if (line.StartsWith('\t'))
            {
                // "\t0x0010:  4500 0032 ..." : hex groups after the offset
                string hex = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..];
                foreach (string group in hex.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    for (int i = 0; i + 1 < group.Length; i += 2)
                        bytes.Add(byte.Parse(group.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                }
                continue;
            }
            if (timestamp is not null) packets.Add(new Packet(timestamp, [.. bytes]));
            timestamp = line[..line.IndexOf(' ', StringComparison.Ordinal)];
            bytes.Clear();
        }
        if (timestamp is not null) packets.Add(new Packet(timestamp, [.. bytes]));
        return packets;
    }
}
