using System.Diagnostics;

namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>
/// Runs one pkt-gen session on a backend: opens the port (and the peer), starts one thread
/// per side, prints a rate line to stderr every interval while they run, and gathers the
/// result. Errors inside a worker stop the other worker and are rethrown here.
/// </summary>
internal sealed class PktGenRunner
{
    /// <summary>How long a txrx receiver waits for stragglers after the sender finished,
    /// when the last frame has not been seen (it was lost).</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReplyTimeout { get; init; } = PingPongLoops.DefaultReplyTimeout;

    public PktGenResult Run(PktGenOptions options, INetmapBackend backend, TextWriter rateOutput, CancellationToken cancellation)
    {
        using NetmapPort port = backend.OpenPort(options.Port);
        using NetmapPort? peer = options.Peer is null ? null : backend.OpenPort(options.Peer);
        using CancellationTokenSource stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);

        FrameBuilder builder = new(options.Size);
        PktGenCounters counters = new();
        RunControl control = new(stop.Token, options.DurationSeconds);
        long count = options.EffectiveCount;
        Exception? failure = null;
        List<Thread> threads = [];
        using CountdownEvent done = new(peer is null ? 1 : 2);

        void Start(string name, Action body, bool isSender)
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
                        control.SenderFinished(counters.Sent);   // lets the partner finish even after an error
                    }
                    done.Signal();
                }
            })
            { IsBackground = true, Name = name };
            threads.Add(thread);
            thread.Start();
        }

        long sent = 0, senderEnd = control.StartTimestamp;
        ReceiverTotals rx = default;
        PingTotals ping = default;
        (long Answered, long End) pong = default;
        LatencyRecorder? latency = null;

        switch (options.Mode)
        {
            case PktGenMode.Tx:
                Start("pkt-gen tx", () => (sent, senderEnd) = SenderLoop.Run(port, builder, count, options.Batch, control, counters), isSender: true);
                break;
            case PktGenMode.Rx:
                Start("pkt-gen rx", () => rx = ReceiverLoop.Run(port, new FrameChecker(builder), count, control, counters, DrainTimeout, followsSender: false), isSender: false);
                break;
            case PktGenMode.TxRx:
                FrameChecker checker = new(builder);
                // A pipe pushes back by itself; anything else completes TX syncs at once and
                // drops what the receiver has no room for, so pace the sender (see SenderLoop).
                // One ring's worth: a VALE switch delivers to RX ring 0 whatever the ring count.
                long window = NetmapPortSpec.Parse(options.Peer!).Kind == NetmapPortKind.Pipe
                    ? long.MaxValue
                    : (peer!.RxSlots - 1) / MultiSlotFrames.SlotsPerFrame(peer, options.Size);
                Start("pkt-gen rx", () => rx = ReceiverLoop.Run(peer!, checker, long.MaxValue, control, counters, DrainTimeout, followsSender: true), isSender: false);
                Start("pkt-gen tx", () => (sent, senderEnd) = SenderLoop.Run(port, builder, count, options.Batch, control, counters, window), isSender: true);
                break;
            case PktGenMode.Ping or PktGenMode.Pong when MultiSlotFrames.Needed(port, options.Size):
                throw NetmapException.FromErrno(Errno.EINVAL, "pkt-gen", port.Name,
                    $"ping and pong use one slot per frame: --size {options.Size} does not fit its {port.BufferSize}-byte buffers");
            case PktGenMode.Ping:
                latency = new LatencyRecorder((int)Math.Min(count, LatencyRecorder.DefaultCapacity));
                FrameChecker replyChecker = new(builder.Reversed());
                PktGenCounters pongCounters = new();
                if (peer is not null)
                {
                    Start("pkt-gen pong", () => pong = PingPongLoops.Pong(peer, long.MaxValue, control, pongCounters), isSender: false);
                }
                Start("pkt-gen ping", () => ping = PingPongLoops.Ping(port, builder, replyChecker, count, control, counters, latency, ReplyTimeout), isSender: true);
                break;
            case PktGenMode.Pong:
                Start("pkt-gen pong", () => pong = PingPongLoops.Pong(port, count, control, counters), isSender: false);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Mode, "unknown mode");
        }

        ReportRates(options, counters, control, done, rateOutput);
        foreach (Thread thread in threads)
        {
            thread.Join();   // already signalled; Join makes the workers' writes visible here
        }
        if (failure is not null)
        {
            throw failure is NetmapException ? failure : new InvalidOperationException($"pkt-gen worker failed: {failure.Message}", failure);
        }

        PktGenResult result = new()
        {
            Backend = backend.Name,
            Mode = options.Mode,
            Port = options.Port,
            Peer = options.Peer,
            Size = options.Size,
            Interrupted = cancellation.IsCancellationRequested,
        };
        return options.Mode switch
        {
            PktGenMode.Tx => result with { Sent = sent, Seconds = control.SecondsSinceStart(senderEnd) },
            PktGenMode.Rx => result with
            {
                Received = rx.Received, Lost = rx.Gaps, OutOfOrder = rx.OutOfOrder, Corrupt = rx.Corrupt,
                Seconds = rx.Received > 1 ? (rx.LastFrameTimestamp - rx.FirstFrameTimestamp) / (double)Stopwatch.Frequency : 0,
            },
            PktGenMode.TxRx => result with
            {
                Sent = sent, Received = rx.Received, Lost = Math.Max(0, sent - rx.Received), OutOfOrder = rx.OutOfOrder, Corrupt = rx.Corrupt,
                Seconds = control.SecondsSinceStart(Math.Max(senderEnd, rx.LastFrameTimestamp)),
            },
            PktGenMode.Ping => result with
            {
                Sent = ping.Sent, Received = ping.Received, Lost = Math.Max(0, ping.Sent - ping.Received), OutOfOrder = ping.Late, Corrupt = ping.Corrupt,
                Seconds = control.SecondsSinceStart(ping.EndTimestamp), Latency = latency!.Summarize(),
            },
            _ => result with { Sent = pong.Answered, Received = pong.Answered, Seconds = control.SecondsSinceStart(pong.End) },
        };
    }

    // The main thread's job while the workers run: one rate line per interval, from the
    // counters the workers publish once per batch.
    private static void ReportRates(PktGenOptions options, PktGenCounters counters, RunControl control, CountdownEvent done, TextWriter output)
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
            long sent = counters.Sent;
            long received = counters.Received;
            long frames = options.Mode == PktGenMode.Tx ? sent : received;
            output.WriteLine(PktGenResult.RateLine((now - lastTimestamp) / (double)Stopwatch.Frequency, frames - lastFrames, options.Size, sent, received));
            output.Flush();
            lastTimestamp = now;
            lastFrames = frames;
        }
    }
}
