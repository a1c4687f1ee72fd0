using Netmap.Dynamic.Cli.Capture;
using Netmap.Dynamic.Cli.Pcap;
using Netmap.Dynamic.Tests.Cli.Pcap;
using Netmap.Dynamic.Tests.BothBackends;

namespace Netmap.Dynamic.Tests.Cli.Capture;

/// <summary>`netmap capture` on a pipe end, on the fake and on the real kernel: the file holds what arrived.</summary>
public sealed class CaptureTests(BackendKind kind) : TwoBackendTest(kind)
{
    private string _dir = "";

    [SetUp]
    public void MakeDirectory() => _dir = Directory.CreateTempSubdirectory("netmap-capture-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private static byte[] Frame(long i) => TestFrames.Make((int)i, 60 + (int)(i * 13 % 1400));

    private CaptureResult CaptureWhileSending(int count, int snapLength, CaptureWriter writer, string file)
    {
        string p = Unique("cap");
        using NetmapPort sender = Backend.OpenPort($"netmap:{p}{{1");
        CaptureOptions options = new() { Port = $"netmap:{p}}}1", File = file, Count = count, SnapLength = snapLength, Writer = writer, RateIntervalSeconds = 0 };
        INetmapBackend backend = Backend;
        Task<CaptureResult> capture = Task.Factory.StartNew(() => CaptureRunner.Run(options, backend, TextWriter.Null, CancellationToken.None),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        // Send in ring-sized steps until the capture has everything (it stops by itself at --count).
        NetmapRing tx = sender.GetTxRing(0);
        long sent = 0;
        while (sent < count)
        {
            while (sent < count && tx.TryWrite(Frame(sent))) sent++;
            sender.TxSync();
            if (sent < count) sender.Poll(NetmapPollEvents.Transmit, TimeSpan.FromMilliseconds(50));
            if (capture.IsFaulted) break;
        }
        Assert.That(capture.Wait(Guard), Is.True, "the capture did not stop after --count frames");
        return capture.Result;
    }

    [TestCase(true)]
    [TestCase(false)]
    public void The_file_holds_every_frame_that_arrived_in_order_with_times_of_the_run(bool writerThread)
    {
        CaptureWriter writer = writerThread ? CaptureWriter.Thread : CaptureWriter.Inline;
        string file = Path.Combine(_dir, "c.pcap");
        long before = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
        CaptureResult result = CaptureWhileSending(3000, PcapFormat.MaxSnapLength, writer, file);
        long after = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;

        Assert.That(result.Frames, Is.EqualTo(3000));
        using PcapReader reader = PcapReader.Open(file);
        long previous = 0;
        for (int i = 0; i < 3000; i++)
        {
            Assert.That(reader.TryReadFrame(out ReadOnlySpan<byte> frame, out long ns, out int original), Is.True, $"frame {i}");
            Assert.That(frame.SequenceEqual(Frame(i)), Is.True, $"bytes of frame {i}");
            Assert.That(original, Is.EqualTo(Frame(i).Length));
            Assert.That(ns, Is.InRange(Math.Max(before - 1_000_000, previous), after + 1_000_000), $"time of frame {i}");
            previous = ns;
        }
        Assert.That(reader.TryReadFrame(out _, out _, out _), Is.False, "nothing beyond --count");
        Assert.That(result.Bytes, Is.EqualTo(Enumerable.Range(0, 3000).Sum(i => (long)Frame(i).Length)));
    }

    [Test]
    public void The_snap_length_keeps_the_first_bytes_and_the_whole_length()
    {
        string file = Path.Combine(_dir, "s.pcap");
        CaptureWhileSending(500, 64, CaptureWriter.Thread, file);

        using PcapReader reader = PcapReader.Open(file);
        Assert.That(reader.Header.SnapLength, Is.EqualTo(64));
        for (int i = 0; i < 500; i++)
        {
            Assert.That(reader.TryReadFrame(out ReadOnlySpan<byte> frame, out _, out int original), Is.True);
            byte[] sent = Frame(i);
            Assert.That(frame.SequenceEqual(sent.AsSpan(0, Math.Min(64, sent.Length))), Is.True, $"first bytes of frame {i}");
            Assert.That(original, Is.EqualTo(sent.Length));
        }
    }
}
