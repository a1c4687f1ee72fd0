using System.Buffers.Binary;
using System.Globalization;

namespace Netmap.Dynamic.Cli.Pcap;

/// <summary>
/// Reads a pcapng file frame by frame into one reusable buffer: Section Header Blocks (either
/// byte order, several sections), Interface Description Blocks (link type, snap length,
/// <c>if_tsresol</c>, <c>if_tsoffset</c>), Enhanced and Simple Packet Blocks; every other block is
/// skipped. Only Ethernet interfaces are accepted (netmap ports carry Ethernet frames), so a file
/// of several interfaces replays when all of them are Ethernet. Everything the file says is
/// checked before it is used: a length that runs past its block or the file, a block length that
/// is not a multiple of 4 or differs at its two ends, an unknown interface — each throws
/// <see cref="PcapFormatException"/> with one line saying what and where. Every block read moves
/// on by at least 12 bytes, so no file can make it loop.
/// </summary>
internal sealed class PcapNgReader : IFrameFileReader
{
    private const int DefaultBufferSize = 1 << 20;

    private readonly Stream _input;
    private readonly byte[] _buffer;
    private readonly List<Interface> _interfaces = [];   // of the current section
    private int _start;            // first unread byte in _buffer
    private int _end;              // one past the last valid byte in _buffer
    private long _bufferOffset;    // file offset of _buffer[0]
    private bool _bigEndian;       // of the current section
    private long _frameNumber;     // frames read since the start (or the last Rewind)
    private long _lastTimestamp;   // what a Simple Packet Block, which has none, is given

    /// <summary>What an Interface Description Block said, reduced to what reading packets needs.</summary>
    /// <param name="SnapLength">0: no limit.</param>
    /// <param name="Decimal">True: units of 10^-Exponent s; false: 2^-Exponent s.</param>
    /// <param name="Exponent">The power of ten or two.</param>
    /// <param name="OffsetNanoseconds">if_tsoffset in nanoseconds.</param>
    private readonly record struct Interface(uint SnapLength, bool Decimal, int Exponent, long OffsetNanoseconds);

    private PcapNgReader(Stream input, int bufferSize)
    {
        _input = input;
        _buffer = new byte[Math.Max(bufferSize, PcapNgFormat.MaxReadBlockSize)];
    }

    public string Format => "pcapng";

    /// <summary>Ethernet: an interface of another link type is refused when its block is read.</summary>
    public uint LinkType => PcapFormat.LinkTypeEthernet;

    /// <summary>Reads from a seekable stream positioned at the start of a pcapng file (the reader owns it) and checks its first section header.</summary>
    /// <exception cref="PcapFormatException">Not a pcapng file, or its section header is cut short or corrupt.</exception>
    public static PcapNgReader Open(Stream input, string name, int bufferSize = DefaultBufferSize)
    {
        _ = name;   // the caller puts the file's name in front of every message
        PcapNgReader reader = new(input, bufferSize);
        if (!reader.Ensure(4))
            throw new PcapFormatException(reader._end == 0 ? "empty file, not a pcapng file" : $"{reader._end}-byte file, too short for a pcapng section header ({PcapNgFormat.SectionHeaderSize} bytes)");
        if (BinaryPrimitives.ReadUInt32LittleEndian(reader._buffer) != PcapNgFormat.SectionHeaderBlock)
            throw new PcapFormatException(string.Create(CultureInfo.InvariantCulture,
                $"not a pcapng file: block type 0x{BinaryPrimitives.ReadUInt32LittleEndian(reader._buffer):x8} at offset 0 (a pcapng file starts with a section header, 0a0d0d0a)"));
        reader.ReadSectionHeader();
        return reader;
    }

