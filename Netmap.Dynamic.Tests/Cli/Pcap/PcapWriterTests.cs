using System.Buffers.Binary;
using Netmap.Dynamic.Cli.Pcap;

namespace Netmap.Dynamic.Tests.Cli.Pcap;

public class PcapWriterTests
{
    private static byte[] Write(Action<PcapWriter> body, int snapLength = 262144, bool background = false)
    {
        MemoryStream output = new();
        using (PcapWriter writer = new(background ? PcapBufferSink.Background(output) : PcapBufferSink.Inline(output), snapLength))
        {
            body(writer);
            writer.Complete();
            return output.ToArray();
        }
    }

    [Test]
    public void The_file_header_says_nanoseconds_version_2_4_the_snap_length_and_Ethernet()
    {
        byte[] file = Write(_ => { }, snapLength: 1500);
        Assert.That(file, Has.Length.EqualTo(24));
        Assert.Multiple(() =>
        {
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(file), Is.EqualTo(0xA1B23C4D), "nanosecond magic");
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(4)), Is.EqualTo(2));
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(6)), Is.EqualTo(4));
            Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(8)), Is.Zero, "thiszone and sigfigs");
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(16)), Is.EqualTo(1500));
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(20)), Is.EqualTo(1), "LINKTYPE_ETHERNET");
        });
    }

    [Test]
    public void A_record_holds_seconds_nanoseconds_both_lengths_and_the_bytes()
    {
        byte[] frame = TestFrames.Make(0, 60);
        byte[] file = Write(w => w.WriteFrame(frame, 1_700_000_000_123_456_789));
        byte[] record = file[24..];
        Assert.Multiple(() =>
        {
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(record), Is.EqualTo(1_700_000_000));
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(4)), Is.EqualTo(123_456_789));
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(8)), Is.EqualTo(60));
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(12)), Is.EqualTo(60));
            Assert.That(record[16..], Is.EqualTo(frame));
        });
    }

    [Test]
    public void The_snap_length_cuts_the_bytes_but_the_record_keeps_the_frame_length()
    {
        byte[] frame = TestFrames.Make(0, 1514);
        byte[] file = Write(w => w.WriteFrame(frame, 0), snapLength: 96);
        byte[] record = file[24..];
        Assert.Multiple(() =>
        {
            Assert.That(file, Has.Length.EqualTo(24 + 16 + 96));
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(8)), Is.EqualTo(96), "captured");
            Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(12)), Is.EqualTo(1514), "original");
            Assert.That(record[16..], Is.EqualTo(frame[..96]));
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Frames_written_across_many_buffer_fills_read_back_in_order(bool background)
    {
        // About 3 MB: at least two full 1 MiB buffers and a partial one.
        byte[][] frames = TestFrames.Many(4000);
        byte[] file = Write(w =>
        {
            for (int i = 0; i < frames.Length; i++) w.WriteFrame(frames[i], 1_000_000_000L * i + i);
        }, background: background);

        using PcapReader reader = PcapReader.Open(new MemoryStream(file), "test");
        for (int i = 0; i < frames.Length; i++)
        {
            Assert.That(reader.TryReadFrame(out ReadOnlySpan<byte> got, out long ns, out int original), Is.True, $"frame {i}");
            Assert.That(got.SequenceEqual(frames[i]), Is.True, $"bytes of frame {i}");
            Assert.That(ns, Is.EqualTo(1_000_000_000L * i + i));
            Assert.That(original, Is.EqualTo(frames[i].Length));
        }
        Assert.That(reader.TryReadFrame(out _, out _, out _), Is.False);
    }

    [Test]
    public void A_failing_disk_reaches_the_writer_thread_caller_as_an_IOException()
    {
        using PcapWriter writer = new(PcapBufferSink.Background(new FailingStream()), 262144);
        byte[] frame = TestFrames.Make(0, 1514);
        Assert.Throws<IOException>(() =>
        {
            for (int i = 0; i < 10_000; i++) writer.WriteFrame(frame, 0);   // 15 MB: several hand-overs
            writer.Complete();
        });
    }

    [Test]
    public void Counts_frames_and_captured_bytes()
    {
        MemoryStream output = new();
        using PcapWriter writer = new(PcapBufferSink.Inline(output), 100);
        writer.WriteFrame(TestFrames.Make(0, 60), 0);
        writer.WriteFrame(TestFrames.Make(1, 200), 0);
        Assert.That((writer.Frames, writer.CapturedBytes), Is.EqualTo((2L, 160L)));
    }

    private sealed class FailingStream : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("No space left on device");
    }
}
