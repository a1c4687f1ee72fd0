namespace Netmap.Dynamic.Cli.Pcap;

/// <summary>One buffer, written on the caller's thread when full.</summary>
internal sealed class InlinePcapSink(Stream output, int bufferSize) : PcapBufferSink
{
    private readonly byte[] _buffer = new byte[bufferSize];

    public override byte[] TakeEmptyBuffer() => _buffer;

    public override byte[] Submit(byte[] full, int length)
    {
        output.Write(full, 0, length);
        return full;
    }

    public override void Complete(byte[] last, int length)
    {
        output.Write(last, 0, length);
        output.Flush();
    }

    public override void Dispose() => output.Dispose();
}
