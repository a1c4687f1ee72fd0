using System.Diagnostics;

namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>
/// Round-trip times of ping. Samples go into an array allocated up front; once it is full,
/// reservoir sampling (with a fixed-seed xorshift, no allocation) keeps a uniform sample of
/// all round trips, so median and p99 stay unbiased on long runs. Min and max are exact.
/// </summary>
internal sealed class LatencyRecorder
{
    public const int DefaultCapacity = 1 << 20;

    private readonly long[] _samples;
    private long _seen;
    private long _min = long.MaxValue;
    private long _max;
    private ulong _random = 0x9E3779B97F4A7C15;

    public LatencyRecorder(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _samples = new long[capacity];
    }

    public long Count => _seen;

    /// <summary>Records one round trip measured in <see cref="Stopwatch"/> ticks.</summary>
    public void Record(long ticks)
    {
        _min = Math.Min(_min, ticks);
        _max = Math.Max(_max, ticks);
        if (_seen < _samples.Length)
        {
            _samples[_seen] = ticks;
        }
        else
        {
            // Algorithm R: keep the new sample with probability capacity / (seen + 1).
            _random ^= _random << 13;
            _random ^= _random >> 7;
            _random ^= _random << 17;
            ulong slot = _random % (ulong)(_seen + 1);
            if (slot < (ulong)_samples.Length)
            {
                _samples[slot] = ticks;
            }
        }
        _seen++;
    }

    /// <summary>Min, median, p99 and max in microseconds (nearest-rank percentiles); null
    /// when nothing was recorded. Sorts the samples: call once, at the end.</summary>
    public LatencySummary? Summarize()
    {
        if (_seen == 0)
        {
            return null;
        }
        Span<long> samples = _samples.AsSpan(0, (int)Math.Min(_seen, _samples.Length));
        samples.Sort();
        return new LatencySummary(
            ToMicroseconds(_min),
            ToMicroseconds(Percentile(samples, 50)),
            ToMicroseconds(Percentile(samples, 99)),
            ToMicroseconds(_max),
            _seen);
    }

    // Nearest rank: the smallest value with at least p% of the samples at or below it.
    internal static long Percentile(ReadOnlySpan<long> sorted, int percent)
    {
        int rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    private static double ToMicroseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
}

/// <summary>Round-trip latency in microseconds.</summary>
internal sealed record LatencySummary(double MinUs, double MedianUs, double P99Us, double MaxUs, long Samples);
