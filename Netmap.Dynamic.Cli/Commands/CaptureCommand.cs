using System.CommandLine;
using Netmap.Dynamic.Cli.Capture;
using Netmap.Dynamic.Cli.Pcap;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.Commands;

/// <summary>
/// `netmap capture -i PORT -w FILE`: write every frame that arrives on a port into a pcap file
/// (nanosecond timestamps, snap length), like `tcpdump -w` at netmap rates. See docs/tools.md for
/// why this is a command of its own and not a pkt-gen option.
/// </summary>
internal static class CaptureCommand
{
    public static Command Create()
    {
        Option<string> port = new("--port", "-i") { Description = "port spec to capture on, e.g. netmap:eth0, vale0:a, netmap:p}1", Required = true };
        Option<string> file = new("--write", "-w") { Description = "file to write (replaced if it exists), in the --format chosen", Required = true };
        Option<long?> count = new("--count", "-c", "-n") { Description = "stop after this many frames (default: until Ctrl+C); -c as in tcpdump, -n as in pkt-gen" };
        Option<int> snapLength = new("--snaplen", "-s")
        {
            Description = $"bytes kept of each frame, 1 to {PcapFormat.MaxSnapLength} (the record keeps the whole length)",
            DefaultValueFactory = _ => PcapFormat.MaxSnapLength,
        };
        Option<string> writer = new("--writer")
        {
            Description = "inline (write the file on the receive thread) or thread (on a writer thread)",
            DefaultValueFactory = _ => "inline",
        };
        writer.AcceptOnlyFromAmong("thread", "inline");
        Option<string> format = new("--format", "-F")
        {
            Description = "pcap (classic, nanosecond timestamps) or pcapng (Wireshark's default)",
            DefaultValueFactory = _ => "pcap",
        };
        format.AcceptOnlyFromAmong("pcap", "pcapng");
        CommonOptions common = new();
        return ToolCommand.Create("capture", "Write the frames that arrive on a port into a pcap or pcapng file (tcpdump -w at netmap rates).",
            common, [port, file, count, snapLength, writer, format], (parseResult, stdout, stderr) =>
        {
            CaptureOptions options = common.Read(parseResult, new CaptureOptions
            {
                Port = parseResult.GetValue(port)!,
                File = parseResult.GetValue(file)!,
                Count = parseResult.GetValue(count),
                SnapLength = parseResult.GetValue(snapLength),
                Writer = parseResult.GetValue(writer) == "thread" ? CaptureWriter.Thread : CaptureWriter.Inline,
                Format = parseResult.GetValue(format) == "pcapng" ? CaptureFileFormat.PcapNg : CaptureFileFormat.Pcap,
            });
            return options.Validate() is { } usage
                ? ToolCommand.UsageError(stderr, "capture", usage)
                : ToolCommand.RunOnBackend("capture", options.Backend, options.Device, stderr, (selected, cancellation) => Execute(options, selected, stdout, stderr, cancellation));
        });
    }

    /// <summary>Runs on a given backend (tests pass a fake) and prints the summary.</summary>
    public static int Execute(CaptureOptions options, INetmapBackend backend, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        if (options.Validate() is { } usage)
        {
            return ToolCommand.UsageError(stderr, "capture", usage);
        }
        try
        {
            return ToolCommand.Report("capture", () => CaptureRunner.Run(options, backend, stderr, cancellation), r => r.ToJson(), r => r.ToText(), options.Json, stdout, stderr);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"netmap capture: {options.File}: {e.Message}");
            return ExitCodes.Failure;
        }
    }
}
