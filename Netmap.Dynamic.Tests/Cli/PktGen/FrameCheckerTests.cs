using Netmap.Dynamic.Cli.PktGen;

namespace Netmap.Dynamic.Tests.Cli.PktGen;

public class FrameCheckerTests
{
    [Test]
    public void Intact_frame_passes_with_its_sequence_number()
    {
        FrameBuilder builder = new(60);
        byte[] frame = new byte[60];
        builder.Write(frame, 31337);
        Assert.That(new FrameChecker(builder).TryCheck(frame, out ulong sequence), Is.True);
        Assert.That(sequence, Is.EqualTo(31337));
    }

    [TestCase(60)]
    [TestCase(97)]
    public void Any_damaged_byte_makes_the_frame_corrupt(int size)
    {
        FrameBuilder builder = new(size);
        FrameChecker checker = new(builder);
        byte[] frame = new byte[size];
        List<int> missed = [];
        for (int i = 0; i < size; i++)
        {
            builder.Write(frame, 5);
            frame[i] ^= 0x10;
            if (checker.TryCheck(frame, out _))
            {
                missed.Add(i);
            }
        }
        Assert.That(missed, Is.Empty, "byte offsets whose damage went unnoticed");
    }

    [Test]
    public void Wrong_length_is_corrupt()
    {
        FrameBuilder builder = new(64);
        byte[] frame = new byte[65];
        builder.Write(frame, 1);
        FrameChecker checker = new(builder);
        Assert.That(checker.TryCheck(frame, out _), Is.False);
        Assert.That(checker.TryCheck(frame.AsSpan(0, 63), out _), Is.False);
        Assert.That(checker.TryCheck(frame.AsSpan(0, 64), out _), Is.True);
    }

    [Test]
    public void Reply_passes_the_reversed_checker_only()
    {
        FrameBuilder builder = new(60);
        byte[] frame = new byte[60];
        builder.Write(frame, 8);
        FrameBuilder.SwapAddresses(frame);
        Assert.That(new FrameChecker(builder.Reversed()).TryCheck(frame, out ulong sequence), Is.True);
        Assert.That(sequence, Is.EqualTo(8));
        Assert.That(new FrameChecker(builder).TryCheck(frame, out _), Is.False);
    }

    [Test]
    public void Tracker_counts_gaps_and_late_frames()
    {
        SequenceTracker t = default;
        foreach (ulong s in new ulong[] { 0, 1, 2, 5, 6, 3, 7, 7, 8 })
        {
            t.Observe(s);
        }
        Assert.That(t.Gaps, Is.EqualTo(2), "3 and 4 were skipped when 5 arrived");
        Assert.That(t.OutOfOrder, Is.EqualTo(2), "3 after 6, and the second 7");
        Assert.That(t.Expected, Is.EqualTo(9));
    }

    [Test]
    public void Tracker_in_order_stream_has_no_gap()
    {
        SequenceTracker t = default;
        for (ulong s = 0; s < 1000; s++)
        {
            t.Observe(s);
        }
        Assert.That((t.Gaps, t.OutOfOrder, t.Expected), Is.EqualTo((0L, 0L, 1000UL)));
    }
}
