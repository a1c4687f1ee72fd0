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

    public long Sent => Volatile.Read(ref _sent);

    public long Received => Volatile.Read(ref _received);

    public void PublishSent(long value) => Volatile.Write(ref _sent, value);

    public void PublishReceived(long value) => Volatile.Write(ref _received, value);
}
