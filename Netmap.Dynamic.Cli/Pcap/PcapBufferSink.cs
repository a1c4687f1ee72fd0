namespace Netmap.Dynamic.Cli.Pcap;

/// <summary>
/// Where <see cref="PcapWriter"/>'s full buffers go. <see cref="Inline"/> writes them on the
/// caller's thread; <see cref="Background"/> hands them to a writer thread and gives the caller a
/// second buffer to fill meanwhile, so the receive loop waits for the disk only when the disk is
/// slower than the ring. Neither allocates after construction.
/// </summary>
internal abstract class PcapBufferSink : IDisposable
{
    /// <summary>Writes on the calling thread.</summary>
    public static PcapBufferSink Inline(Stream output, int bufferSize = PcapWriter.DefaultBufferSize) =>
        new InlinePcapSink(output, bufferSize);

    /// <summary>Writes on a thread of its own, double-buffered.</summary>
    public static PcapBufferSink Background(Stream output, int bufferSize = PcapWriter.DefaultBufferSize) =>
        new BackgroundPcapSink(output, bufferSize);

    /// <summary>The first buffer to fill.</summary>
    public abstract byte[] TakeEmptyBuffer();

    /// <summary>Takes the first <paramref name="length"/> bytes of a full buffer; returns the buffer to fill next.</summary>
    public abstract byte[] Submit(byte[] full, int length);

    /// <summary>Takes the last (partial) buffer and returns once everything is written and flushed.</summary>
    public abstract void Complete(byte[] last, int length);

    /// <summary>Stops any writer thread and disposes the stream.</summary>
    public abstract void Dispose();
}
