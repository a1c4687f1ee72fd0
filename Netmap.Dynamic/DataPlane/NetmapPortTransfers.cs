using System.Runtime.CompilerServices;

namespace Netmap.Dynamic;

/// <summary>
/// Receive and send above the ring protocol, for the common cases: the wait, the ring's end, the
/// choice among the bound rings and the sync are handled here; frames stay in the rings (zero copy)
/// and nothing is allocated per frame or per call in steady state.
/// </summary>
/// <remarks>
/// <para>
/// The shapes are those of <c>System.Threading.Channels</c> and <c>System.IO.Pipelines</c>:
/// <see cref="WaitToReceiveAsync"/> then <see cref="Receive(NetmapPort, int)"/> (like
/// <c>WaitToReadAsync</c> then <c>TryRead</c>) gives a batch of received frames to read, released
/// when the caller says so (<see cref="NetmapRxBatch.Release()"/>, like <c>AdvanceTo</c>);
/// <see cref="GetSendBatch(NetmapPort, int, TimeSpan)"/> gives free slots to fill and
/// <see cref="NetmapTxBatch.Commit()"/> + <see cref="NetmapPort.TxSync"/> sends them (like
/// <c>GetMemory</c>, <c>Advance</c> and <c>FlushAsync</c>); <see cref="SendAsync"/> sends a set of
/// frames, waiting for room as often as it must.
/// </para>
/// <para>
/// Released frames go back to the kernel at the port's next RX sync or poll, which the next wait
/// or <c>Receive</c> on an empty port makes. A batch never crosses the ring's end or a ring
/// boundary: the next call continues from slot 0 or from the next ring. The ring API stays
/// available underneath; do not mix an open batch with ring calls on the same ring.
/// </para>
/// <para>
/// Concurrency is that of the port: one receiving and one sending caller at a time (see docs/rings.md).
/// </para>
/// </remarks>
public static class NetmapPortTransfers
{
    /// <summary>
    /// Received frames of one RX ring, up to <paramref name="maxFrames"/>, without waiting: when
    /// every bound RX ring is empty, one RX sync (which also returns what was released) and a second look.
    /// The batch is empty when nothing has arrived. Read the frames, then <see cref="NetmapRxBatch.Release()"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxFrames"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The port is disposed.</exception>
    public static NetmapRxBatch Receive(this NetmapPort port, int maxFrames)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentOutOfRangeException.ThrowIfNegative(maxFrames);
        if (TryFindRx(port, out NetmapRing ring)) return ring.Peek(maxFrames);
        port.RxSync();
        return TryFindRx(port, out ring) ? ring.Peek(maxFrames) : default;
    }

    /// <summary>
    /// Received frames of one RX ring, up to <paramref name="maxFrames"/>, waiting up to
    /// <paramref name="timeout"/> when every bound RX ring is empty (a poll for
    /// <see cref="NetmapPollEvents.Receive"/>; <see cref="Timeout.InfiniteTimeSpan"/> waits for ever).
    /// The batch is empty when the time passed with nothing received.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxFrames"/> or <paramref name="timeout"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The port is disposed (also when another thread disposes it during the wait).</exception>
    public static NetmapRxBatch Receive(this NetmapPort port, int maxFrames, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentOutOfRangeException.ThrowIfNegative(maxFrames);
        if (TryFindRx(port, out NetmapRing ring)) return ring.Peek(maxFrames);
        port.Poll(NetmapPollEvents.Receive, timeout);   // syncs the RX rings, then waits
        return TryFindRx(port, out ring) ? ring.Peek(maxFrames) : default;
    }

    /// <summary>
    /// Completes with true when a bound RX ring has frames (at once when one has them already), with
    /// false once the port is disposed, as <c>ChannelReader.WaitToReadAsync</c> does for a completed
    /// channel. Then take them with <see cref="Receive(NetmapPort, int)"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static ValueTask<bool> WaitToReceiveAsync(this NetmapPort port, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(port);
        if (port.IsDisposed) return new ValueTask<bool>(false);
        if (TryFindRx(port, out _)) return new ValueTask<bool>(true);
        return WaitAsync(port, NetmapPollEvents.Receive, cancellationToken);
    }

    /// <summary>
    /// Free slots of one TX ring, up to <paramref name="maxFrames"/>, waiting up to
    /// <paramref name="timeout"/> when every bound TX ring is full (a poll for
    /// <see cref="NetmapPollEvents.Transmit"/>, which also sends what was committed). Fill them,
    /// <see cref="NetmapTxBatch.Commit()"/>, and <see cref="NetmapPort.TxSync"/> when the frames should leave.
    /// The batch is empty when the time passed with no room.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxFrames"/> or <paramref name="timeout"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The port is disposed.</exception>
    public static NetmapTxBatch GetSendBatch(this NetmapPort port, int maxFrames, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentOutOfRangeException.ThrowIfNegative(maxFrames);
        if (TryFindTx(port, out NetmapRing ring)) return ring.Reserve(maxFrames);
        port.Poll(NetmapPollEvents.Transmit, timeout);   // sends what is committed, then waits for room
        return TryFindTx(port, out ring) ? ring.Reserve(maxFrames) : default;
    }

    /// <summary>
    /// Completes with true when a bound TX ring has a free slot (at once when one has), after a TX
    /// sync when all were full; with false once the port is disposed. Then take the slots with
    /// <see cref="GetSendBatch(NetmapPort, int, TimeSpan)"/> and <see cref="TimeSpan.Zero"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static ValueTask<bool> WaitToSendAsync(this NetmapPort port, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(port);
        if (port.IsDisposed) return new ValueTask<bool>(false);
        if (TryFindTx(port, out _)) return new ValueTask<bool>(true);
        return WaitAsync(port, NetmapPollEvents.Transmit, cancellationToken);
    }

    /// <summary>
    /// Copies every frame of <paramref name="frames"/> into the port's TX rings, in order, waiting for
    /// room whenever the rings are full, and syncs once at the end (and whenever it had to wait), so
    /// that all of them are on their way when the task completes. Allocates nothing in steady state.
    /// </summary>
    /// <exception cref="ArgumentException">A frame is longer than a buffer.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (frames before it may have been sent).</exception>
    /// <exception cref="ObjectDisposedException">The port was disposed.</exception>
    public static ValueTask SendAsync(this NetmapPort port, IReadOnlyList<ReadOnlyMemory<byte>> frames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(frames);
        int done = CopyIntoRings(port, frames, 0);
        if (done == frames.Count)
        {
            port.TxSync();
            return default;
        }
        return SendRestAsync(port, frames, done, cancellationToken);
    }

    /// <summary>
    /// <see cref="SendAsync"/> without a task: blocks while the rings are full, up to
    /// <paramref name="timeout"/> per wait. Returns how many frames were handed to the kernel
    /// (fewer than <c>frames.Count</c> only when a wait timed out).
    /// </summary>
    /// <exception cref="ArgumentException">A frame is longer than a buffer.</exception>
    public static int Send(this NetmapPort port, IReadOnlyList<ReadOnlyMemory<byte>> frames, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(frames);
        int done = CopyIntoRings(port, frames, 0);
        while (done < frames.Count)
        {
            if ((port.Poll(NetmapPollEvents.Transmit, timeout) & NetmapPollEvents.Transmit) == 0 && !TryFindTx(port, out _))
                break;   // timed out with no room
            done = CopyIntoRings(port, frames, done);
        }
        port.TxSync();
        return done;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask SendRestAsync(NetmapPort port, IReadOnlyList<ReadOnlyMemory<byte>> frames, int done, CancellationToken cancellationToken)
    {
        while (done < frames.Count)
        {
            // The wait syncs the TX rings (as poll does): what is committed leaves, room comes back.
            await port.WaitAsync(NetmapPollEvents.Transmit, cancellationToken).ConfigureAwait(false);
            done = CopyIntoRings(port, frames, done);
        }
        port.TxSync();
    }

    /// <summary>Copies frames from <paramref name="next"/> on into free slots of the bound TX rings; returns the index of the first frame not copied.</summary>
    private static int CopyIntoRings(NetmapPort port, IReadOnlyList<ReadOnlyMemory<byte>> frames, int next)
    {
        int count = frames.Count;
        for (int r = port.FirstTxRing; r < port.LastTxRing && next < count; r++)
        {
            NetmapRing ring = port.GetTxRing(r);
            // Two batches at most per ring: one up to the ring's end, one from slot 0.
            for (int pass = 0; pass < 2 && next < count; pass++)
            {
                NetmapTxBatch batch = ring.Reserve(count - next);
                if (batch.IsEmpty) break;
                for (int i = 0; i < batch.Count; i++) batch.Write(i, frames[next + i].Span);
                next += batch.Count;
                batch.Commit();
            }
        }
        return next;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> WaitAsync(NetmapPort port, NetmapPollEvents events, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await port.WaitAsync(events, cancellationToken).ConfigureAwait(false);
                if (events == NetmapPollEvents.Receive ? TryFindRx(port, out _) : TryFindTx(port, out _)) return true;
            }
        }
        catch (ObjectDisposedException) when (port.IsDisposed)
        {
            return false;   // the port was closed while waiting: the end of the stream, not an error
        }
    }

    /// <summary>The first bound RX ring holding frames.</summary>
    private static bool TryFindRx(NetmapPort port, out NetmapRing ring)
    {
        for (int r = port.FirstRxRing; r < port.LastRxRing; r++)
        {
            ring = port.GetRxRing(r);
            if (!ring.IsEmpty) return true;
        }
        ring = default;
        return false;
    }

    /// <summary>The first bound TX ring with a free slot.</summary>
    private static bool TryFindTx(NetmapPort port, out NetmapRing ring)
    {
        for (int r = port.FirstTxRing; r < port.LastTxRing; r++)
        {
            ring = port.GetTxRing(r);
            if (!ring.IsEmpty) return true;
        }
        ring = default;
        return false;
    }
}
