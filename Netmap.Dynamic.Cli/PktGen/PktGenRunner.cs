using System.Diagnostics;
using Netmap.Dynamic.Cli.Shared;

namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>
/// Runs one pkt-gen session on a backend: opens the ports of every lane (one lane per `-p`
/// thread: its ring of the port and, for txrx/ping, of the peer), starts a thread per side of
/// each lane, prints a rate line to stderr every interval while they run, and gathers the
/// result. Errors inside a worker stop the other workers and are rethrown here.
/// </summary>
internal sealed class PktGenRunner
{
    /// <summary>How long a txrx receiver waits for stragglers after the sender finished,
    /// when the last frame has not been seen (it was lost).</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReplyTimeout { get; init; } = PingPongLoops.DefaultReplyTimeout;

    /// <summary>rx -W: how long nothing must arrive, after the first frame, before rx stops.</summary>
    public TimeSpan IdleTimeout { get; init; } = PktGenOptions.IdleStop;

    public PktGenResult Run(PktGenOptions options, INetmapBackend backend, TextWriter rateOutput, CancellationToken cancellation)
    {
        LoopWarmUp.Prepare(typeof(SenderLoop));   // before the ports exist: a registered port means a ready loop
        LoopWarmUp.Prepare(typeof(ReceiverLoop));
        List<NetmapPort> opened = [];
        try
        {
            List<PktGenLane> lanes = OpenLanes(options, backend, opened);
            return Run(options, backend.Name, lanes, rateOutput, cancellation);
        }
        finally
        {
            for (int i = opened.Count - 1; i >= 0; i--)
            {
                opened[i].Dispose();
            }
        }
    }

    // One lane per thread: thread i binds ring i (PORT-i) when -p asks for more than one.
    private static List<PktGenLane> OpenLanes(PktGenOptions options, INetmapBackend backend, List<NetmapPort> opened)
    {
        List<PktGenLane> lanes = [];
        for (int i = 0; i < options.Threads; i++)
        {
            string portSpec = ThreadPorts.ForThread(options.Port, i, options.Threads);
            string? peerSpec = options.Peer is null ? null : ThreadPorts.ForThread(options.Peer, i, options.Threads);
            NetmapPort port = backend.OpenPort(portSpec);
            opened.Add(port);
            if (i == 0)
            {
                CheckRingCount(options, port);
            }
            NetmapPort? peer = null;
            if (peerSpec is not null)
            {
                peer = backend.OpenPort(peerSpec);
                opened.Add(peer);
            }
            lanes.Add(new PktGenLane(portSpec, port, peerSpec, peer));
        }
        return lanes;
    }

    // netmap's pkt-gen names the problem ("bad nthreads") and fails later; say it before starting.
    private static void CheckRingCount(PktGenOptions options, NetmapPort first)
    {
        int rings = options.Mode == PktGenMode.Rx ? first.RxRingCount : first.TxRingCount;
        if (options.Threads > rings)
        {
            throw new NetmapException(
                $"-p {options.Threads} needs {options.Threads} rings, but {options.Port} has {rings}" +
                " (pipes and VALE ports can be asked for more: PORT@conf:rings=N)");
        }
    }

