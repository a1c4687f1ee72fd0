using System.CommandLine;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.Commands;

/// <summary>
/// `netmap vale list|attach|detach|newif|delif`: manage VALE switches like netmap's vale-ctl.
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
        return vale;
    }

    private static Command Sub(string name, string description, string? argumentName, Option<string> backend, Option<string?> device)
    {
        Command command = new(name, description);
        if (argumentName is not null)
        {
            command.Arguments.Add(new Argument<string>(argumentName));
        }
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
                    Run(library, name, argument, stdout);
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

    /// <summary>One vale-ctl operation on the kernel, printing what vale-ctl prints.</summary>
    private static void Run(NetmapLibrary library, string operation, string? argument, TextWriter stdout)
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
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, "unknown vale operation");
        }
    }
}
