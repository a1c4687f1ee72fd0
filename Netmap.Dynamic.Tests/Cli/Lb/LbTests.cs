using System.Buffers.Binary;
using Netmap.Dynamic.Cli.Lb;
using Netmap.Dynamic.Tests.BothBackends;

namespace Netmap.Dynamic.Tests.Cli.Lb;

/// <summary>
/// `netmap lb` between pipes, on the fake and on the real kernel: frames of many UDP flows (each in
/// both directions) go into the input pipe; every flow must come out of exactly one output pipe,
/// and the outputs together must get every frame.
/// </summary>
public sealed class LbTests(BackendKind kind) : TwoBackendTest(kind)
{
    private const int Flows = 40;
    private const int Outputs = 3;

    /// <summary>An Ethernet/IPv4/UDP frame of flow <paramref name="flow"/>, addresses and ports swapped when <paramref name="reply"/>; the flow number and direction in the payload.</summary>
    internal static byte[] FlowFrame(int flow, bool reply)
    {
        byte[] f = new byte[60];
        f[12] = 0x08;   // IPv4
        f[14] = 0x45;
        f[23] = 17;     // UDP
        uint a = 0x0a000001u + (uint)flow, b = 0xc0a80001u + (uint)(flow * 7);
        ushort pa = (ushort)(1000 + flow), pb = (ushort)(2000 + (flow * 3));
        BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(26), reply ? b : a);
        BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(30), reply ? a : b);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(34), reply ? pb : pa);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(36), reply ? pa : pb);
        BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(42), flow);
        f[46] = reply ? (byte)1 : (byte)0;
        return f;
    }

    [Test]
    public void Each_flow_stays_on_one_output_in_both_directions_and_the_outputs_together_get_every_frame()
    {
        string input = Unique("lbi"), prefix = Unique("lbo");
        using NetmapPort sender = Backend.OpenPort($"netmap:{input}{{1");
        LbOptions options = new() { Input = $"netmap:{input}}}1", Groups = [new LbGroup(prefix, Outputs)], RateIntervalSeconds = 0 };
        using CancellationTokenSource stop = new();
        using ManualResetEventSlim opened = new();
        INetmapBackend backend = Backend;
        Task<LbResult> lb = Task.Factory.StartNew(() => LbRunner.Run(options, backend, TextWriter.Null, stop.Token, opened),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.That(WaitHandle.WaitAny([opened.WaitHandle, ((IAsyncResult)lb).AsyncWaitHandle], Guard), Is.Not.EqualTo(WaitHandle.WaitTimeout));
        if (lb.IsFaulted) Assert.Fail($"lb failed to start: {lb.Exception!.InnerException!.Message}");

        NetmapPort[] receivers = [.. Enumerable.Range(0, Outputs).Select(k => Backend.OpenPort($"netmap:{prefix}}}{k}"))];
        try
        {
            using NetmapPoller poller = new();
            foreach (NetmapPort r in receivers) poller.Add(r, NetmapPollEvents.Receive);
            var outputOf = new Dictionary<int, int>();
            int sent = 0, received = 0;
            NetmapRing tx = sender.GetTxRing(0);
            for (int round = 0; round < 25; round++)
            {
                for (int i = 0; i < 2 * Flows; i++)   // 80 frames a round: every flow both ways, fewer than any ring holds
                {
                    while (!tx.TryWrite(FlowFrame(i % Flows, reply: i >= Flows)))
                        Assert.That(sender.Poll(NetmapPollEvents.Transmit, Guard), Is.Not.EqualTo(NetmapPollEvents.None), "room in the input pipe");
                    sent++;
                }
                sender.TxSync();
                while (received < sent)
                {
                    Assert.That(poller.Poll(Guard), Is.GreaterThan(0), $"frames {received}..{sent} came out of no output");
                    for (int k = 0; k < Outputs; k++)
                    {
                        NetmapRing rx = receivers[k].GetRxRing(0);
                        while (rx.TryRead(out ReadOnlySpan<byte> frame))
                        {
                            int flow = BinaryPrimitives.ReadInt32LittleEndian(frame[42..]);
                            if (outputOf.TryGetValue(flow, out int seen) && seen != k)
                                Assert.Fail($"flow {flow} came out of outputs {seen} and {k}");
                            outputOf[flow] = k;
                            received++;
                        }
                    }
                }
            }
            stop.Cancel();
            Assert.That(lb.Wait(Guard), Is.True);
            LbResult result = lb.Result;
            Assert.Multiple(() =>
            {
                Assert.That(received, Is.EqualTo(sent), "every frame came out");
                Assert.That(outputOf, Has.Count.EqualTo(Flows));
                Assert.That(outputOf.Values.Distinct().Count(), Is.GreaterThan(1), "the flows are spread over more than one output");
                Assert.That(result.ReceivedFrames, Is.EqualTo(sent));
                Assert.That(result.Outputs.Sum(o => o.Frames), Is.EqualTo(sent));
                Assert.That(result.Outputs.Sum(o => o.Dropped), Is.Zero);
            });
        }
        finally
        {
            stop.Cancel();
            lb.Wait(Guard);
            foreach (NetmapPort r in receivers) r.Dispose();
        }
    }

    [Test]
    public void A_full_output_queues_frames_in_its_overflow_queue_and_delivers_them_once_the_receiver_reads()
    {
        string input = Unique("lbq"), prefix = Unique("lbr");
        using NetmapPort sender = Backend.OpenPort($"netmap:{input}{{1@conf:slots=64");
        LbOptions options = new() { Input = $"netmap:{input}}}1", Groups = [new LbGroup(prefix, 1)], OverflowFrames = 500, RateIntervalSeconds = 0 };
        using CancellationTokenSource stop = new();
        using ManualResetEventSlim opened = new();
        INetmapBackend backend = Backend;
        Task<LbResult> lb = Task.Factory.StartNew(() => LbRunner.Run(options, backend, TextWriter.Null, stop.Token, opened),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.That(WaitHandle.WaitAny([opened.WaitHandle, ((IAsyncResult)lb).AsyncWaitHandle], Guard), Is.Not.EqualTo(WaitHandle.WaitTimeout));
        if (lb.IsFaulted) Assert.Fail($"lb failed to start: {lb.Exception!.InnerException!.Message}");
        using NetmapPort receiver = Backend.OpenPort($"netmap:{prefix}}}0");
        try
        {
            NetmapRing tx = sender.GetTxRing(0), rx = receiver.GetRxRing(0);
            int slots = receiver.RxSlots, total = slots + 200, sent = 0, received = 0;
            while (sent < total)   // more than the output pipe holds, while nobody reads it
            {
                while (sent < total && tx.TryWrite(FlowFrame(sent % Flows, false))) sent++;
                sender.TxSync();
                if (sent < total) Assert.That(sender.Poll(NetmapPollEvents.Transmit, Guard), Is.Not.EqualTo(NetmapPollEvents.None));
            }
            while (received < total)
            {
                Assert.That(receiver.Poll(NetmapPollEvents.Receive, Guard), Is.EqualTo(NetmapPollEvents.Receive), $"frame {received} of {total}");
                while (rx.TryRead(out ReadOnlySpan<byte> frame))
                {
                    Assert.That(BinaryPrimitives.ReadInt32LittleEndian(frame[42..]), Is.EqualTo(received % Flows), "in order, queued ones included");
                    received++;
                }
            }
            stop.Cancel();
            Assert.That(lb.Wait(Guard), Is.True);
            Assert.That(lb.Result.Outputs[0].Dropped, Is.Zero);
            Assert.That(lb.Result.Outputs[0].Frames, Is.EqualTo(total));
        }
        finally
        {
            stop.Cancel();
            lb.Wait(Guard);
        }
    }
}
