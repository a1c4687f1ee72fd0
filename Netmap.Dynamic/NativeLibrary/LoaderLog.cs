using Microsoft.Extensions.Logging;

namespace Netmap.Dynamic;

/// <summary>The loader's log messages (source-generated: no boxing, no reflection).</summary>
internal static partial class LoaderLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "netmap {Library} attempt [{Source}] {Path}: {Outcome}")]
    public static partial void Attempt(ILogger logger, string library, string source, string path, string outcome);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "netmap available: shim {ShimPath} (C API {ShimVersion}, netmap API {NetmapApi}, {Headers} headers), device {DevicePath} speaks API {KernelApi}")]
    public static partial void Available(ILogger logger, string shimPath, int shimVersion, int netmapApi, string headers, string devicePath, int kernelApi);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "netmap unavailable ({Status}): {Message}")]
    public static partial void Unavailable(ILogger logger, NetmapProbeStatus status, string message);
}
