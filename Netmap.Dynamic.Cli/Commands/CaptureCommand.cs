using System.CommandLine;
using Netmap.Dynamic.Cli.Capture;
using Netmap.Dynamic.Cli.Pcap;

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
        Option<string> file = new("--write", "-w") { Description = "pcap file to write (replaced if it exists)", Required = true };
        Option<long?> count = new("--count", "-c", "-n") { Description = "stop after this many frames (default: until Ctrl+C); -c as in tcpdump, -n as in pkt-gen" };
        Option<double?> duration = new("--duration") { Description = "stop after this many seconds" };
        Option<int> snapLength = new("--snaplen", "-s")
        {
            Description = $"bytes kept of each frame, 1 to {PcapFormat.MaxSnapLength} (the record keeps the whole length)",
            DefaultValueFactory = _ => PcapFormat.MaxSnapLength,
        };
        Option<string> writer = new("--writer")
        {
            Description = "thread (write the file on a writer thread) or inline (on the receive thread)",
            DefaultValueFactory = _ => "thread",
        };
        writer.AcceptOnlyFromAmong("thread", "inline");
        Option<string> backend = BridgeCommand.BackendOption();
        Option<bool> json = new("--json") { Description = "print the summary as one JSON object on stdout" };
        Option<double> rateInterval = new("--rate-interval")
        {
            Description = "seconds between rate lines on stderr (0: none)",
            DefaultValueFactory = _ => 1.0,
        };

        Command command = new("capture", "Write the frames that arrive on a port into a pcap file (tcpdump -w at netmap rates).")
        {
            port, file, count, duration, snapLength, writer, backend, json, rateInterval,
        };
        command.SetAction(parseResult =>
        {
            TextWriter stdout = parseResult.InvocationConfiguration.Output;
            TextWriter stderr = parseResult.InvocationConfiguration.Error;
            CaptureOptions options = new()
            {
                Port = parseResult.GetValue(port)!,
                File = parseResult.GetValue(file)!,
                Count = parseResult.GetValue(count),
                DurationSeconds = parseResult.GetValue(duration),
                SnapLength = parseResult.GetValue(snapLength),
                Writer = parseResult.GetValue(writer) == "inline" ? CaptureWriter.Inline : CaptureWriter.Thread,
                Backend = BackendSelector.Parse(parseResult.GetValue(backend)!),
                Json = parseResult.GetValue(json),
                RateIntervalSeconds = parseResult.GetValue(rateInterval),
            };
            if (options.Validate() is { } usage)
            {
                return UsageError(stderr, usage);
            }
            if (!BackendSelector.TrySelect(options.Backend, stderr, out INetmapBackend? selected, out string? error))
            {
                stderr.WriteLine($"netmap capture: {error} (--backend fake runs on the in-memory backend)");
                return ExitCodes.Unavailable;
            }
            using (selected)
            using (InterruptSignals signals = new())
            {
                return Execute(options, selected, stdout, stderr, signals.Token);
            }
        });
        return command;
    }

    /// <summary>Runs on a given backend (tests pass a fake) and prints the summary.</summary>
    public static int Execute(CaptureOptions options, INetmapBackend backend, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        if (options.Validate() is { } usage)
        {
            return UsageError(stderr, usage);
        }
        CaptureResult result;
        try
        {
            result = CaptureRunner.Run(options, backend, stderr, cancellation);
        }
        catch (NetmapException e)
        {
            stderr.WriteLine($"netmap capture: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"netmap capture: {options.File}: {e.Message}");
            return ExitCodes.Failure;
        }
        stdout.Write(options.Json ? result.ToJson() + Environment.NewLine : result.ToText());
        return ExitCodes.Success;
    }

    private static int UsageError(TextWriter stderr, string message)
    {
        stderr.WriteLine($"netmap capture: {message}");
        stderr.WriteLine("Run 'netmap capture --help' for usage.");
        return ExitCodes.Usage;
    }
}
