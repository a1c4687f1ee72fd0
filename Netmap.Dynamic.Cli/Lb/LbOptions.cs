using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.Lb;

/// <summary>One group of output pipes (<c>-p [prefix:]N</c>): pipes PREFIX{first .. PREFIX{first+N-1.</summary>
/// <param name="Prefix">The pipes' parent name; null: the input port's name, as netmap's lb.</param>
/// <param name="Count">Pipes in the group.</param>
internal readonly record struct LbGroup(string? Prefix, int Count);

/// <summary>A load balancer run as the command line asked for it.</summary>
internal sealed record LbOptions : ToolOptions
{
    public const int DefaultBatch = 2048;   // netmap lb's default batch between RX syncs
    public const int MaxBatch = 8192;
    public const int DefaultPipes = 2;       // netmap lb's default for -p without a number

    public required string Input { get; init; }
    public IReadOnlyList<LbGroup> Groups { get; init; } = [new LbGroup(null, DefaultPipes)];
    public int Batch { get; init; } = DefaultBatch;
    /// <summary>Frames each output may hold in its overflow queue while its pipe is full (0: drop at once).</summary>
    public int OverflowFrames { get; init; }

    /// <summary>The first usage error, or null.</summary>
    public string? Validate()
    {
        if ((BatchProblem(Batch, MaxBatch) ?? CommonProblem()) is { } problem)
        {
            return problem;
        }
        if (Groups.Count == 0 || Groups.Any(g => g.Count is < 1 or > 1024))
        {
            return "each -p group needs 1 to 1024 pipes";
        }
        if (OverflowFrames is < 0 or > 1_000_000)
        {
            return $"--overflow must be 0 to 1000000 frames, got {OverflowFrames}";
        }
        return TryParsePort(Input, out _, out string? bad) ? null : bad;
    }

    /// <summary>Parses <c>-p [prefix:]N</c>.</summary>
    public static bool TryParseGroup(string text, out LbGroup group, out string? problem)
    {
        group = default;
        problem = null;
        int colon = text.LastIndexOf(':');
        string? prefix = colon >= 0 ? text[..colon] : null;
        string count = colon >= 0 ? text[(colon + 1)..] : text;
        if (prefix is { Length: 0 })
        {
            problem = $"missing prefix before ':' in '{text}'";
            return false;
        }
        int n = DefaultPipes;
        if (count.Length > 0 && (!int.TryParse(count, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out n) || n < 1))
        {
            problem = $"invalid number of pipes in '{text}' (must be at least 1)";
            return false;
        }
        group = new LbGroup(prefix, n);
        return true;
    }
}
