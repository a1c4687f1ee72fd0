using System.Buffers.Binary;

namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>
/// The receiver's check of one frame: right length, every constant byte equal to the
/// sender's template, and a UDP checksum that matches the sequence number it carries (so a
/// damaged sequence number is caught too). No allocation: span comparisons are vectorised.
/// </summary>
internal sealed class FrameChecker
{
    private readonly FrameBuilder _builder;
    private readonly byte[] _template;

    public FrameChecker(FrameBuilder builder)
    {
        _builder = builder;
        _template = builder.Template.ToArray();
    }

    public int Size => _builder.Size;

    /// <summary>True when <paramref name="frame"/> is intact; <paramref name="sequence"/> is
    /// the number it carries (meaningful only when intact).</summary>
    public bool TryCheck(ReadOnlySpan<byte> frame, out ulong sequence)
    {
        sequence = 0;
        if (frame.Length != _template.Length)
        {
            return false;
        }
        ReadOnlySpan<byte> template = _template;
        if (!frame[..FrameLayout.UdpChecksumOffset].SequenceEqual(template[..FrameLayout.UdpChecksumOffset])
            || !frame[FrameLayout.PatternOffset..].SequenceEqual(template[FrameLayout.PatternOffset..]))
        {
            return false;
        }
        sequence = BinaryPrimitives.ReadUInt64BigEndian(frame[FrameLayout.SequenceOffset..]);
        return BinaryPrimitives.ReadUInt16BigEndian(frame[FrameLayout.UdpChecksumOffset..]) == _builder.UdpChecksum(sequence);
    }
}

/// <summary>
/// Follows the sequence numbers of intact frames. A number above the next expected one is a
/// gap (those frames are missing, counted in <see cref="Gaps"/>); a number below it is a frame
/// that arrived late or twice (<see cref="OutOfOrder"/>). After a gap the next expected number
/// is the one after the frame just seen; a late frame leaves it where it was.
/// </summary>
internal struct SequenceTracker
{
    public ulong Expected;
    public long Gaps;
    public long OutOfOrder;

    public void Observe(ulong sequence)
    {
        if (sequence == Expected)
        {
            Expected++;
            return;
        }
        if (sequence > Expected)
        {
            Gaps += (long)Math.Min(sequence - Expected, long.MaxValue);
        }
        else
        {
            OutOfOrder++;
            return;   // a late frame does not move the expectation back
        }
        Expected = sequence + 1;
    }
}
