using System.Globalization;

namespace Netmap.Dynamic.Cli.Shared;

/// <summary>Frame and bit rates as the tools print them: Mpps, and Gbps of frame bytes (without CRC).</summary>
internal static class Rates
{
    public static double Mpps(long frames, double seconds) => seconds > 0 ? frames / seconds / 1e6 : 0;

    public static double Gbps(long bytes, double seconds) => seconds > 0 ? bytes * 8 / seconds / 1e9 : 0;

    /// <summary>"   4.812 Mpps    2.310 Gbps": the rate part of a rate line.</summary>
    public static string Line(double seconds, long frames, long bytes) =>
        string.Create(CultureInfo.InvariantCulture, $"{Mpps(frames, seconds),9:F3} Mpps {Gbps(bytes, seconds),8:F3} Gbps");

    /// <summary>
    /// A rate-line maker for <see cref="RateReporter"/>: each call gives the rate since the previous
    /// call from <paramref name="counters"/>, followed by <paramref name="label"/> and the total so far.
    /// </summary>
    public static Func<double, string> Reporter(TrafficCounters counters, string label)
    {
        long previousFrames = 0, previousBytes = 0;
        return seconds =>
        {
            long frames = counters.Frames, bytes = counters.Bytes;
            string line = string.Create(CultureInfo.InvariantCulture, $"{Line(seconds, frames - previousFrames, bytes - previousBytes)}   {label} {frames}");
            (previousFrames, previousBytes) = (frames, bytes);
            return line;
        };
    }
}