    /// <inheritdoc/>
    public bool TryReadFrame(out ReadOnlySpan<byte> frame, out long unixNanoseconds, out int originalLength)
    {
        while (true)
        {
            if (!Ensure(8))
            {
                if (_end > _start)
                    throw Truncated($"the block header has {_end - _start} of its 8 bytes");
                frame = default;
                unixNanoseconds = 0;
                originalLength = 0;
                return false;
            }
            uint type = Read32(_start);
            if (type == PcapNgFormat.SectionHeaderBlock)
            {
                ReadSectionHeader();   // a new section: its own byte order and interfaces
                continue;
            }
            int length = CheckedLength(type);
            switch (type)
            {
                case PcapNgFormat.InterfaceDescriptionBlock:
                    ReadWhole(type, length, PcapNgFormat.InterfaceDescriptionSize);
                    ReadInterface(length);
                    _start += length;
                    continue;
                case PcapNgFormat.EnhancedPacketBlock:
                    ReadWhole(type, length, PcapNgFormat.EnhancedPacketHeaderSize);
                    ReadEnhancedPacket(length, out frame, out unixNanoseconds, out originalLength);
                    break;
                case PcapNgFormat.SimplePacketBlock:
                    ReadWhole(type, length, PcapNgFormat.SimplePacketHeaderSize);
                    ReadSimplePacket(length, out frame, out unixNanoseconds, out originalLength);
                    break;
                default:
                    Skip(length);   // statistics, name resolution, comments, custom blocks, ...
                    continue;
            }
            _start += length;
            _frameNumber++;
            return true;
        }
    }

    /// <inheritdoc/>
    public void Rewind()
    {
        _input.Seek(0, SeekOrigin.Begin);
        _bufferOffset = 0;
        _start = _end = 0;
        _frameNumber = 0;
        _lastTimestamp = 0;
        _interfaces.Clear();   // the first section header is read again, and its interfaces
    }

    public void Dispose() => _input.Dispose();

