using System.Diagnostics.CodeAnalysis;
using Netmap.Dynamic.Cli.PktGen;
using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Cli;

/// <summary>
/// Picks the backend a command runs on. `fake` is always there; `native` needs the native
/// data plane as an <see cref="INetmapBackend"/>, which is not in this build yet, so it is
/// refused with a clear message (exit 3); `auto` falls back to the fake with a one-line note.
/// This is the one place to change when the native backend lands.
/// </summary>
internal static class BackendSelector
{
    public const string NativeUnavailable =
        "the native netmap backend is not available: this build has no native data plane yet";

    public static BackendChoice Parse(string text) => text switch
    {
        "native" => BackendChoice.Native,
        "fake" => BackendChoice.Fake,
        _ => BackendChoice.Auto,
    };

    public static bool TrySelect(BackendChoice choice, TextWriter stderr, [NotNullWhen(true)] out INetmapBackend? backend, [NotNullWhen(false)] out string? error)
    {
        backend = null;
        error = null;
        switch (choice)
        {
            case BackendChoice.Fake:
                backend = new FakeNetmapBackend();
                return true;
            case BackendChoice.Native:
                error = NativeUnavailable;
                return false;
            default:
                stderr.WriteLine("note: native netmap backend not available, using the fake in-memory backend");
                backend = new FakeNetmapBackend();
                return true;
        }
    }
}
