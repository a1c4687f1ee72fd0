namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>
/// Running totals shared between the worker threads and the rate reporter. Each field has
/// exactly one writer (the sender writes Sent, the receiver the rest), which publishes it with
/// a volatile write once per batch, never per frame.
/// </summary>
internal sealed class PktGenCounters
{
    private long _sent;
    private long _received;
    private long _accounted;

    public long Sent => Volatile.Read(ref _sent);

    public long Received => Volatile.Read(ref _received);

    /// <summary>txrx: the sequence number after the highest one the receiver has seen and
    /// handed back to the kernel: every frame below it arrived or is lost for good.</summary>
    public long Accounted => Volatile.Read(ref _accounted);

    public void PublishSent(long value) => Volatile.Write(ref _sent, value);

    public void PublishAccounted(long value) => Volatile.Write(ref _accounted, value);

    public void PublishReceived(long value) => Volatile.Write(ref _received, value);
}
