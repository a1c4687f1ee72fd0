namespace Netmap.Dynamic.Cli.Shared;

/// <summary>Which backend a tool runs on (<c>--backend</c>).</summary>
internal enum BackendChoice
{
    /// <summary>Native when the probe says netmap is available, else the fake (with a note).</summary>
    Auto,
    Native,
    Fake,
}
