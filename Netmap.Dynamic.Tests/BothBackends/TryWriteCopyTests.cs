namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>TryWrite copies small frames with its own inline moves: every length must land exactly, and nothing beyond it.</summary>
public sealed class TryWriteCopyTests(BackendKind kind) : TwoBackendTest(kind)
{
    [Test]
    public void Every_frame_length_is_copied_exactly_and_nothing_past_it_is_touched()
    {
        using NetmapPort port = Backend.OpenPort($"netmap:{Unique("copy")}{{1");
        NetmapRing tx = port.GetTxRing(0);
        for (int length = 0; length <= 130; length++)
        {
            if (tx.IsEmpty) Assert.Fail("ring too small for the test");
            int slot = tx.Head;
            Span<byte> buffer = tx.GetBuffer(slot);
            buffer.Fill(0xEE);                                   // a canary over the whole buffer
            byte[] frame = [.. Enumerable.Range(0, length).Select(i => (byte)(i * 31 + length))];

            Assert.That(tx.TryWrite(frame), Is.True);

            Assert.That(tx[slot].Length, Is.EqualTo(length));
            Assert.That(buffer[..length].ToArray(), Is.EqualTo(frame), $"length {length}");
            Assert.That(buffer[length..].ToArray().All(b => b == 0xEE), Is.True, $"bytes after a {length}-byte frame were written");
        }
    }
}