    private void ReadSectionHeader()
    {
        if (!Ensure(12))
            throw Truncated($"the section header has {_end - _start} of its {PcapNgFormat.SectionHeaderSize} bytes");
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(_start + 8));
        if (magic == PcapNgFormat.ByteOrderMagic)
            _bigEndian = false;
        else if (BinaryPrimitives.ReverseEndianness(magic) == PcapNgFormat.ByteOrderMagic)
            _bigEndian = true;
        else
            throw Bad(string.Create(CultureInfo.InvariantCulture, $"section header with byte-order magic 0x{magic:x8} (expected 1a2b3c4d in either byte order)"));
        int length = CheckedLength(PcapNgFormat.SectionHeaderBlock);
        ReadWhole(PcapNgFormat.SectionHeaderBlock, length, PcapNgFormat.SectionHeaderSize);
        ushort major = Read16(_start + 12);
        ushort minor = Read16(_start + 14);
        if (major != PcapNgFormat.VersionMajor)
            throw Bad($"unsupported pcapng version {major}.{minor} (expected {PcapNgFormat.VersionMajor}.x)");
        _interfaces.Clear();
        _start += length;
    }

    private void ReadInterface(int length)
    {
        ushort linkType = Read16(_start + 8);
        uint snapLength = Read32(_start + 12);
        bool isDecimal = true;
        int exponent = 6;      // microseconds unless if_tsresol says otherwise
        long offset = 0;
        int position = _start + PcapNgFormat.InterfaceDescriptionSize - 4;
        int end = _start + length - 4;
        while (position + 4 <= end)
        {
            ushort code = Read16(position);
            ushort size = Read16(position + 2);
            if (code == PcapNgFormat.OptionEnd)
                break;
            if (position + 4 + size > end)
                throw Bad($"interface {_interfaces.Count}: option {code} of {size} bytes runs past the end of its block");
            if (code == PcapNgFormat.OptionTimestampResolution && size >= 1)
            {
                byte resolution = _buffer[position + 4];
                isDecimal = (resolution & 0x80) == 0;
                exponent = resolution & 0x7F;
                if (exponent > (isDecimal ? 19 : 63))
                    throw Bad($"interface {_interfaces.Count}: timestamp resolution {(isDecimal ? "10" : "2")}^-{exponent} s does not fit a 64-bit timestamp (a corrupt if_tsresol)");
            }
            else if (code == PcapNgFormat.OptionTimestampOffset && size >= 8)
            {
                long seconds = (long)Read64(position + 4);
                if (seconds is > 1L << 32 or < -(1L << 32))
                    throw Bad($"interface {_interfaces.Count}: timestamp offset {seconds} s is absurd (a corrupt if_tsoffset)");
                offset = seconds * 1_000_000_000L;
            }
            position += 4 + PcapNgFormat.Pad4(size);
        }
        if (linkType != PcapFormat.LinkTypeEthernet)
        {
            throw new PcapFormatException(string.Create(CultureInfo.InvariantCulture,
                $"interface {_interfaces.Count} (block at offset {_bufferOffset + _start}) has link type {linkType}, not Ethernet (1); netmap ports carry Ethernet frames, so a pcapng file replays only when all its interfaces are Ethernet"));
        }
        _interfaces.Add(new Interface(snapLength, isDecimal, exponent, offset));
    }

    private void ReadEnhancedPacket(int length, out ReadOnlySpan<byte> frame, out long unixNanoseconds, out int originalLength)
    {
        uint id = Read32(_start + 8);
        ulong units = ((ulong)Read32(_start + 12) << 32) | Read32(_start + 16);
        uint captured = Read32(_start + 20);
        uint original = Read32(_start + 24);
        if (id >= (uint)_interfaces.Count)
            throw Bad($"packet on interface {id}, but the section defines {_interfaces.Count} interface(s) before it");
        if (captured > PcapFormat.MaxSnapLength)
            throw Bad($"captured length {captured} is more than {PcapFormat.MaxSnapLength} bytes (a corrupt block)");
        if (PcapNgFormat.EnhancedPacketHeaderSize + PcapNgFormat.Pad4((int)captured) > length)
            throw Bad($"captured length {captured} runs past the end of its {length}-byte block");
        if (original > int.MaxValue)
            throw Bad($"original length {original} is absurd (a corrupt block)");
        unixNanoseconds = ToNanoseconds(_interfaces[(int)id], units);
        _lastTimestamp = unixNanoseconds;
        frame = _buffer.AsSpan(_start + PcapNgFormat.EnhancedPacketHeaderSize - 4, (int)captured);
        originalLength = (int)Math.Max(original, captured);
    }

    private void ReadSimplePacket(int length, out ReadOnlySpan<byte> frame, out long unixNanoseconds, out int originalLength)
    {
        if (_interfaces.Count == 0)
            throw Bad("simple packet block before any interface description (it belongs to interface 0)");
        uint original = Read32(_start + 8);
        if (original > int.MaxValue)
            throw Bad($"original length {original} is absurd (a corrupt block)");
        // The captured length is not stored: the frame's length, cut to the snap length and to the block.
        long captured = Math.Min(original, length - PcapNgFormat.SimplePacketHeaderSize);
        uint snap = _interfaces[0].SnapLength;
        if (snap != 0)
            captured = Math.Min(captured, snap);
        if (captured > PcapFormat.MaxSnapLength)
            throw Bad($"captured length {captured} is more than {PcapFormat.MaxSnapLength} bytes (a corrupt block)");
        frame = _buffer.AsSpan(_start + PcapNgFormat.SimplePacketHeaderSize - 4, (int)captured);
        unixNanoseconds = _lastTimestamp;   // no timestamp of its own: the previous packet's time
        originalLength = (int)Math.Max(original, captured);
    }

    // Units of the interface's resolution since 1970 (plus its offset) in nanoseconds; a value
    // beyond what a 64-bit count of nanoseconds holds (year 2262) is a corrupt block.
    private long ToNanoseconds(Interface i, ulong units)
    {
        UInt128 ns = i.Decimal
            ? i.Exponent <= 9 ? (UInt128)units * Pow10(9 - i.Exponent) : units / Pow10(i.Exponent - 9)
            : ((UInt128)units * 1_000_000_000UL) >> i.Exponent;
        if (ns > long.MaxValue || (i.OffsetNanoseconds > 0 && (long)ns > long.MaxValue - i.OffsetNanoseconds))
            throw Bad($"timestamp {units} (units of {(i.Decimal ? "10" : "2")}^-{i.Exponent} s) is beyond the year 2262 (a corrupt block)");
        return (long)ns + i.OffsetNanoseconds;
    }

    private static ulong Pow10(int n)
    {
        ulong p = 1;
        for (int k = 0; k < n; k++) p *= 10;
        return p;
    }

    // The block length at _start + 4 (8 bytes are buffered), checked to be a whole number of 4-byte words, at least 12.
    private int CheckedLength(uint type)
    {
        uint length = Read32(_start + 4);
        if (length < PcapNgFormat.MinBlockSize || length % 4 != 0)
            throw Bad(string.Create(CultureInfo.InvariantCulture, $"block of type 0x{type:x} has length {length} (a block is a multiple of 4 bytes, at least 12)"));
        if (length > int.MaxValue)
            throw Bad(string.Create(CultureInfo.InvariantCulture, $"block of type 0x{type:x} has the absurd length {length}"));
        return (int)length;
    }

    // Brings a block to be parsed wholly into the buffer and checks its two lengths agree.
    private void ReadWhole(uint type, int length, int minimum)
    {
        if (length < minimum)
            throw Bad(string.Create(CultureInfo.InvariantCulture, $"block of type 0x{type:x} has length {length}, less than the {minimum} bytes of its fixed fields"));
        if (length > PcapNgFormat.MaxReadBlockSize)
            throw Bad(string.Create(CultureInfo.InvariantCulture, $"block of type 0x{type:x} has length {length}, more than {PcapNgFormat.MaxReadBlockSize} bytes (a corrupt block)"));
        if (!Ensure(length))
            throw Truncated(string.Create(CultureInfo.InvariantCulture, $"the block of type 0x{type:x} has {_end - _start} of its {length} bytes"));
        uint trailer = Read32(_start + length - 4);
        if (trailer != length)
            throw Bad(string.Create(CultureInfo.InvariantCulture, $"block of type 0x{type:x} ends with length {trailer}, not the {length} it starts with (a corrupt file)"));
    }

    // Steps over a block without reading it: from the buffer when it is there, else by seeking.
    private void Skip(int length)
    {
        int buffered = _end - _start;
        if (buffered >= length)
        {
            _start += length;
            return;
        }
        long target = _bufferOffset + _start + length;
        if (target > _input.Length)
            throw Truncated(string.Create(CultureInfo.InvariantCulture, $"the block has {_input.Length - (_bufferOffset + _start)} of its {length} bytes"));
        _input.Seek(target, SeekOrigin.Begin);
        _bufferOffset = target;
        _start = _end = 0;
    }

    // True when `count` bytes from _start are in the buffer, reading more as needed; false at the end of the file.
    private bool Ensure(int count)
    {
        if (_end - _start >= count)
            return true;
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
                return false;
            _end += read;
        }
        return true;
    }

    private PcapFormatException Truncated(string detail) =>
        new(string.Create(CultureInfo.InvariantCulture, $"truncated pcapng file: block at offset {_bufferOffset + _start} (after frame {_frameNumber}) is cut short: {detail}"));

    private PcapFormatException Bad(string detail) =>
        new(string.Create(CultureInfo.InvariantCulture, $"bad pcapng block at offset {_bufferOffset + _start} (after frame {_frameNumber}): {detail}"));

    private ushort Read16(int at) => _bigEndian
        ? BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(at))
        : BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(at));

    private uint Read32(int at) => _bigEndian
        ? BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(at))
        : BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(at));

    private ulong Read64(int at) => _bigEndian
        ? BinaryPrimitives.ReadUInt64BigEndian(_buffer.AsSpan(at))
        : BinaryPrimitives.ReadUInt64LittleEndian(_buffer.AsSpan(at));
}
