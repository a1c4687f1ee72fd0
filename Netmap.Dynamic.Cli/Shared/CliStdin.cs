namespace Netmap.Dynamic.Cli.Shared;

/// <summary>
/// Standard input for commands. System.CommandLine passes output and error writers through its
/// InvocationConfiguration but has no input, so <see cref="Program.Run"/> sets it here
/// (per async flow, so parallel in-process tests do not see each other's input).
/// </summary>
public static class CliStdin
{
    private static readonly AsyncLocal<TextReader?> s_current = new();

    /// <summary>The reader set by <see cref="Program.Run"/>, else <see cref="Console.In"/>.</summary>
    public static TextReader Current => s_current.Value ?? Console.In;

    /// <summary>Sets the reader until the returned scope is disposed.</summary>
    public static IDisposable Use(TextReader reader)
    {
        TextReader? previous = s_current.Value;
        s_current.Value = reader;
        return new Scope(previous);
    }

    private sealed class Scope(TextReader? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}
