using Netmap.Dynamic.Cli.Pcap;
using Netmap.Dynamic.Cli.Replay;
using Netmap.Dynamic.Tests.Cli.Pcap;
using Netmap.Dynamic.Tests.BothBackends;
using Netmap.Dynamic.Tests.Cli.Shared;

namespace Netmap.Dynamic.Tests.Cli.Replay;

/// <summary>`netmap replay` into a pipe end, on the fake and on the real kernel: the peer receives the file's frames, frame for frame.</summary>
public sealed class ReplayTests(BackendKind kind) : TwoBackendTest(kind)
{
    private string _dir = "";

    [SetUp]
    public void MakeDirectory() => _dir = Directory.CreateTempSubdirectory("netmap-replay-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private string WriteFile(byte[][] frames)
    {
        PcapFileBuilder file = new(nanoseconds: false);
        for (int i = 0; i < frames.Length; i++) file.Record((uint)(1000 + i), 0, frames[i]);
        return file.WriteTo(Path.Combine(_dir, "r.pcap"));
    }

    private List<byte[]> ReplayAndReceive(ReplayOptions options, long expected, IReplayClock? clock = null)
    {
        using NetmapPort receiver = Backend.OpenPort(options.Port.Replace('{', '}'));
        using StringWriter stdout = new(), stderr = new();
        INetmapBackend backend = Backend;
        Task<int> replay = Task.Factory.StartNew(() => ReplayCommandRun(options, stdout, stderr, backend, clock),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        List<byte[]> got = [];
        PortTraffic.Receive(receiver, expected, (_, bytes) => got.Add(bytes.ToArray()));
        Assert.That(replay.Wait(Guard), Is.True, "the replay did not finish");
        Assert.That(replay.Result, Is.Zero, stderr.ToString());
        return got;
    }

    private static int ReplayCommandRun(ReplayOptions options, TextWriter stdout, TextWriter stderr, INetmapBackend backend, IReplayClock? clock) =>
        Netmap.Dynamic.Cli.Commands.ReplayCommand.Execute(options, stdout, stderr, CancellationToken.None, backend, clock);

    [Test]
    public void Every_frame_of_the_file_arrives_in_order_once_per_loop()
    {
        byte[][] frames = TestFrames.Many(700);
        string file = WriteFile(frames);
        string p = Unique("rp");
        List<byte[]> got = ReplayAndReceive(new ReplayOptions { File = file, Port = $"netmap:{p}{{1", Loops = 3, RateIntervalSeconds = 0 }, 2100);

        Assert.That(got, Has.Count.EqualTo(2100));
        for (int i = 0; i < got.Count; i++)
            Assert.That(got[i], Is.EqualTo(frames[i % 700]), $"frame {i}");
    }

    [Test]
    public void A_file_tcpdump_wrote_replays_frame_for_frame()
    {
        Tcpdump.RequirePath();
        byte[][] frames = TestFrames.Many(300, seed: 5);
        string ours = WriteFile(frames);
        string theirs = Path.Combine(_dir, "tcpdump.pcap");
        Tcpdump.Run("-r", ours, "-w", theirs);
        string p = Unique("rt");

        List<byte[]> got = ReplayAndReceive(new ReplayOptions { File = theirs, Port = $"netmap:{p}{{1", RateIntervalSeconds = 0 }, 300);

        Assert.That(got, Is.EqualTo(frames));
    }

    [Test]
    public void At_the_files_pace_a_virtual_clock_ends_at_the_files_duration_over_the_speed()
    {
        byte[][] frames = TestFrames.Many(4);
        string file = new PcapFileBuilder()
            .Record(100, 0, frames[0]).Record(101, 0, frames[1]).Record(103, 0, frames[2]).Record(106, 0, frames[3])
            .WriteTo(Path.Combine(_dir, "paced.pcap"));
        VirtualClock clock = new();
        string p = Unique("rc");
        List<byte[]> got = ReplayAndReceive(new ReplayOptions { File = file, Port = $"netmap:{p}{{1", Speed = 2, RateIntervalSeconds = 0 }, 4, clock);

        Assert.That(got, Is.EqualTo(frames));
        Assert.That(clock.Elapsed, Is.EqualTo(3_000_000_000L), "6 s of capture at 2x");
    }
}
