using System.CommandLine;
using Netmap.Dynamic.Cli.Pcap;
using Netmap.Dynamic.Cli.Replay;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.Commands;

/// <summary>
/// `netmap replay FILE -i PORT`: send a pcap or pcapng file's frames on a port, as fast as possible, at the
/// file's own pace (`--speed`) or at a fixed rate (`--rate`), `--loop N` times. See docs/tools.md.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        Argument<string> file = new("FILE") { Description = "capture file to send: pcap or pcapng, Ethernet (tcpdump -w, dumpcap, Wireshark write them)" };
        Option<string> port = new("--interface", "-i") { Description = "port spec to send on, e.g. netmap:eth0, vale0:a, netmap:p{1", Required = true };
        Option<string?> speed = new("--speed") { Description = "keep the file's own gaps between frames, this many times faster: 1x, 2x, 0.5x" };
        Option<double?> rate = new("--rate") { Description = "send at this many million frames per second" };
        Option<long> loop = new("--loop") { Description = "send the file this many times (0: until Ctrl+C)", DefaultValueFactory = _ => 1 };
        Option<int> batch = new("--batch", "-b") { Description = "frames per TX sync", DefaultValueFactory = _ => ReplayOptions.DefaultBatch };
        CommonOptions common = new();
        return ToolCommand.Create("replay", "Send the frames of a pcap file on a port: as fast as possible, at the file's pace or at a given rate.",
            common, [file, port, speed, rate, loop, batch], (parseResult, stdout, stderr) =>
        {
            string? speedText = parseResult.GetValue(speed);
            double? speedFactor = speedText is null ? null : ReplayOptions.ParseSpeed(speedText);
            if (speedText is not null && speedFactor is null)
            {
                return ToolCommand.UsageError(stderr, "replay", $"--speed must be a positive factor such as 1x, 2x or 0.5x, got {speedText}");
            }
            ReplayOptions options = common.Read(parseResult, new ReplayOptions
            {
                File = parseResult.GetValue(file)!,
                Port = parseResult.GetValue(port)!,
                Speed = speedFactor,
                RateMpps = parseResult.GetValue(rate),
                Loops = parseResult.GetValue(loop),
                Batch = parseResult.GetValue(batch),
            });
            using InterruptSignals signals = new();
            return Execute(options, stdout, stderr, signals.Token, backend: null);
        });
    }

    /// <summary>
    /// Checks the options and the whole file, then picks the backend (or uses <paramref name="backend"/>,
    /// which tests pass) and replays. A bad file is one line on stderr and exit 2, before any port is opened.
    /// </summary>
    public static int Execute(ReplayOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellation,
        INetmapBackend? backend, IReplayClock? clock = null)
    {
        if (options.Validate() is { } usage)
        {
            return ToolCommand.UsageError(stderr, "replay", usage);
        }
        IFrameFileReader reader;
        PcapSummary summary;
        try
        {
            reader = FrameFiles.Open(options.File);
        }
        catch (Exception e) when (e is PcapFormatException or IOException or UnauthorizedAccessException)
        {
            return BadFile(stderr, options.File, e.Message);
        }
        using (reader)
        {
            try
            {
                summary = PcapSummary.Scan(reader);
            }
            catch (Exception e) when (e is PcapFormatException or IOException)
            {
                return BadFile(stderr, options.File, e.Message);
            }
            if (reader.LinkType != PcapFormat.LinkTypeEthernet)
            {
                return BadFile(stderr, options.File, $"link type {reader.LinkType} is not Ethernet (1); netmap ports carry Ethernet frames");
            }

            INetmapBackend? selected = backend;
            if (selected is null && !BackendSelector.TrySelect(options.Backend, options.Device, stderr, out selected, out string? error))
            {
                stderr.WriteLine($"netmap replay: {error} (--backend fake runs on the in-memory backend)");
                return ExitCodes.Unavailable;
            }
            try
            {
                return ToolCommand.Report("replay", () => ReplayRunner.Run(options, reader, summary, selected, stderr, cancellation, clock),
                    r => r.ToJson(), r => r.ToText(), options.Json, stdout, stderr);
            }
            catch (Exception e) when (e is PcapFormatException or IOException)
            {
                return BadFile(stderr, options.File, e.Message);   // the file changed under us
            }
            finally
            {
                if (backend is null)
                {
                    selected.Dispose();
                }
            }
        }
    }

    private static int BadFile(TextWriter stderr, string file, string message)
    {
        stderr.WriteLine($"netmap replay: {file}: {message}");
        return ExitCodes.Usage;
    }
}
