using System.CommandLine;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.Commands;

/// <summary>
/// `netmap vale list|attach|detach|newif|delif|poll|unpoll`: manage VALE switches like netmap's vale-ctl.
/// These are kernel control requests, so they need the native backend. The fake backend
/// creates VALE ports on first open like the kernel but keeps no NICs to attach and no
/// persistent interfaces, so on it every subcommand says so and exits 3.
/// </summary>
internal static class ValeCommand
{
    public static Command Create()
    {
        Option<string> backend = new("--backend")
        {
            Description = "auto (native when available), native or fake (refused: VALE control needs the kernel)",
            DefaultValueFactory = _ => "auto",
            Recursive = true,
        };
        backend.AcceptOnlyFromAmong("auto", "native", "fake");
        Option<string?> device = BackendSelector.DeviceOption();
        device.Recursive = true;

        Command vale = new("vale", "Manage VALE switches (like netmap's vale-ctl); needs the native backend.") { backend, device };
        vale.Subcommands.Add(Sub("list", "List switches and their ports (vale-ctl -l).", null, backend, device));
        vale.Subcommands.Add(Sub("attach", "Attach a NIC to a switch, e.g. vale0:eth0 (vale-ctl -a).", "SWITCH:NIC", backend, device));
        vale.Subcommands.Add(Sub("detach", "Detach a NIC from a switch, e.g. vale0:eth0 (vale-ctl -d).", "SWITCH:NIC", backend, device));
        vale.Subcommands.Add(Sub("newif", "Create a persistent VALE interface (vale-ctl -n).", "NAME", backend, device));
        vale.Subcommands.Add(Sub("delif", "Delete a persistent VALE interface (vale-ctl -r).", "NAME", backend, device));
        vale.Subcommands.Add(Sub("poll", "Poll a NIC attached to a switch with kernel threads instead of interrupts (vale-ctl -C).", "SWITCH:NIC", backend, device));
        vale.Subcommands.Add(Sub("unpoll", "Stop polling a NIC attached to a switch.", "SWITCH:NIC", backend, device));
        return vale;
    }

    private static Command Sub(string name, string description, string? argumentName, Option<string> backend, Option<string?> device)
    {
        Command command = new(name, description);
        if (argumentName is not null)
        {
            command.Arguments.Add(new Argument<string>(argumentName));
        }
        PollingOptions polling = new();
        if (name == "poll")
            polling.AddTo(command);
        command.SetAction(parseResult =>
        {
            TextWriter stdout = parseResult.InvocationConfiguration.Output;
            TextWriter stderr = parseResult.InvocationConfiguration.Error;
            if (parseResult.GetValue(backend) == "fake")
            {
                stderr.WriteLine($"netmap vale {name}: needs the native netmap backend: the fake backend has no VALE control plane (its VALE ports are created on first open, as the kernel does; there are no NICs to attach or persistent interfaces)");
                return ExitCodes.Unavailable;
            }
            if (!BackendSelector.TryNative(parseResult.GetValue(device), out NetmapLibrary? library, out string? error))
            {
                stderr.WriteLine($"netmap vale {name}: {error}");
                return ExitCodes.Unavailable;
            }
            using (library)
            {
                string? argument = argumentName is null ? null : parseResult.GetValue<string>(argumentName);
                try
                {
                    Run(library, name, argument, polling.Read(parseResult), stdout);
                    return 0;
                }
                catch (NetmapException e)
                {
                    stderr.WriteLine($"netmap vale {name}: {e.Message}");
                    return 1;
                }
            }
        });
        return command;
    }

    /// <summary>The options of `netmap vale poll`: the mode, the first CPU (or ring), the number of threads.</summary>
    private sealed class PollingOptions
    {
        private readonly Option<string> _mode = new("--mode") { Description = "single: one thread polls every ring; multi: one thread per ring", DefaultValueFactory = _ => "single" };
        private readonly Option<int> _firstCpu = new("--first-cpu") { Description = "the CPU (single) or the first ring and CPU (multi)", DefaultValueFactory = _ => 0 };
        private readonly Option<int> _cpus = new("--cpus") { Description = "threads (1 in single mode)", DefaultValueFactory = _ => 1 };

        public void AddTo(Command command)
        {
            _mode.AcceptOnlyFromAmong("single", "multi");
            command.Options.Add(_mode);
            command.Options.Add(_firstCpu);
            command.Options.Add(_cpus);
        }

        public (NetmapValePollingMode, int, int) Read(ParseResult result) =>
            result.CommandResult.Command.Options.Contains(_mode)
                ? (result.GetValue(_mode) == "multi" ? NetmapValePollingMode.MultiCpu : NetmapValePollingMode.SingleCpu, result.GetValue(_firstCpu), result.GetValue(_cpus))
                : (NetmapValePollingMode.SingleCpu, 0, 1);
    }

    /// <summary>One vale-ctl operation on the kernel, printing what vale-ctl prints.</summary>
    private static void Run(NetmapLibrary library, string operation, string? argument, (NetmapValePollingMode Mode, int FirstCpu, int Cpus) polling, TextWriter stdout)
    {
        switch (operation)
        {
            case "list":
                foreach (NetmapValePort port in library.ValeList())
                    stdout.WriteLine($"bridge:{port.SwitchIndex} port:{port.PortIndex} {port.Name}");
                break;
            case "attach":
                stdout.WriteLine($"attached {argument} as port {library.ValeAttach(argument!)}");
                break;
            case "detach":
                stdout.WriteLine($"detached {argument} (was port {library.ValeDetach(argument!)})");
                break;
            case "newif":
                stdout.WriteLine($"created {argument} (mem_id {library.ValeNewInterface(argument!)})");
                break;
            case "delif":
                library.ValeDeleteInterface(argument!);
                stdout.WriteLine($"deleted {argument}");
                break;
            case "poll":
                library.ValeEnablePolling(argument!, polling.Mode, polling.FirstCpu, polling.Cpus);
                stdout.WriteLine($"polling {argument}: {(polling.Mode == NetmapValePollingMode.SingleCpu ? $"one thread on CPU {polling.FirstCpu}" : $"rings {polling.FirstCpu}..{polling.FirstCpu + polling.Cpus - 1}, one thread each")}");
                break;
            case "unpoll":
                library.ValeDisablePolling(argument!);
                stdout.WriteLine($"stopped polling {argument}");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, "unknown vale operation");
        }
    }
}
