using System.Diagnostics;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.Native;

/// <summary>
/// The real kernel over many opens: nothing is left behind (no fd, no mapping, no kernel port),
/// failed opens cost nothing, and a process killed while it holds ports does not block the next one.
/// </summary>
public sealed class ReliabilityTests : RealNetmapFixture
{
    private const int Cycles = 10_000;
    private const int FreshCycles = 100;
    private const int FailedOpens = 1_000;
    private static readonly byte[] s_frame = new byte[60];

    /// <summary>The fds and mappings netmap code of this process holds (the runtime opens other files at any time).</summary>
    private static (int Fds, int Mappings) Footprint() =>
        (NativeTables.OpenFdCount("/dev/netmap", "anon_inode:[eventfd]"),
         File.ReadLines("/proc/self/maps").Count(line => line.EndsWith(" /dev/netmap", StringComparison.Ordinal)));

    [Test]
    public void Ten_thousand_open_close_cycles_of_pipes_and_vale_ports_leave_no_fd_mapping_or_port()
    {
        // Most cycles reuse a kept allocator (a holder keeps the pipes' parent and the VALE port
        // alive), since a fresh allocator costs the emulated test VM tens of milliseconds; the
        // last cycles create and destroy everything, parent interface and port included.
        string parent = Unique("rc"), sw = Unique("vale_rc");
        (int Fds, int Mappings) before = Footprint();
        using (NetmapPort pipeHolder = Library.OpenPort($"netmap:{parent}{{9"))
        using (NetmapPort valeHolder = Library.OpenPort($"{sw}:p"))
        {
            for (int i = 0; i < Cycles - FreshCycles; i++) Cycle(parent, sw, i);
        }
        for (int i = 0; i < FreshCycles; i++) Cycle(parent, sw, i);

        Assert.Multiple(() =>
        {
            Assert.That(Footprint(), Is.EqualTo(before), "fds and mappings of /dev/netmap");
            Assert.That(Library.Backend.MappedRegions, Is.Zero);
            Assert.That(Library.ValeList().Select(p => p.Name), Has.None.StartsWith(sw + ":"), "no VALE port left on the switch");
            Assert.That(Directory.Exists($"/sys/class/net/{parent}"), Is.False, "the pipes' parent interface went with its last pipe");
            Assert.Throws<NetmapPortNotFoundException>(() => Library.GetPortInfo(parent));
        });
    }

    private void Cycle(string parent, string sw, int i)
    {
        if (i % 2 == 0)
        {
            using NetmapPort master = Library.OpenPort($"netmap:{parent}{{1");
            using NetmapPort slave = Library.OpenPort($"netmap:{parent}}}1");
            master.GetTxRing(0).TryWrite(s_frame);
            master.TxSync();
        }
        else
        {
            using NetmapPort port = Library.OpenPort($"{sw}:p");
            port.GetTxRing(0).TryWrite(s_frame);
            port.TxSync();
        }
    }

    [Test]
    public void A_thousand_failed_opens_leave_no_fd_or_mapping()
    {
        string held = $"{Unique("vale_rf")}:x";
        using NetmapPort holder = Library.OpenPort(held + "/x");
        string missing = Unique("nosuch"), pipe = Unique("rf");
        (int Fds, int Mappings) before = Footprint();
        int[] errnos = new int[3];
        for (int i = 0; i < FailedOpens; i++)
        {
            string spec = (i % 3) switch
            {
                0 => $"netmap:{missing}",   // ENXIO: no such interface
                1 => held,                  // EBUSY: held exclusively
                _ => $"netmap:{pipe}{{1^",  // EINVAL: a pipe has no host rings
            };
            try
            {
                Library.OpenPort(spec).Dispose();
                Assert.Fail($"{spec} opened");
            }
            catch (NetmapException e)
            {
                errnos[i % 3] = e.Errno;
            }
        }

        Assert.That(errnos, Is.EqualTo(new[] { Errno.ENXIO, Errno.EBUSY, Errno.EINVAL }));
        Assert.That(Footprint(), Is.EqualTo(before));
        Assert.That(Library.Backend.MappedRegions, Is.EqualTo(1), "only the holder's region");
    }

    [Test]
    public void Ports_of_a_process_killed_with_SIGKILL_can_be_opened_exclusively_at_once()
    {
        string vale = $"{Unique("vale_k")}:x", pipe = $"netmap:{Unique("k")}{{1";
        using Process valeHolder = StartHolder(vale + "/x");
        using Process pipeHolder = StartHolder(pipe + "/x");
        try
        {
            WaitUntilMapped(valeHolder);
            WaitUntilMapped(pipeHolder);
            Assert.Throws<NetmapBusyException>(() => Library.OpenPort(vale).Dispose(), "the child holds the VALE port");
            Assert.Throws<NetmapBusyException>(() => Library.OpenPort(pipe).Dispose(), "the child holds the pipe end");
        }
        finally
        {
            valeHolder.Kill();
            pipeHolder.Kill();
            Assert.That(valeHolder.WaitForExit(Guard) && pipeHolder.WaitForExit(Guard), Is.True, "the children died");
        }

        using NetmapPort valeAgain = Library.OpenPort(vale + "/x");
        using NetmapPort pipeAgain = Library.OpenPort(pipe + "/x");
        Assert.That(Library.ValeList().Count(p => p.Name == vale), Is.EqualTo(1), "one port, ours");
    }

    /// <summary>`netmap pkt-gen -f rx` on the native backend: opens <paramref name="spec"/> and waits for frames until killed.</summary>
    private static Process StartHolder(string spec)
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "netmap.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { cli, "pkt-gen", "--backend", "native", "-f", "rx", "-i", spec, "--rate-interval", "1" })
            start.ArgumentList.Add(arg);
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the netmap CLI");
    }

    /// <summary>
    /// Returns once <paramref name="child"/> holds its port: its first rate line on stderr comes from
    /// the receive loop, which runs only after the port was registered and mapped.
    /// </summary>
    private static void WaitUntilMapped(Process child)
    {
        Task<string?> line = child.StandardError.ReadLineAsync();
        Assert.That(line.Wait(TimeSpan.FromSeconds(90)), Is.True, "no rate line from the holder (the CLI starts in seconds on an emulated CPU)");
        Assert.That(child.HasExited, Is.False, () => $"the holder exited: {line.Result}");
        bool mapped = File.ReadLines($"/proc/{child.Id}/maps").Any(l => l.EndsWith(" /dev/netmap", StringComparison.Ordinal));
        Assert.That(mapped, Is.True, () => $"the holder has no netmap region; it said: {line.Result}");
    }
}