    private PktGenResult Run(PktGenOptions options, string backendName, List<PktGenLane> lanes, TextWriter rateOutput, CancellationToken cancellation)
    {
        using CancellationTokenSource stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        FrameBuilder builder = new(options.Size);
        RunControl control = new(stop.Token, options.DurationSeconds);
        long count = options.EffectiveCount;
        // Each thread takes its share of --count, as netmap's pkt-gen does (-n N -p 2: N/2 each).
        long laneCount = count == long.MaxValue ? count : Math.Max(1, count / lanes.Count);
        bool verify = options.EffectiveVerify;
        Exception? failure = null;
        List<Thread> threads = [];
        int workers = lanes.Sum(l => l.Peer is null ? 1 : 2);
        using CountdownEvent done = new(workers);

        void Start(string name, PktGenCounters counters, Action body, bool isSender)
        {
            Thread thread = new(() =>
            {
                try
                {
                    body();
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                    stop.Cancel();
                }
                finally
                {
                    if (isSender)
                    {
                        counters.SenderFinished(counters.Sent);   // lets the partner finish even after an error
                    }
                    done.Signal();
                }
            })
            { IsBackground = true, Name = name };
            threads.Add(thread);
            thread.Start();
        }

        ReceiverStop receiverStop = new(options.Mode == PktGenMode.TxRx, DrainTimeout, options.StopWhenIdle ? IdleTimeout : null);
        for (int i = 0; i < lanes.Count; i++)
        {
            PktGenLane lane = lanes[i];
            string suffix = lanes.Count > 1 ? $" {i}" : "";
            switch (options.Mode)
            {
                case PktGenMode.Tx:
                    Start("pkt-gen tx" + suffix, lane.Counters,
                        () => (lane.Sent, lane.SenderStart, lane.SenderEnd) = SenderLoop.Run(lane.Port, builder, laneCount, options.Batch, verify, control, lane.Counters), isSender: true);
                    break;
                case PktGenMode.Rx:
                    Start("pkt-gen rx" + suffix, lane.Counters,
                        () => lane.Rx = ReceiverLoop.Run(lane.Port, verify ? new FrameChecker(builder) : null, laneCount, control, lane.Counters, receiverStop, options.Size), isSender: false);
                    break;
                case PktGenMode.TxRx:
                    // A pipe pushes back by itself; anything else completes TX syncs at once and
                    // drops what the receiver has no room for, so pace the sender (see SenderLoop).
                    // One ring's worth: the receiver's RX ring that this sender's frames reach.
                    long window = NetmapPortSpec.Parse(lane.PeerSpec!).Kind == NetmapPortKind.Pipe
                        ? long.MaxValue
                        : (lane.Peer!.RxSlots - 1) / MultiSlotFrames.SlotsPerFrame(lane.Peer, options.Size);
                    Start("pkt-gen rx" + suffix, lane.Counters,
                        () => lane.Rx = ReceiverLoop.Run(lane.Peer!, verify ? new FrameChecker(builder) : null, long.MaxValue, control, lane.Counters, receiverStop, options.Size), isSender: false);
                    Start("pkt-gen tx" + suffix, lane.Counters,
                        () => (lane.Sent, lane.SenderStart, lane.SenderEnd) = SenderLoop.Run(lane.Port, builder, laneCount, options.Batch, verify, control, lane.Counters, window), isSender: true);
                    break;
                case PktGenMode.Ping or PktGenMode.Pong when MultiSlotFrames.Needed(lane.Port, options.Size):
                    throw NetmapException.FromErrno(Errno.EINVAL, "pkt-gen", lane.Port.Name,
                        $"ping and pong use one slot per frame: --size {options.Size} does not fit its {lane.Port.BufferSize}-byte buffers");
                case PktGenMode.Ping:
                    lane.Latency = new LatencyRecorder((int)Math.Min(count, LatencyRecorder.DefaultCapacity));
                    FrameChecker? replyChecker = verify ? new FrameChecker(builder.Reversed()) : null;
                    if (lane.Peer is not null)
                    {
                        PktGenCounters pongCounters = new();
                        FrameChecker? pingChecker = verify ? new FrameChecker(builder) : null;
                        Start("pkt-gen pong", pongCounters, () => lane.Pong = PingPongLoops.Pong(lane.Peer, pingChecker, long.MaxValue, control, pongCounters, lane.Counters), isSender: false);
                    }
                    Start("pkt-gen ping", lane.Counters, () => lane.Ping = PingPongLoops.Ping(lane.Port, builder, replyChecker, count, control, lane.Counters, lane.Latency, ReplyTimeout), isSender: true);
                    break;
                case PktGenMode.Pong:
                    Start("pkt-gen pong", lane.Counters,
                        () => lane.Pong = PingPongLoops.Pong(lane.Port, verify ? new FrameChecker(builder) : null, count, control, lane.Counters, pingCounters: null), isSender: false);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(options), options.Mode, "unknown mode");
            }
        }

