using Microsoft.Extensions.Logging;

namespace Netmap.Dynamic;

/// <summary>
/// Where <see cref="NetmapLibrary"/> looks for the native pieces, and what it probes.
/// Shim search order (docs/probing.md): <see cref="ShimResolver"/>, <see cref="ShimPath"/>, the
/// <see cref="ShimPathEnvironmentVariable"/> environment variable, <c>runtimes/&lt;rid&gt;/native/</c>
/// and then the <see cref="ApplicationDirectory"/> itself, then the system loader by name
/// (<c>libnetmap_shim.so.1</c>, then <c>libnetmap_shim.so</c>). The first shim that loads is used.
/// </summary>
public sealed class NetmapLoadOptions
{
    /// <summary>The environment variable naming the shim's path: <c>NETMAP_DYNAMIC_SHIM</c>.</summary>
    public const string ShimPathEnvironmentVariable = "NETMAP_DYNAMIC_SHIM";

    /// <summary>The control device netmap creates: <c>/dev/netmap</c>.</summary>
    public const string DefaultDevicePath = "/dev/netmap";

    /// <summary>
    /// Asked first: returns a handle to an already loaded shim (for example from
    /// <see cref="System.Runtime.InteropServices.NativeLibrary.Load(string)"/>), or 0 to let the
    /// search go on. The caller keeps ownership of the handle: the library never frees it. An
    /// exception it throws is recorded as a failed attempt.
    /// </summary>
    public Func<nint>? ShimResolver { get; set; }

    /// <summary>
    /// An explicit shim file (relative paths are taken from the current directory). When set and
    /// it does not load, the search stops there: the caller asked for this file, not another one.
    /// </summary>
    public string? ShimPath { get; set; }

    /// <summary>
    /// libc to load, as a path or a name for the system loader; by default <c>libc.so.6</c>, then
    /// <c>libc.so</c> (<c>libc.so.7</c> on FreeBSD).
    /// </summary>
    public string? LibcPath { get; set; }

    /// <summary>The control device to probe; <see cref="DefaultDevicePath"/> when null or empty.</summary>
    public string? DevicePath { get; set; }

    /// <summary>Where the app lives: <c>runtimes/&lt;rid&gt;/native/</c> and the directory itself are searched. Default <see cref="AppContext.BaseDirectory"/>.</summary>
    public string? ApplicationDirectory { get; set; }

    /// <summary>Whether <see cref="ShimPathEnvironmentVariable"/> is honoured (default true). When set and its file does not load, the search stops there.</summary>
    public bool UseEnvironmentVariable { get; set; } = true;

    /// <summary>Whether the system loader is asked last, by soname (default true).</summary>
    public bool UseSystemLoader { get; set; } = true;

    /// <summary>Receives every attempt at Debug and the verdict at Information (available) or Warning (not).</summary>
    public ILogger? Logger { get; set; }

    /// <summary>
    /// When true, a <see cref="NetmapPort.WaitAsync(NetmapPollEvents, CancellationToken)"/> woken by the library's wait reactor continues on
    /// the reactor thread itself instead of the thread pool: one thread hand-off per wake-up instead
    /// of two, about half the wake-up latency (docs/performance.md, "Waiting"). The code after the
    /// await then runs on the one thread that serves every port of the library until it awaits
    /// again: keep it short, and never block there (no <see cref="NetmapPort.Poll"/>, no waiting for
    /// another port's wait). Default false: continuations run on the thread pool, as .NET's socket
    /// engine does unless its inline-completions switch is set. Linux native backend only.
    /// </summary>
    public bool InlineWaitCompletions { get; set; }
}
