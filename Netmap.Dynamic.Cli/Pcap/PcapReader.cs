using System.Buffers.Binary;
using System.Globalization;

namespace Netmap.Dynamic.Cli.Pcap;

/// <summary>
/// Reads a classic pcap file frame by frame into one reusable buffer: no allocation per frame.
/// Either byte order, microsecond or nanosecond timestamps. Everything the file says is
/// checked before it is used, and a file that is not a pcap file, is truncated or names an
/// absurd length throws <see cref="PcapFormatException"/> with one line saying what and where.
/// </summary>
internal sealed class PcapReader : IFrameFileReader
{
    private const int DefaultBufferSize = 1 << 20;

    private readonly Stream _input;
    private readonly string _name;
    private readonly byte[] _buffer;
    private int _start;            // first unread byte in _buffer
    private int _end;              // one past the last valid byte in _buffer
    private long _bufferOffset;    // file offset of _buffer[0]
    private long _frameNumber;     // frames read since the start (or the last Rewind), 1-based when reported

    private PcapReader(Stream input, string name, PcapFileHeader header, int bufferSize)
    {
        _input = input;
        _name = name;
        Header = header;
        _buffer = new byte[Math.Max(bufferSize, PcapFormat.RecordHeaderSize + PcapFormat.MaxSnapLength)];
    }

    /// <summary>The file's header.</summary>
    public PcapFileHeader Header { get; }

    public string Format => "pcap";

    /// <summary>The header's link type.</summary>
    public uint LinkType => Header.LinkType;

