using System.Buffers.Binary;

namespace Netmap.Dynamic.Cli.Pcap;

/// <summary>
/// Writes a capture file with nanosecond timestamps, little-endian, link type Ethernet: classic
/// pcap, or pcapng (<see cref="CaptureFileFormat"/>: one section, one interface whose
/// <c>if_tsresol</c> says nanoseconds, an Enhanced Packet Block per frame). Frames are
/// appended to a large buffer (no allocation, no system call per frame); a full buffer goes to
/// a <see cref="PcapBufferSink"/>, which writes it on the calling thread or on a writer thread
/// (see docs/tools.md for which one measured faster).
/// </summary>
internal sealed class PcapWriter : IDisposable
{
    /// <summary>Bytes buffered before a write: large enough that the write call is rare, small
    /// enough to stay in the caches of a busy machine.</summary>
    public const int DefaultBufferSize = 1 << 20;

    private readonly PcapBufferSink _sink;
    private byte[] _buffer;
    private int _used;
    private bool _disposed;

    /// <param name="sink">Where full buffers go; the writer owns it and disposes it.</param>
    /// <param name="snapLength">Bytes kept of each frame (1 to <see cref="PcapFormat.MaxSnapLength"/>); the record still gives the frame's whole length.</param>
    /// <param name="format">Classic pcap (the default) or pcapng.</param>
    /// <param name="interfaceName">pcapng only: the interface's name (<c>if_name</c>), e.g. the port spec; null for none.</param>
    public PcapWriter(PcapBufferSink sink, int snapLength, CaptureFileFormat format = CaptureFileFormat.Pcap, string? interfaceName = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(snapLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(snapLength, PcapFormat.MaxSnapLength);
        _sink = sink;
        SnapLength = snapLength;
        Format = format;
        _buffer = sink.TakeEmptyBuffer();
        if (_buffer.Length < PcapNgFormat.EnhancedPacketHeaderSize + PcapFormat.MaxSnapLength + PcapNgWriting.MaxHeaderSize)
            throw new ArgumentException("The sink's buffers must hold the file header and one record of the largest snap length.", nameof(sink));
        _used = format == CaptureFileFormat.PcapNg
            ? PcapNgWriting.WriteFileHeader(_buffer, snapLength, interfaceName)
            : WriteFileHeader(_buffer.AsSpan(0, PcapFormat.FileHeaderSize), snapLength);
    }

    /// <summary>What is written.</summary>
    public CaptureFileFormat Format { get; }

    /// <summary>Bytes kept of each frame.</summary>
    public int SnapLength { get; }

    /// <summary>Frames written so far.</summary>
    public long Frames { get; private set; }

    /// <summary>Frame bytes written so far (captured bytes, without record headers).</summary>
    public long CapturedBytes { get; private set; }

    /// <summary>
    /// Appends one record: the first <see cref="SnapLength"/> bytes of <paramref name="frame"/>,
    /// its whole length, and <paramref name="unixNanoseconds"/> (nanoseconds since 1970-01-01 UTC).
    /// </summary>
    public void WriteFrame(ReadOnlySpan<byte> frame, long unixNanoseconds)
    {
        int captured = Math.Min(frame.Length, SnapLength);
        bool ng = Format == CaptureFileFormat.PcapNg;
        int record = ng ? PcapNgFormat.EnhancedPacketHeaderSize + PcapNgFormat.Pad4(captured) : PcapFormat.RecordHeaderSize + captured;
        if (_buffer.Length - _used < record)
        {
            _buffer = _sink.Submit(_buffer, _used);
            _used = 0;
        }
        Span<byte> destination = _buffer.AsSpan(_used, record);
        if (ng)
        {
            PcapNgWriting.WriteEnhancedPacket(destination, frame[..captured], frame.Length, unixNanoseconds);
        }
        else
        {
            (long seconds, long nanoseconds) = Math.DivRem(Math.Max(0, unixNanoseconds), 1_000_000_000L);
            BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)seconds);
            BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (uint)nanoseconds);
            BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], (uint)captured);
            BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], (uint)frame.Length);
            frame[..captured].CopyTo(destination[PcapFormat.RecordHeaderSize..]);
        }
        _used += record;
        Frames++;
        CapturedBytes += captured;
    }

    /// <summary>Writes what is buffered and waits until the sink has written everything.</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _sink.Complete(_buffer, _used);
        _used = 0;
    }

    /// <summary>
    /// Releases the sink and its stream. Frames still buffered are not written: call
    /// <see cref="Complete"/> first (a failed run that skips it keeps what was written before).
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _sink.Dispose();
    }

    /// <summary>The 24-byte file header: magic (nanoseconds), version 2.4, zone 0, sigfigs 0, snap length, Ethernet.</summary>
    public static int WriteFileHeader(Span<byte> destination, int snapLength)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, PcapFormat.MagicNanoseconds);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], PcapFormat.VersionMajor);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], PcapFormat.VersionMinor);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], (uint)snapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[20..], PcapFormat.LinkTypeEthernet);
        return PcapFormat.FileHeaderSize;
    }
}