        ReportRates(options, lanes, control, done, rateOutput);
        foreach (Thread thread in threads)
        {
            thread.Join();   // already signalled; Join makes the workers' writes visible here
        }
        if (failure is not null)
        {
            throw failure is NetmapException ? failure : new InvalidOperationException($"pkt-gen worker failed: {failure.Message}", failure);
        }

        PktGenResult[] results = [.. lanes.Select(lane => LaneResult(options, backendName, lane, control, cancellation.IsCancellationRequested))];
        return results.Length == 1 ? results[0] : PktGenResult.Combine(results) with { Port = options.Port, Peer = options.Peer };
    }

    private static PktGenResult LaneResult(PktGenOptions options, string backendName, PktGenLane lane, RunControl control, bool interrupted)
    {
        PktGenResult result = new()
        {
            Backend = backendName,
            Mode = options.Mode,
            Port = lane.PortSpec,
            Peer = lane.PeerSpec,
            Size = options.Size,
            Verify = options.EffectiveVerify,
            Interrupted = interrupted,
        };
        ReceiverTotals rx = lane.Rx;
        return options.Mode switch
        {
            PktGenMode.Tx => result with { Sent = lane.Sent, Seconds = (lane.SenderEnd - lane.SenderStart) / (double)Stopwatch.Frequency },
            PktGenMode.Rx => result with
            {
                Received = rx.Received, Bytes = rx.Bytes, Lost = rx.Gaps, OutOfOrder = rx.OutOfOrder, Corrupt = rx.Corrupt,
                Seconds = rx.Received > 1 ? (rx.LastFrameTimestamp - rx.FirstFrameTimestamp) / (double)Stopwatch.Frequency : 0,
            },
            PktGenMode.TxRx => result with
            {
                Sent = lane.Sent, Received = rx.Received, Bytes = rx.Bytes, Lost = Math.Max(0, lane.Sent - rx.Received), OutOfOrder = rx.OutOfOrder, Corrupt = rx.Corrupt,
                Seconds = (Math.Max(lane.SenderEnd, rx.LastFrameTimestamp) - lane.SenderStart) / (double)Stopwatch.Frequency,
            },
            PktGenMode.Ping => result with
            {
                Sent = lane.Ping.Sent, Received = lane.Ping.Received, Lost = Math.Max(0, lane.Ping.Sent - lane.Ping.Received), OutOfOrder = lane.Ping.Late, Corrupt = lane.Ping.Corrupt,
                Seconds = control.SecondsSinceStart(lane.Ping.EndTimestamp), Latency = lane.Latency!.Summarize(),
            },
            _ => result with { Sent = lane.Pong.Answered, Received = lane.Pong.Answered, Corrupt = lane.Pong.Corrupt, Seconds = control.SecondsSinceStart(lane.Pong.EndTimestamp) },
        };
    }

    // The main thread's job while the workers run: one rate line per interval, from the
    // counters the workers publish once per batch, summed over the lanes.
    private static void ReportRates(PktGenOptions options, List<PktGenLane> lanes, RunControl control, CountdownEvent done, TextWriter output)
    {
        if (options.RateIntervalSeconds <= 0)
        {
            done.Wait();
            return;
        }
        TimeSpan interval = TimeSpan.FromSeconds(options.RateIntervalSeconds);
        long lastTimestamp = control.StartTimestamp;
        long lastFrames = 0;
        while (!done.Wait(interval))
        {
            long now = Stopwatch.GetTimestamp();
            long sent = lanes.Sum(l => l.Counters.Sent);
            long received = lanes.Sum(l => l.Counters.Received);
            long frames = options.Mode == PktGenMode.Tx ? sent : received;
            output.WriteLine(PktGenResult.RateLine((now - lastTimestamp) / (double)Stopwatch.Frequency, frames - lastFrames, options.Size, sent, received));
            output.Flush();
            lastTimestamp = now;
            lastFrames = frames;
        }
    }
}