    /// <summary>Opens <paramref name="path"/> and checks its header.</summary>
    /// <exception cref="PcapFormatException">Not a pcap file, or its header is cut short.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static PcapReader Open(string path, int bufferSize = DefaultBufferSize)
    {
        FileStream stream = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        try
        {
            return Open(stream, path, bufferSize);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads from a seekable stream positioned at the start of a pcap file; the reader owns it.</summary>
    public static PcapReader Open(Stream input, string name, int bufferSize = DefaultBufferSize)
    {
        Span<byte> header = stackalloc byte[PcapFormat.FileHeaderSize];
        int got = input.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got < 4)
            throw new PcapFormatException(got == 0 ? "empty file, not a pcap file" : $"{got}-byte file, too short for a pcap file header ({PcapFormat.FileHeaderSize} bytes)");
        uint little = BinaryPrimitives.ReadUInt32LittleEndian(header);
        uint big = BinaryPrimitives.ReadUInt32BigEndian(header);
        bool bigEndian;
        bool nanoseconds;
        if (little is PcapFormat.MagicMicroseconds or PcapFormat.MagicNanoseconds)
        {
            bigEndian = false;
            nanoseconds = little == PcapFormat.MagicNanoseconds;
        }
        else if (big is PcapFormat.MagicMicroseconds or PcapFormat.MagicNanoseconds)
        {
            bigEndian = true;
            nanoseconds = big == PcapFormat.MagicNanoseconds;
        }
        else if (little == PcapFormat.PcapNgMagic)
        {
            throw new PcapFormatException("this is a pcapng file, not classic pcap (open it with FrameFiles.Open, which reads both)");
        }
        else
        {
            throw new PcapFormatException(string.Create(CultureInfo.InvariantCulture, $"not a pcap file: magic 0x{little:x8} at offset 0 (expected a1b2c3d4 or a1b23c4d in either byte order)"));
        }
        if (got < header.Length)
            throw new PcapFormatException($"truncated pcap file header: {got} of {PcapFormat.FileHeaderSize} bytes");

        ushort major = Read16(header[4..], bigEndian);
        ushort minor = Read16(header[6..], bigEndian);
        uint snapLength = Read32(header[16..], bigEndian);
        uint linkType = Read32(header[20..], bigEndian) & 0x0FFFFFFF;   // the top bits may carry FCS flags
        if (major != PcapFormat.VersionMajor)
            throw new PcapFormatException($"unsupported pcap version {major}.{minor} (expected {PcapFormat.VersionMajor}.x)");
        return new PcapReader(input, name, new PcapFileHeader(nanoseconds, bigEndian, major, minor, snapLength, linkType), bufferSize)
        {
            _bufferOffset = PcapFormat.FileHeaderSize,
        };
    }

    /// <summary>
    /// Reads the next frame. <paramref name="frame"/> stays valid until the next call;
    /// <paramref name="unixNanoseconds"/> is the record's time, <paramref name="originalLength"/>
    /// the frame's length on the wire (at least the captured length). False at the end of the file.
    /// </summary>
    /// <exception cref="PcapFormatException">A record is cut short or names an absurd length.</exception>
    public bool TryReadFrame(out ReadOnlySpan<byte> frame, out long unixNanoseconds, out int originalLength)
    {
        frame = default;
        unixNanoseconds = 0;
        originalLength = 0;
        if (!Ensure(PcapFormat.RecordHeaderSize))
        {
            if (_end > _start)
                throw Truncated($"its record header has {_end - _start} of {PcapFormat.RecordHeaderSize} bytes");
            return false;
        }
        ReadOnlySpan<byte> header = _buffer.AsSpan(_start, PcapFormat.RecordHeaderSize);
        bool bigEndian = Header.BigEndian;
        uint seconds = Read32(header, bigEndian);
        uint fraction = Read32(header[4..], bigEndian);
        uint captured = Read32(header[8..], bigEndian);
        uint original = Read32(header[12..], bigEndian);
        if (captured > PcapFormat.MaxSnapLength)
            throw Bad($"captured length {captured} is more than {PcapFormat.MaxSnapLength} bytes (a corrupt record)");
        if (original > int.MaxValue)
            throw Bad($"original length {original} is absurd (a corrupt record)");
        if (fraction >= (Header.Nanoseconds ? 1_000_000_000u : 1_000_000u))
            throw Bad($"sub-second timestamp {fraction} is not below one second (a corrupt record)");
        if (!Ensure(PcapFormat.RecordHeaderSize + (int)captured))
            throw Truncated($"it has {_end - _start - PcapFormat.RecordHeaderSize} of its {captured} captured bytes");

        frame = _buffer.AsSpan(_start + PcapFormat.RecordHeaderSize, (int)captured);
        unixNanoseconds = (seconds * 1_000_000_000L) + (Header.Nanoseconds ? fraction : fraction * 1000L);
        originalLength = (int)Math.Max(original, captured);
        _start += PcapFormat.RecordHeaderSize + (int)captured;
        _frameNumber++;
        return true;
    }

    /// <summary>Goes back to the first frame (for replay loops).</summary>
    public void Rewind()
    {
        _input.Seek(PcapFormat.FileHeaderSize, SeekOrigin.Begin);
        _bufferOffset = PcapFormat.FileHeaderSize;
        _start = _end = 0;
        _frameNumber = 0;
    }

    public void Dispose() => _input.Dispose();

    // True when `count` bytes from _start are in the buffer, reading more as needed; false at the end of the file.
    private bool Ensure(int count)
    {
        if (_end - _start >= count)
        {
            return true;
        }
        if (_start > 0)
        {
            int kept = _end - _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, kept);
            _bufferOffset += _start;
            _start = 0;
            _end = kept;
        }
        while (_end < count)
        {
            int read = _input.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                return false;
            }
            _end += read;
        }
        return true;
    }

    private PcapFormatException Truncated(string detail) =>
        new(string.Create(CultureInfo.InvariantCulture, $"truncated pcap file: frame {_frameNumber + 1} at offset {_bufferOffset + _start} is cut short: {detail}"));

    private PcapFormatException Bad(string detail) =>
        new(string.Create(CultureInfo.InvariantCulture, $"bad pcap record: frame {_frameNumber + 1} at offset {_bufferOffset + _start}: {detail}"));

    private static ushort Read16(ReadOnlySpan<byte> s, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);

    private static uint Read32(ReadOnlySpan<byte> s, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);
}
