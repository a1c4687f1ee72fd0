using System.CommandLine;
using Netmap.Dynamic.Cli.Bridge;

namespace Netmap.Dynamic.Cli.Commands;

/// <summary>
/// `netmap bridge PORT1 PORT2` (or `-i PORT1 -i PORT2`, like netmap's bridge): forward frames both
/// ways between two ports until Ctrl+C. One NIC alone is bridged with its host stack. See docs/tools.md.
/// </summary>
internal static class BridgeCommand
{
    public static Command Create()
    {
        Argument<string[]> ports = new("PORT") { Description = "two port specs (or one NIC, bridged with its host stack)", Arity = new ArgumentArity(0, 2) };
        Option<string[]> interfaces = new("--interface", "-i") { Description = "a port spec (give it twice), like netmap's bridge -i", AllowMultipleArgumentsPerToken = false };
        Option<int> batch = new("--batch", "-b")
        {
            Description = $"frames moved per pass, 1 to {BridgeOptions.MaxBatch}",
            DefaultValueFactory = _ => BridgeOptions.DefaultBatch,
        };
        Option<bool> copy = new("--copy", "-c") { Description = "copy frames even when the ports share memory (no buffer swap)" };
        Option<double?> duration = new("--duration") { Description = "stop after this many seconds (default: until Ctrl+C)" };
        Option<double> waitLink = new("--wait-link", "-w") { Description = "seconds to wait for NIC links after opening the ports", DefaultValueFactory = _ => 0 };
        Option<string> backend = BackendOption();
        Option<bool> json = new("--json") { Description = "print the summary as one JSON object on stdout" };
        Option<double> rateInterval = new("--rate-interval")
        {
            Description = "seconds between rate lines on stderr (0: none)",
            DefaultValueFactory = _ => 1.0,
        };

        Command command = new("bridge", "Forward frames both ways between two ports: buffer swap when they share memory, copy otherwise.")
        {
            ports, interfaces, batch, copy, duration, waitLink, backend, json, rateInterval,
        };
        command.SetAction(parseResult =>
        {
            TextWriter stdout = parseResult.InvocationConfiguration.Output;
            TextWriter stderr = parseResult.InvocationConfiguration.Error;
            string[] given = [.. parseResult.GetValue(interfaces) ?? [], .. parseResult.GetValue(ports) ?? []];
            if (!TryPair(given, out string portA, out string portB, out string? problem))
            {
                return UsageError(stderr, problem);
            }
            BridgeOptions options = new()
            {
                PortA = portA,
                PortB = portB,
                Batch = parseResult.GetValue(batch),
                ForceCopy = parseResult.GetValue(copy),
                DurationSeconds = parseResult.GetValue(duration),
                WaitLinkSeconds = parseResult.GetValue(waitLink),
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
                stderr.WriteLine($"netmap bridge: {error} (--backend fake runs on the in-memory backend)");
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
    public static int Execute(BridgeOptions options, INetmapBackend backend, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        if (options.Validate() is { } usage)
        {
            return UsageError(stderr, usage);
        }
        BridgeResult result;
        try
        {
            result = BridgeRunner.Run(options, backend, stderr, cancellation);
        }
        catch (NetmapException e)
        {
            stderr.WriteLine($"netmap bridge: {e.Message}");
            return ExitCodes.Failure;
        }
        stdout.Write(options.Json ? result.ToJson() + Environment.NewLine : result.ToText());
        return ExitCodes.Success;
    }

    /// <summary>
    /// The two ports from what was given (`-i` first, then positional): two ports as they are;
    /// one port alone is a NIC bridged with its host stack (`X^` and `X`, as netmap's bridge does).
    /// </summary>
    internal static bool TryPair(string[] given, out string portA, out string portB, out string? problem)
    {
        portA = portB = "";
        problem = null;
        switch (given.Length)
        {
            case 2:
                (portA, portB) = (given[0], given[1]);
                return true;
            case 1:
                if (!NetmapPortSpec.TryParse(given[0], out NetmapPortSpec? spec, out _)
                    || spec.Kind != NetmapPortKind.Nic || spec.Mode != Interop.NetmapRegisterMode.NR_REG_ALL_NIC
                    || given[0] != spec.ToString())
                {
                    problem = $"one port alone must be a plain NIC (netmap:eth0), to bridge with its host stack; got {given[0]}";
                    return false;
                }
                (portA, portB) = (given[0] + "^", given[0]);
                return true;
            case 0:
                problem = "give two ports to bridge: netmap bridge PORT1 PORT2 (or -i PORT1 -i PORT2)";
                return false;
            default:
                problem = $"a bridge joins two ports, got {given.Length}: {string.Join(' ', given)}";
                return false;
        }
    }

    internal static Option<string> BackendOption()
    {
        Option<string> backend = new("--backend")
        {
            Description = "auto (native when available, else fake), native or fake",
            DefaultValueFactory = _ => "auto",
        };
        backend.AcceptOnlyFromAmong("auto", "native", "fake");
        return backend;
    }

    private static int UsageError(TextWriter stderr, string? message)
    {
        stderr.WriteLine($"netmap bridge: {message}");
        stderr.WriteLine("Run 'netmap bridge --help' for usage.");
        return ExitCodes.Usage;
    }
}
