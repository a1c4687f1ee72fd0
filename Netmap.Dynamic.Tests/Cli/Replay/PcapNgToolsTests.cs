using Netmap.Dynamic.Cli.Capture;
using Netmap.Dynamic.Cli.Commands;
using Netmap.Dynamic.Cli.Pcap;
using Netmap.Dynamic.Cli.Replay;
using Netmap.Dynamic.Tests.Cli.Pcap;
using Netmap.Dynamic.Tests.BothBackends;
using Netmap.Dynamic.Tests.Cli.Shared;

namespace Netmap.Dynamic.Tests.Cli.Replay;

/// <summary>
/// pcapng through the tools, on the fake and on the real kernel: `capture --format pcapng` holds
/// what arrived on a pipe end, and `replay` of a pcapng file (ours, dumpcap's) delivers it frame
/// for frame to the pipe's other end.
/// </summary>
public sealed class PcapNgToolsTests(BackendKind kind) : TwoBackendTest(kind)
{
    private string _dir = "";

    [SetUp]
    public void MakeDirectory() => _dir = Directory.CreateTempSubdirectory("netmap-pcapng-tools-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private List<byte[]> Replay(string file, long expected)
    {
        string p = Unique("ng");
        ReplayOptions options = new() { File = file, Port = $"netmap:{p}{{1", RateIntervalSeconds = 0 };
        using NetmapPort receiver = Backend.OpenPort($"netmap:{p}}}1");
        using StringWriter stdout = new(), stderr = new();
        INetmapBackend backend = Backend;
        Task<int> replay = Task.Factory.StartNew(() => ReplayCommand.Execute(options, stdout, stderr, CancellationToken.None, backend),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        List<byte[]> got = [];
        PortTraffic.Receive(receiver, expected, (_, bytes) => got.Add(bytes.ToArray()));
        Assert.That(replay.Wait(Guard), Is.True, "the replay did not finish");
        Assert.That(replay.Result, Is.Zero, stderr.ToString());
        return got;
    }

    [Test]
    public void A_pcapng_file_dumpcap_wrote_replays_frame_for_frame()
    {
        byte[][] frames = TestFrames.Many(300, seed: 9);
        PcapFileBuilder classic = new(nanoseconds: false);
        for (int i = 0; i < frames.Length; i++) classic.Record((uint)(1000 + i), 0, frames[i]);
        string piped = classic.WriteTo(Path.Combine(_dir, "in.pcap"));
        string theirs = Path.Combine(_dir, "dumpcap.pcapng");
        Wireshark.Run(Wireshark.Dumpcap, piped, "-q", "-i", "-", "-w", theirs);

        Assert.That(Replay(theirs, frames.Length), Is.EqualTo(frames));
    }

    [Test]
    public void A_pcapng_file_of_two_ethernet_interfaces_in_big_endian_replays_in_file_order()
    {
        byte[][] frames = TestFrames.Many(200, seed: 10);
        PcapNgFileBuilder file = new PcapNgFileBuilder(bigEndian: true).Interface(name: "a").Interface(tsresol: 9, name: "b");
        for (int i = 0; i < frames.Length; i++)
        {
            if (i % 50 == 25) file.Block(5, new byte[20]);   // statistics between packets: skipped
            file.Enhanced((uint)(i % 2), (ulong)i, frames[i]);
        }

        Assert.That(Replay(file.WriteTo(Path.Combine(_dir, "two.pcapng")), frames.Length), Is.EqualTo(frames));
    }

    [Test]
    public void Capture_in_pcapng_holds_every_frame_that_arrived_and_replays_back()
    {
        string p = Unique("cng");
        string file = Path.Combine(_dir, "c.pcapng");
        const int count = 1500;
        static byte[] Frame(long i) => TestFrames.Make((int)i, 60 + (int)(i * 31 % 1400));
        CaptureOptions options = new() { Port = $"netmap:{p}}}1", File = file, Count = count, Format = CaptureFileFormat.PcapNg, RateIntervalSeconds = 0 };
        using (NetmapPort sender = Backend.OpenPort($"netmap:{p}{{1"))
        {
            INetmapBackend backend = Backend;
            Task<CaptureResult> capture = Task.Factory.StartNew(() => CaptureRunner.Run(options, backend, TextWriter.Null, CancellationToken.None),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            NetmapRing tx = sender.GetTxRing(0);
            long sent = 0;
            while (sent < count && !capture.IsFaulted)
            {
                while (sent < count && tx.TryWrite(Frame(sent))) sent++;
                sender.TxSync();
                if (sent < count) sender.Poll(NetmapPollEvents.Transmit, TimeSpan.FromMilliseconds(50));
            }
            Assert.That(capture.Wait(Guard), Is.True, "the capture did not stop after --count frames");
            Assert.That(capture.Result.Frames, Is.EqualTo(count));
        }

        using (IFrameFileReader reader = FrameFiles.Open(file))
        {
            Assert.That(reader.Format, Is.EqualTo("pcapng"));
            for (int i = 0; i < count; i++)
            {
                Assert.That(reader.TryReadFrame(out ReadOnlySpan<byte> frame, out _, out int original), Is.True, $"frame {i}");
                Assert.That((frame.SequenceEqual(Frame(i)), original), Is.EqualTo((true, Frame(i).Length)), $"frame {i}");
            }
            Assert.That(reader.TryReadFrame(out _, out _, out _), Is.False);
        }
        Assert.That(Replay(file, count), Is.EqualTo(Enumerable.Range(0, count).Select(i => Frame(i))));
    }
}
