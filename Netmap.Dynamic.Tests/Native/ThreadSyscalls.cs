using System.Globalization;
using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Tests.Native;

/// <summary>
/// What the threads of this process are blocked in, read from /proc/self/task/*/syscall (Linux):
/// how a test knows, without sleeping, that a waiter sits in poll or that the wait reactor sits
/// in epoll_wait, and how many threads wait.
/// </summary>
internal static unsafe class ThreadSyscalls
{
    private static readonly bool Arm64 = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    // x86_64: poll 7, ppoll 271, epoll_wait 232, epoll_pwait 281; aarch64: ppoll 73, epoll_pwait 22; both: epoll_pwait2 441.
    private static readonly int[] PollCalls = Arm64 ? [73] : [7, 271];
    private static readonly int[] EpollWaitCalls = Arm64 ? [22, 441] : [232, 281, 441];

    /// <summary>Threads now blocked in poll/ppoll with <paramref name="fd"/> in their pollfd array.</summary>
    public static int BlockedInPollOn(int fd)
    {
        int threads = 0;
        foreach ((int call, ulong address, ulong count) in Blocked())
        {
            if (!PollCalls.Contains(call) || count is 0 or > 8) continue;
            // The pollfd array lives on the blocked thread's stack, which stays mapped while it waits.
            int* entries = (int*)address;
            for (ulong i = 0; i < count; i++)
            {
                if (entries[i * 2] == fd)
                {
                    threads++;
                    break;
                }
            }
        }
        return threads;
    }

    /// <summary>Threads now blocked in any poll/ppoll.</summary>
    public static int BlockedInPoll() => Blocked().Count(t => PollCalls.Contains(t.Call));

    /// <summary>Threads now blocked in epoll_wait on <paramref name="epollFd"/>.</summary>
    public static int BlockedInEpollWait(int epollFd) =>
        Blocked().Count(t => EpollWaitCalls.Contains(t.Call) && t.First == (ulong)epollFd);

    /// <summary>The fds registered in epoll instance <paramref name="epollFd"/> (its /proc fdinfo "tfd:" lines).</summary>
    public static HashSet<int> EpollTargets(int epollFd) =>
        [.. File.ReadAllLines($"/proc/self/fdinfo/{epollFd}")
            .Where(line => line.StartsWith("tfd:", StringComparison.Ordinal))
            .Select(line => int.Parse(line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture))];

    /// <summary>
    /// The fds of epoll instance <paramref name="epollFd"/> that are armed: their "events:" mask asks
    /// for input or output (an <c>EPOLLONESHOT</c> entry the kernel has reported keeps only its flag
    /// bits, and epoll calls its file's poll no more).
    /// </summary>
    public static HashSet<int> ArmedEpollTargets(int epollFd) =>
        [.. File.ReadAllLines($"/proc/self/fdinfo/{epollFd}")
            .Where(line => line.StartsWith("tfd:", StringComparison.Ordinal))
            .Select(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => (uint.Parse(parts[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture) & 0x5u) != 0)   // EPOLLIN | EPOLLOUT
            .Select(parts => int.Parse(parts[1], CultureInfo.InvariantCulture))];

    /// <summary>Threads of this process (tasks in /proc/self/task).</summary>
    public static int ThreadCount() => Directory.GetDirectories("/proc/self/task").Length;

    /// <summary>Polls <paramref name="condition"/> (no sleeping: a spin with yields) until it holds or the guard passes.</summary>
    public static void WaitFor(Func<bool> condition, string what, TimeSpan guard)
    {
        DateTime deadline = DateTime.UtcNow + guard;
        SpinWait spin = default;
        while (!condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"timed out waiting until {what}");
            spin.SpinOnce();
        }
    }

    /// <summary>(syscall number, first argument, second argument) of every thread of this process that is in a syscall.</summary>
    private static List<(int Call, ulong First, ulong Second)> Blocked()
    {
        List<(int, ulong, ulong)> result = [];
        foreach (string task in Directory.GetDirectories("/proc/self/task"))
        {
            string text;
            try { text = File.ReadAllText(Path.Combine(task, "syscall")); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            string[] parts = text.Trim().Split(' ');
            if (parts.Length < 3 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out int call)) continue;
            result.Add((call, Convert.ToUInt64(parts[1], 16), Convert.ToUInt64(parts[2], 16)));
        }
        return result;
    }
}
