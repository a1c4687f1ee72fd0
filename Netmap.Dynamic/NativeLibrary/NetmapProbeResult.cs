using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Netmap.Dynamic.Interop;
using Netmap.Dynamic.Native;

namespace Netmap.Dynamic;

/// <summary>
/// The diagnosis of one probe: the verdict, a message that says what to do, every place a
/// native library was looked for, what the shim reports about itself, the layout check, the
/// device's answer and the platform. <see cref="ToString"/> is a multi-line report for a bug report.
/// </summary>
public sealed class NetmapProbeResult
{
    internal NetmapProbeResult() { }

    /// <summary>The verdict.</summary>
    public NetmapProbeStatus Status { get; internal init; }

    /// <summary>True when <see cref="Status"/> is <see cref="NetmapProbeStatus.Available"/>.</summary>
    public bool IsAvailable => Status == NetmapProbeStatus.Available;

    /// <summary>
    /// True when the shim and libc loaded and fit this library (the device step was reached):
    /// distinguishes "library fine, device missing or refused" from a broken installation.
    /// </summary>
    public bool IsLibraryLoaded { get; internal init; }

    /// <summary>What happened and what to do about it.</summary>
    public string Message { get; internal init; } = "";

    /// <summary>Every load attempt, shim and libc, in order.</summary>
    public IReadOnlyList<NetmapLoadAttempt> Attempts { get; internal init; } = [];

    /// <summary>The shim that loaded, or null.</summary>
    public string? ShimPath { get; internal init; }

    /// <summary>What the loaded shim reports, or null when none loaded or it could not describe itself.</summary>
    public NetmapShimDescription? Shim { get; internal init; }

    /// <summary>The shim C API version the loaded shim reports, or null.</summary>
    public int? ShimVersion { get; internal init; }

    /// <summary>The shim C API version this library needs.</summary>
    public int RequiredShimVersion => ShimFunctions.ApiVersion;

    /// <summary>Exports missing from the shim or libc (all of them, not just the first).</summary>
    public IReadOnlyList<string> MissingExports { get; internal init; } = [];

    /// <summary>The libc that loaded, or null.</summary>
    public string? LibcPath { get; internal init; }

    /// <summary>Managed structs and ioctl numbers held against the shim's table.</summary>
    public NetmapLayoutCheck Layout { get; internal init; } = NetmapLayoutCheck.NotChecked;

    /// <summary>The control device probed (or that would have been).</summary>
    public string DevicePath { get; internal init; } = NetmapLoadOptions.DefaultDevicePath;

    /// <summary>What the device step reported (the shim's message), or null when it did not run.</summary>
    public string? DeviceMessage { get; internal init; }

    /// <summary>The errno of the device step (0 when it succeeded or did not run).</summary>
    public int DeviceErrno { get; internal init; }

    /// <summary>The netmap API the kernel proved to accept, or null when unknown.</summary>
    public int? KernelApi { get; internal init; }

    /// <summary>The netmap API this library speaks.</summary>
    public int LibraryNetmapApi => NetmapConstants.NETMAP_API;

    /// <summary>The OS (<see cref="RuntimeInformation.OSDescription"/>).</summary>
    public string OperatingSystem { get; internal init; } = RuntimeInformation.OSDescription;

    /// <summary>The process architecture.</summary>
    public Architecture ProcessArchitecture { get; internal init; } = RuntimeInformation.ProcessArchitecture;

    /// <summary>The runtime identifier (<see cref="RuntimeInformation.RuntimeIdentifier"/>).</summary>
    public string RuntimeIdentifier { get; internal init; } = RuntimeInformation.RuntimeIdentifier;

    /// <summary>A multi-line report of everything above.</summary>
    public override string ToString()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        StringBuilder s = new();
        s.Append(c, $"netmap probe: {Status}").AppendLine();
        s.Append(c, $"  {Message}").AppendLine();
        s.Append(c, $"platform: {OperatingSystem}, {ProcessArchitecture}, runtime {RuntimeIdentifier}, {RuntimeInformation.FrameworkDescription}").AppendLine();
        s.Append(c, $"library: netmap API {LibraryNetmapApi}, shim C API {RequiredShimVersion}").AppendLine();
        if (ShimPath is null)
            s.AppendLine("shim: not loaded");
        else if (Shim is null)
            s.Append(c, $"shim: {ShimPath} (C API {(ShimVersion is int v ? v.ToString(c) : "unknown")}, not described)").AppendLine();
        else
        {
            s.Append(c, $"shim: {Shim.Path} (C API {Shim.Version}, netmap API {Shim.NetmapApi} [{Shim.NetmapMinApi}..{Shim.NetmapMaxApi}], {Shim.Headers} headers)").AppendLine();
            s.Append(c, $"  ioctls: NIOCCTRL 0x{Shim.NiocCtrl:x}, NIOCTXSYNC 0x{Shim.NiocTxSync:x}, NIOCRXSYNC 0x{Shim.NiocRxSync:x}").AppendLine();
        }
        if (MissingExports.Count > 0)
            s.Append(c, $"missing exports: {string.Join(", ", MissingExports)}").AppendLine();
        s.Append(c, $"libc: {LibcPath ?? "not loaded"}").AppendLine();
        if (!Layout.Checked)
            s.AppendLine("layout: not checked");
        else if (Layout.Mismatches.Count == 0)
            s.Append(c, $"layout: {Layout.ItemsCompared} sizes, offsets and ioctl numbers match").AppendLine();
        else
        {
            s.Append(c, $"layout: {Layout.Mismatches.Count} of {Layout.ItemsCompared} items differ").AppendLine();
            foreach (NetmapLayoutMismatch m in Layout.Mismatches)
                s.Append(c, $"  {m}").AppendLine();
        }
        s.Append(c, $"device: {DevicePath}: {DeviceMessage ?? "not probed"}").AppendLine();
        s.Append(c, $"kernel API: {(KernelApi is int k ? k.ToString(c) : "unknown")}").AppendLine();
        s.AppendLine("attempts:");
        if (Attempts.Count == 0)
            s.AppendLine("  (none)");
        foreach (NetmapLoadAttempt attempt in Attempts)
            s.Append(c, $"  {attempt}").AppendLine();
        return s.ToString();
    }
}
