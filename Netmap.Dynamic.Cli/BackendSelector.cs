using System.Diagnostics.CodeAnalysis;
using Netmap.Dynamic.Cli.PktGen;
using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Cli;

/// <summary>
/// Picks the backend a command runs on. `fake` is always there; `native` needs the native
/// data plane as an <see cref="INetmapBackend"/>, which is not in this build yet, so it is
/// refused with a clear message (exit 3) that also says what the probe found; `auto` falls
/// back to the fake with a one-line note. This is the one place to change when the native
/// backend lands (issue 6): return it when <see cref="NetmapLibrary.TryLoad(out NetmapLibrary?, out NetmapProbeResult)"/> succeeds.
/// </summary>
internal static class BackendSelector
{
    private const string NoDataPlane = "this build has no native data plane yet";

    /// <summary>Why the native backend cannot be used here, in one sentence (probes netmap).</summary>
    public static string NativeUnavailable()
    {
        NetmapProbeResult probe = NetmapLibrary.Probe();
        return probe.IsAvailable
            ? $"the native netmap backend is not available: netmap itself is usable here (probe: Available), but {NoDataPlane}"
            : $"the native netmap backend is not available: probe says {probe.Status}: {probe.Message}";
    }

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
                error = NativeUnavailable();
                return false;
            default:
                NetmapProbeResult probe = NetmapLibrary.Probe();
                string why = probe.IsAvailable ? NoDataPlane : $"probe: {probe.Status}";
                stderr.WriteLine($"note: native netmap backend not available ({why}), using the fake in-memory backend");
                backend = new FakeNetmapBackend();
                return true;
        }
    }
}
