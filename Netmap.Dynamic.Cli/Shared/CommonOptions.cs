using System.CommandLine;

namespace Netmap.Dynamic.Cli.Shared;

/// <summary>
/// The options every tool takes: --duration, --backend, --device, --json, --rate-interval.
/// <paramref name="durationDescription"/> says what a run without --duration does, which differs by tool.
/// </summary>
internal sealed class CommonOptions(string durationDescription = "stop after this many seconds (default: until Ctrl+C)")
{
    public Option<double?> Duration { get; } = new("--duration") { Description = durationDescription };
    public Option<string> Backend { get; } = BackendOption();
    public Option<string?> Device { get; } = BackendSelector.DeviceOption();
    public Option<bool> Json { get; } = new("--json") { Description = "print the summary as one JSON object on stdout" };
    public Option<double> RateInterval { get; } = new("--rate-interval")
    {
        Description = "seconds between rate lines on stderr (0: none)",
        DefaultValueFactory = _ => 1.0,
    };

    /// <summary>The options in the order help lists them: after the tool's own.</summary>
    public IEnumerable<Option> All => [Duration, Backend, Device, Json, RateInterval];

    /// <summary><paramref name="options"/> with the common values given on the command line.</summary>
    public T Read<T>(ParseResult parseResult, T options) where T : ToolOptions => (T)(options with
    {
        DurationSeconds = parseResult.GetValue(Duration),
        Backend = BackendSelector.Parse(parseResult.GetValue(Backend)!),
        Device = parseResult.GetValue(Device),
        Json = parseResult.GetValue(Json),
        RateIntervalSeconds = parseResult.GetValue(RateInterval),
    });

    private static Option<string> BackendOption()
    {
        Option<string> backend = new("--backend")
        {
            Description = "auto (native when available, else fake), native or fake",
            DefaultValueFactory = _ => "auto",
        };
        backend.AcceptOnlyFromAmong("auto", "native", "fake");
        return backend;
    }
}
