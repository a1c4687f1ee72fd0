using System.CommandLine;
using Netmap.Dynamic.Cli.PktGen;
using Netmap.Dynamic.Cli.Shared;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Cli.Commands;

/// <summary>
/// `netmap pkt-gen`: a packet generator and sink in the manner of netmap's pkt-gen, with its
/// short options (-f -i -n -l -b -p -W) as aliases. See docs/tools.md.
/// </summary>
internal static class PktGenCommand
{
    private static readonly string[] Modes = ["tx", "rx", "txrx", "ping", "pong"];

    public static Command Create()
    {
        Option<string> mode = new("--mode", "-f")
        {
            Description = "tx, rx, txrx (sender and receiver on two threads), ping or pong",
            DefaultValueFactory = _ => "txrx",
        };
        mode.AcceptOnlyFromAmong(Modes);
        Option<string> port = new("--port", "-i")
        {
            Description = "port spec to send on (rx/pong: to receive on)",
            DefaultValueFactory = _ => PktGenOptions.DefaultPort,
        };
        Option<string?> peer = new("--peer")
        {
            Description = "txrx/ping: port spec of the other side, run in this process (default: the other end of a pipe port; ping: 'none' for a pong elsewhere)",
        };
        Option<long?> count = new("--count", "-n")
        {
            Description = $"frames to send (txrx default {PktGenOptions.DefaultCount}, ping {PktGenOptions.DefaultPingCount}; tx/rx/pong run until Ctrl+C)",
        };
        Option<int> size = new("--size", "-l")
        {
            Description = $"Ethernet frame length without CRC, {FrameLayout.MinSize} to {FrameLayout.MaxSize}",
            DefaultValueFactory = _ => FrameLayout.DefaultSize,
        };
        Option<int> batch = new("--batch", "-b")
        {
            Description = "frames per ring sync",
            DefaultValueFactory = _ => PktGenOptions.DefaultBatch,
        };
        Option<bool?> verify = new("--verify")
        {
            Description = "number every frame and check what arrives (default: on for txrx, ping and pong, where both ends are this tool; "
                + "off for tx and rx, which then do netmap pkt-gen's work: fill each buffer once, count what arrives)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        Option<int> threads = new("--threads", "-p")
        {
            Description = "threads, each on one ring of the port (PORT-0, PORT-1, ...; pipes and VALE ports: PORT@conf:rings=N); --count is shared out",
            DefaultValueFactory = _ => 1,
        };
        Option<bool> stopWhenIdle = new("--stop-when-idle", "-W")
        {
            Description = $"rx: stop once nothing has arrived for {PktGenOptions.IdleStop.TotalSeconds:0} s after the first frame",
        };

        CommonOptions common = new("stop after this many seconds");
        return ToolCommand.Create("pkt-gen", "Send, receive, or bounce test frames and measure rate or latency.",
            common, [mode, port, peer, count, size, batch, verify, threads, stopWhenIdle], (parseResult, stdout, stderr) =>
        {
            PktGenMode m = ParseMode(parseResult.GetValue(mode)!);
            string p = parseResult.GetValue(port)!;
            PktGenOptions options = common.Read(parseResult, new PktGenOptions
            {
                Mode = m,
                Port = p,
                Peer = ResolvePeer(m, p, parseResult.GetValue(peer)),
                Count = parseResult.GetValue(count),
                Size = parseResult.GetValue(size),
                Batch = parseResult.GetValue(batch),
                Verify = VerifyValue(parseResult, verify),
                Threads = parseResult.GetValue(threads),
                StopWhenIdle = parseResult.GetValue(stopWhenIdle),
            });
            return Execute(options, stdout, stderr);
        });
    }

    /// <summary>Validates, picks the backend, and runs until done or Ctrl+C.</summary>
    public static int Execute(PktGenOptions options, TextWriter stdout, TextWriter stderr)
    {
        return Usage(options) is { } usage
            ? ToolCommand.UsageError(stderr, "pkt-gen", usage)
            : ToolCommand.RunOnBackend("pkt-gen", options.Backend, options.Device, stderr,
                (backend, cancellation) => Execute(options, backend, stdout, stderr, cancellation));
    }

    /// <summary>Runs on a given backend (tests pass a fake with fault hooks) and prints the summary.</summary>
    public static int Execute(PktGenOptions options, INetmapBackend backend, TextWriter stdout, TextWriter stderr, CancellationToken cancellation, PktGenRunner? runner = null)
    {
        if (Usage(options) is { } usage)
        {
            return ToolCommand.UsageError(stderr, "pkt-gen", usage);
        }
        PktGenResult result;
        try
        {
            result = (runner ?? new PktGenRunner()).Run(options, backend, stderr, cancellation);
        }
        catch (NetmapException e)
        {
            stderr.WriteLine($"netmap pkt-gen: {e.Message}");
            return ExitCodes.Failure;
        }

        if (options.Json)
        {
            stdout.WriteLine(result.ToJson());
        }
        else
        {
            stdout.Write(result.ToText());
        }
        return result.Passed ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>The first usage error: an option out of range, or a port spec that does not parse.</summary>
    private static string? Usage(PktGenOptions options)
    {
        if (options.Validate() is { } usage)
        {
            return usage;
        }
        foreach ((string? spec, string option, bool sends, bool receives) in Roles(options))
        {
            if (spec is null)
            {
                continue;
            }
            if (!ToolOptions.TryParsePort(spec, out NetmapPortSpec? parsed, out string? problem))
            {
                return problem;
            }
            if (ThreadPorts.Problem(parsed, options.Threads, option) is { } threads)
            {
                return threads;
            }
            // A side with no ring in its direction would wait for ever (tx) or see nothing (rx).
            if (sends && (parsed.Flags & NetmapRegisterFlags.NR_RX_RINGS_ONLY) != 0)
            {
                return $"{option} {spec} binds only RX rings (/R), but {PktGenResult.ModeName(options.Mode)} sends on it";
            }
            if (receives && (parsed.Flags & NetmapRegisterFlags.NR_TX_RINGS_ONLY) != 0)
            {
                return $"{option} {spec} binds only TX rings (/T), but {PktGenResult.ModeName(options.Mode)} receives on it";
            }
        }
        return null;
    }

    /// <summary>Which side sends and which receives in each mode (ping and pong do both).</summary>
    private static (string? Spec, string Option, bool Sends, bool Receives)[] Roles(PktGenOptions options) => options.Mode switch
    {
        PktGenMode.Tx => [(options.Port, "--port", true, false), (options.Peer, "--peer", false, false)],
        PktGenMode.Rx => [(options.Port, "--port", false, true), (options.Peer, "--peer", false, false)],
        PktGenMode.TxRx => [(options.Port, "--port", true, false), (options.Peer, "--peer", false, true)],
        _ => [(options.Port, "--port", true, true), (options.Peer, "--peer", true, true)],
    };

    // `--verify` alone means true; `--verify false` turns it off; absent leaves the mode's default.
    private static bool? VerifyValue(ParseResult parseResult, Option<bool?> verify) =>
        parseResult.GetResult(verify) is { } given ? parseResult.GetValue(verify) ?? true : null;

    private static PktGenMode ParseMode(string text) => text switch
    {
        "tx" => PktGenMode.Tx,
        "rx" => PktGenMode.Rx,
        "ping" => PktGenMode.Ping,
        "pong" => PktGenMode.Pong,
        _ => PktGenMode.TxRx,
    };

    /// <summary>
    /// The peer a txrx/ping run uses: the one given, else the other end of a pipe port
    /// (`x{N` ↔ `x}N`); `none` means no in-process peer (ping answered by a pong elsewhere).
    /// </summary>
    internal static string? ResolvePeer(PktGenMode mode, string port, string? peer)
    {
        if (mode is not (PktGenMode.TxRx or PktGenMode.Ping))
        {
            return peer;   // Validate() refuses a peer here
        }
        if (peer is not null)
        {
            return peer == PktGenOptions.NoPeer ? null : peer;
        }
        return OtherPipeEnd(port);
    }

    /// <summary>The other end of a pipe spec, or null when the spec names no pipe.</summary>
    internal static string? OtherPipeEnd(string port)
    {
        int master = port.IndexOf('{', StringComparison.Ordinal);
        int slave = port.IndexOf('}', StringComparison.Ordinal);
        if (master >= 0 && slave < 0 && port.IndexOf('{', master + 1) < 0)
        {
            return string.Concat(port.AsSpan(0, master), "}", port.AsSpan(master + 1));
        }
        if (slave >= 0 && master < 0 && port.IndexOf('}', slave + 1) < 0)
        {
            return string.Concat(port.AsSpan(0, slave), "{", port.AsSpan(slave + 1));
        }
        return null;
    }
}
