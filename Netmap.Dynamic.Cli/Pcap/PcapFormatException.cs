namespace Netmap.Dynamic.Cli.Pcap;

/// <summary>
/// A file that is not a usable pcap file: wrong magic, truncated, absurd lengths. The message is
/// one line that says what is wrong and where (byte offset, frame number).
/// </summary>
internal sealed class PcapFormatException : Exception
{
    public PcapFormatException(string message) : base(message)
    {
    }

    public PcapFormatException(string message, Exception inner) : base(message, inner)
    {
    }

    public PcapFormatException()
    {
    }
}
