using System.Diagnostics;

namespace Netmap.Dynamic.Cli.Replay;

/// <summary>The clock a paced replay waits on; tests inject a virtual one.</summary>
internal interface IReplayClock
{
    /// <summary>Monotonic nanoseconds (any origin).</summary>
    long NowNanoseconds { get; }

    /// <summary>Returns at <paramref name="nanoseconds"/> (on this clock) or when <paramref name="cancellation"/> fires, whichever is first.</summary>
    void WaitUntil(long nanoseconds, CancellationToken cancellation);
}

/// <summary>
/// The real clock: <see cref="Stopwatch"/>. Waiting sleeps while the target is more than a couple
/// of milliseconds away (the scheduler's granularity), then spins for the rest, so a frame leaves
/// within microseconds of its time.
/// </summary>
internal sealed class SystemReplayClock : IReplayClock
{
    private const long SpinNanoseconds = 2_000_000;

    public static SystemReplayClock Instance { get; } = new();

    public long NowNanoseconds
    {
        get
        {
            long ticks = Stopwatch.GetTimestamp();
            return Stopwatch.Frequency == 1_000_000_000 ? ticks : (long)(ticks * (1e9 / Stopwatch.Frequency));
        }
    }

    public void WaitUntil(long nanoseconds, CancellationToken cancellation)
    {
        long remaining = nanoseconds - NowNanoseconds;
        if (remaining > SpinNanoseconds)
        {
            cancellation.WaitHandle.WaitOne(TimeSpan.FromTicks((remaining - SpinNanoseconds) / 100));
        }
        SpinWait spin = default;
        while (NowNanoseconds < nanoseconds && !cancellation.IsCancellationRequested)
        {
            spin.SpinOnce(sleep1Threshold: -1);   // never sleep 1 ms inside the last stretch
        }
    }
}
