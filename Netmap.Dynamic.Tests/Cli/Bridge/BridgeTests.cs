using Netmap.Dynamic.Cli.Bridge;
using Netmap.Dynamic.Tests.Cli.Pcap;
using Netmap.Dynamic.Tests.BothBackends;
using Netmap.Dynamic.Tests.Cli.Shared;

namespace Netmap.Dynamic.Tests.Cli.Bridge;

/// <summary>`netmap bridge` between pipes, on the fake and on the real kernel: what goes in one side comes out of the other, both ways.</summary>
public sealed class BridgeTests(BackendKind kind) : TwoBackendTest(kind)
{
    private sealed class RunningBridge(Task<BridgeResult> task, CancellationTokenSource stop) : IDisposable
    {
        public BridgeResult Stop()
        {
            stop.Cancel();
            Assert.That(task.Wait(Guard), Is.True, "the bridge did not stop after cancellation");
            return task.Result;
        }

        public void Dispose()
        {
            stop.Cancel();
            task.Wait(Guard);
            stop.Dispose();
        }
    }

    private RunningBridge Start(string a, string b, bool copy = false, int batch = BridgeOptions.DefaultBatch, int threads = 1)
    {
        BridgeOptions options = new() { PortA = a, PortB = b, ForceCopy = copy, Batch = batch, Threads = threads, RateIntervalSeconds = 0 };
        CancellationTokenSource stop = new();
        using ManualResetEventSlim opened = new();
        INetmapBackend backend = Backend;
        Task<BridgeResult> task = Task.Factory.StartNew(() => BridgeRunner.Run(options, backend, TextWriter.Null, stop.Token, opened),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.That(WaitHandle.WaitAny([opened.WaitHandle, ((IAsyncResult)task).AsyncWaitHandle], Guard), Is.Not.EqualTo(WaitHandle.WaitTimeout));
        if (task.IsFaulted) Assert.Fail($"the bridge failed to start: {task.Exception!.InnerException!.Message}");
        return new RunningBridge(task, stop);
    }

    private static byte[] Frame(long i) => TestFrames.Make((int)i, 60 + (int)(i % 200));

    private static void ExchangeAndCheck(NetmapPort sender, NetmapPort receiver, int count, int seedOffset)
    {
        long got = PortTraffic.Exchange(sender, receiver, count, i => Frame(i + seedOffset), (i, bytes) =>
        {
            if (!bytes.SequenceEqual(Frame(i + seedOffset)))
                Assert.Fail($"frame {i} arrived changed or out of order");
        });
        Assert.That(got, Is.EqualTo(count));
    }

    [TestCase(1, Description = "one thread, one poll over both ports (the default)")]
    [TestCase(2, Description = "a thread per direction")]
    public void Frames_cross_both_ways_unchanged_in_order_and_are_counted_per_direction(int threads)
    {
        string p = Unique("br");
        using NetmapPort left = Backend.OpenPort($"netmap:{p}{{1");
        using NetmapPort right = Backend.OpenPort($"netmap:{p}}}2");
        BridgeResult result;
        using (RunningBridge bridge = Start($"netmap:{p}}}1", $"netmap:{p}{{2", threads: threads))
        {
            ExchangeAndCheck(left, right, 5000, 0);
            ExchangeAndCheck(right, left, 3000, 100_000);
            result = bridge.Stop();
        }
        long bytesAToB = Enumerable.Range(0, 5000).Sum(i => (long)Frame(i).Length);
        Assert.Multiple(() =>
        {
            Assert.That(result.ZeroCopy, Is.True, "pipes of one parent share memory: buffers are swapped");
            Assert.That(result.AToB.Frames, Is.EqualTo(5000));
            Assert.That(result.AToB.Bytes, Is.EqualTo(bytesAToB));
            Assert.That(result.BToA.Frames, Is.EqualTo(3000));
            Assert.That(result.Interrupted, Is.True);
            Assert.That(result.Threads, Is.EqualTo(threads));
        });
    }

    [Test]
    public void Ports_in_different_memory_regions_are_bridged_by_copying()
    {
        string p = Unique("bra"), q = Unique("brb");
        using NetmapPort left = Backend.OpenPort($"netmap:{p}{{1");
        using NetmapPort right = Backend.OpenPort($"netmap:{q}}}1");
        Assert.That(left.MemId, Is.Not.EqualTo(right.MemId), "pipes of different parents have their own allocators");
        BridgeResult result;
        using (RunningBridge bridge = Start($"netmap:{p}}}1", $"netmap:{q}{{1"))
        {
            ExchangeAndCheck(left, right, 3000, 0);
            ExchangeAndCheck(right, left, 1000, 50_000);
            result = bridge.Stop();
        }
        Assert.Multiple(() =>
        {
            Assert.That(result.ZeroCopy, Is.False);
            Assert.That((result.AToB.Frames, result.BToA.Frames), Is.EqualTo((3000L, 1000L)));
        });
    }

    [Test]
    public void Copy_is_used_when_asked_even_where_buffers_could_be_swapped()
    {
        string p = Unique("brc");
        using NetmapPort left = Backend.OpenPort($"netmap:{p}{{1");
        using NetmapPort right = Backend.OpenPort($"netmap:{p}}}2");
        BridgeResult result;
        using (RunningBridge bridge = Start($"netmap:{p}}}1", $"netmap:{p}{{2", copy: true, batch: 7))
        {
            ExchangeAndCheck(left, right, 2000, 0);
            result = bridge.Stop();
        }
        Assert.That((result.ZeroCopy, result.AToB.Frames), Is.EqualTo((false, 2000L)));
    }

    [Test]
    public void A_port_that_cannot_be_opened_fails_the_run_with_the_kernels_error()
    {
        string p = Unique("brd");
        BridgeOptions options = new() { PortA = $"netmap:{p}}}1", PortB = "netmap:" + Unique("nosuchnic"), RateIntervalSeconds = 0 };
        Assert.Throws(Is.InstanceOf<NetmapException>(), () => BridgeRunner.Run(options, Backend, TextWriter.Null, CancellationToken.None));
    }
}
