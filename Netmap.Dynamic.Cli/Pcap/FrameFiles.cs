using System.Buffers.Binary;

namespace Netmap.Dynamic.Cli.Pcap;

/// <summary>Opens a capture file with the reader its first four bytes call for: pcapng or classic pcap.</summary>
internal static class FrameFiles
{
    /// <summary>Opens <paramref name="path"/> and checks its header.</summary>
    /// <exception cref="PcapFormatException">Neither pcap nor pcapng, or its header is cut short or corrupt.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IFrameFileReader Open(string path)
    {
        FileStream stream = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        try
        {
            return Open(stream, path);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads from a seekable stream positioned at the start of the file; the reader owns it.</summary>
    public static IFrameFileReader Open(Stream input, string name)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = input.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        input.Seek(-got, SeekOrigin.Current);
        return got == 4 && BinaryPrimitives.ReadUInt32LittleEndian(magic) == PcapNgFormat.SectionHeaderBlock
            ? PcapNgReader.Open(input, name)
            : PcapReader.Open(input, name);   // which also names what it got when it is neither
    }
}
