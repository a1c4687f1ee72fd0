namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>
/// Running totals of one lane (a sender and/or a receiver on one ring pair), shared between its
/// worker threads and the rate reporter. Each field has exactly one writer (the sender writes
/// Sent and SenderTotal, the receiver the rest), which publishes it with a volatile write once
/// per batch, never per frame.
/// </summary>
internal sealed class PktGenCounters
{
    private long _sent;
    private long _received;
    private long _accounted;
    private long _senderTotal = -1;

    public long Sent => Volatile.Read(ref _sent);

    public long Received => Volatile.Read(ref _received);

    /// <summary>txrx: the sequence number after the highest one the receiver has seen and
    /// handed back to the kernel: every frame below it arrived or is lost for good (without
    /// --verify the frames carry no number: the frames received and handed back).</summary>
    public long Accounted => Volatile.Read(ref _accounted);

    /// <summary>Frames the sender sent, once it has finished; -1 while it runs.</summary>
    public long SenderTotal => Volatile.Read(ref _senderTotal);

    public void SenderFinished(long total) => Volatile.Write(ref _senderTotal, total);

    public void PublishSent(long value) => Volatile.Write(ref _sent, value);

    public void PublishAccounted(long value) => Volatile.Write(ref _accounted, value);

    public void PublishReceived(long value) => Volatile.Write(ref _received, value);
}
