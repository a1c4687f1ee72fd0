using System.Diagnostics;

namespace Netmap.Dynamic.Cli.Shared;

/// <summary>
/// The main thread's job while a command's worker threads run: one rate line on stderr per
/// interval until they are done. <see cref="RunWorker{T}"/> runs one worker that way.
/// </summary>
internal static class RateReporter
{
    /// <summary>Waits for <paramref name="done"/>, printing <paramref name="line"/>(seconds since the last line) every interval (0: no lines).</summary>
    public static void Report(double intervalSeconds, CountdownEvent done, Func<double, string> line, TextWriter output)
    {
        if (intervalSeconds <= 0)
        {
            done.Wait();
            return;
        }
        TimeSpan interval = TimeSpan.FromSeconds(intervalSeconds);
        long last = Stopwatch.GetTimestamp();
        while (!done.Wait(interval))
        {
            long now = Stopwatch.GetTimestamp();
            output.WriteLine(line((now - last) / (double)Stopwatch.Frequency));
            output.Flush();
            last = now;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a thread of its own while this thread reports rates;
    /// returns its result or rethrows its exception (a <see cref="NetmapException"/> as it is).
    /// </summary>
    public static T RunWorker<T>(string name, Func<T> work, double intervalSeconds, Func<double, string> line, TextWriter output)
    {
        T result = default!;
        Exception? failure = null;
        using CountdownEvent done = new(1);
        Thread thread = new(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                done.Signal();
            }
        })
        { IsBackground = true, Name = name };
        thread.Start();
        Report(intervalSeconds, done, line, output);
        thread.Join();
        if (failure is not null)
        {
            if (failure is NetmapException or IOException or Pcap.PcapFormatException)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            }
            throw new InvalidOperationException($"{name} failed: {failure.Message}", failure);
        }
        return result;
    }
}
