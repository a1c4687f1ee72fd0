namespace Netmap.Dynamic.Cli.Shared;

/// <summary>The `netmap` tool's exit codes, the same for every command.</summary>
internal static class ExitCodes
{
    /// <summary>Done, and (for pkt-gen txrx/ping) every frame arrived intact and in order.</summary>
    public const int Success = 0;
    /// <summary>The command ran but failed: frames lost or damaged, a port that cannot be opened, a netmap error.</summary>
    public const int Failure = 1;
    /// <summary>Bad command line: unknown option, value out of range, malformed port spec.</summary>
    public const int Usage = 2;
    /// <summary>The requested backend (or the netmap feature the command needs) is not available here.</summary>
    public const int Unavailable = 3;
}
