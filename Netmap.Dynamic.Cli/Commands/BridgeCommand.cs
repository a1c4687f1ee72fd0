using System.CommandLine;
using Netmap.Dynamic.Cli.Bridge;
using Netmap.Dynamic.Cli.Shared;

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
        Option<int> threads = new("--threads", "-t")
        {
            Description = "1: both directions on one thread, one poll over both ports (netmap's bridge); 2: a thread per direction",
            DefaultValueFactory = _ => 1,
        };
        Option<double> waitLink = new("--wait-link", "-w") { Description = "seconds to wait for NIC links after opening the ports", DefaultValueFactory = _ => 0 };
        CommonOptions common = new();
        return ToolCommand.Create("bridge", "Forward frames both ways between two ports: buffer swap when they share memory, copy otherwise.",
            common, [ports, interfaces, batch, copy, threads, waitLink], (parseResult, stdout, stderr) =>
        {
            string[] given = [.. parseResult.GetValue(interfaces) ?? [], .. parseResult.GetValue(ports) ?? []];
            if (!TryPair(given, out string portA, out string portB, out string? problem))
            {
                return UsageError(stderr, problem);
            }
            BridgeOptions options = common.Read(parseResult, new BridgeOptions
            {
                PortA = portA,
                PortB = portB,
                Batch = parseResult.GetValue(batch),
                ForceCopy = parseResult.GetValue(copy),
                Threads = parseResult.GetValue(threads),
                WaitLinkSeconds = parseResult.GetValue(waitLink),
            });
            return options.Validate() is { } usage
                ? UsageError(stderr, usage)
                : ToolCommand.RunOnBackend("bridge", options.Backend, options.Device, stderr, (selected, cancellation) => Execute(options, selected, stdout, stderr, cancellation));
        });
    }

    /// <summary>Runs on a given backend (tests pass a fake) and prints the summary.</summary>
    public static int Execute(BridgeOptions options, INetmapBackend backend, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        return options.Validate() is { } usage
            ? UsageError(stderr, usage)
            : ToolCommand.Report("bridge", () => BridgeRunner.Run(options, backend, stderr, cancellation), r => r.ToJson(), r => r.ToText(), options.Json, stdout, stderr);
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

    private static int UsageError(TextWriter stderr, string? message) => ToolCommand.UsageError(stderr, "bridge", message ?? "");
}
