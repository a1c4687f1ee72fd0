using System.CommandLine;
using Netmap.Dynamic.Cli.Lb;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.Commands;

/// <summary>
/// `netmap lb -i PORT [-p [prefix:]N]...`: spread the frames of one port over N output pipes by a
/// symmetric flow hash, like netmap's lb, so N processes can share one NIC. See docs/tools.md.
/// </summary>
internal static class LbCommand
{
    public static Command Create()
    {
        Option<string> input = new("--interface", "-i") { Description = "the input port (netmap:eth0, vale0:a, ...)", Required = true };
        Option<string[]> pipes = new("--pipes", "-p")
        {
            Description = $"a group of output pipes, [prefix:]N (default: the input's name, {LbOptions.DefaultPipes}); every group gets every frame",
            AllowMultipleArgumentsPerToken = false,
        };
        Option<int> batch = new("--batch", "-b") { Description = $"frames between RX syncs, 1 to {LbOptions.MaxBatch}", DefaultValueFactory = _ => LbOptions.DefaultBatch };
        Option<int> overflow = new("--overflow", "-o") { Description = "frames each output may queue while its pipe is full (0: drop)", DefaultValueFactory = _ => 0 };
        CommonOptions common = new();
        return ToolCommand.Create("lb", "Spread the frames of a port over output pipes by a symmetric flow hash (netmap's lb).",
            common, [input, pipes, batch, overflow], (parseResult, stdout, stderr) =>
        {
            List<LbGroup> groups = [];
            foreach (string text in parseResult.GetValue(pipes) ?? [])
            {
                if (!LbOptions.TryParseGroup(text, out LbGroup group, out string? problem))
                {
                    return ToolCommand.UsageError(stderr, "lb", problem ?? "");
                }
                groups.Add(group);
            }
            LbOptions options = common.Read(parseResult, new LbOptions
            {
                Input = parseResult.GetValue(input)!,
                Groups = groups.Count > 0 ? groups : [new LbGroup(null, LbOptions.DefaultPipes)],
                Batch = parseResult.GetValue(batch),
                OverflowFrames = parseResult.GetValue(overflow),
            });
            return options.Validate() is { } usage
                ? ToolCommand.UsageError(stderr, "lb", usage)
                : ToolCommand.RunOnBackend("lb", options.Backend, options.Device, stderr, (selected, cancellation) => Execute(options, selected, stdout, stderr, cancellation));
        });
    }

    /// <summary>Runs on a given backend (tests pass a fake) and prints the summary.</summary>
    public static int Execute(LbOptions options, INetmapBackend backend, TextWriter stdout, TextWriter stderr, CancellationToken cancellation) =>
        options.Validate() is { } usage
            ? ToolCommand.UsageError(stderr, "lb", usage)
            : ToolCommand.Report("lb", () => LbRunner.Run(options, backend, stderr, cancellation), r => r.ToJson(), r => r.ToText(), options.Json, stdout, stderr);
}
