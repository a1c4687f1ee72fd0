using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using Netmap.Dynamic.Cli.Shared;
using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Cli.Shared;

/// <summary>
/// Picks the backend a command runs on. `fake` is always there; `native` is
/// <see cref="NetmapLibrary"/> when the probe says Available, and otherwise refused with the
/// probe's status and message (exit 3); `auto` takes native when available and falls back to the
/// fake with a one-line note on stderr. <c>device</c> is the control device to probe and use
/// (<c>--device</c>; null means <see cref="NetmapLoadOptions.DefaultDevicePath"/>).
/// </summary>
internal static class BackendSelector
{
    public static BackendChoice Parse(string text) => text switch
    {
        "native" => BackendChoice.Native,
        "fake" => BackendChoice.Fake,
        _ => BackendChoice.Auto,
    };

    /// <summary>The native backend, or why it cannot be had here in one sentence.</summary>
    public static bool TryNative(string? device, [NotNullWhen(true)] out NetmapLibrary? library, [NotNullWhen(false)] out string? error)
    {
        if (NetmapLibrary.TryLoad(Options(device), out library, out NetmapProbeResult probe))
        {
            error = null;
            return true;
        }
        error = $"the native netmap backend is not available: probe says {probe.Status}: {probe.Message}";
        return false;
    }

    public static bool TrySelect(BackendChoice choice, string? device, TextWriter stderr, [NotNullWhen(true)] out INetmapBackend? backend, [NotNullWhen(false)] out string? error)
    {
        backend = null;
        error = null;
        switch (choice)
        {
            case BackendChoice.Fake:
                backend = new FakeNetmapBackend();
                return true;
            case BackendChoice.Native:
                if (!TryNative(device, out NetmapLibrary? library, out error)) return false;
                backend = library;
                return true;
            default:
                if (NetmapLibrary.TryLoad(Options(device), out NetmapLibrary? available, out NetmapProbeResult probe))
                {
                    backend = available;
                    return true;
                }
                stderr.WriteLine($"note: native netmap backend not available (probe: {probe.Status}), using the fake in-memory backend");
                backend = new FakeNetmapBackend();
                return true;
        }
    }

    /// <summary>The `--device` option shared by the commands that open ports.</summary>
    public static Option<string?> DeviceOption() =>
        new("--device") { Description = $"netmap control device for the native backend (default {NetmapLoadOptions.DefaultDevicePath})" };

    private static NetmapLoadOptions Options(string? device) => new() { DevicePath = device };
}
