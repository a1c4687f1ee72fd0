using System.Text;
using Netmap.Dynamic.Native;

namespace Netmap.Dynamic.Tests.Native;

/// <summary>Native strings are read within their buffer, whatever the native side wrote.</summary>
public sealed unsafe class NativeTextTests
{
    [Test]
    public void A_message_without_NUL_is_read_only_up_to_the_buffer_size()
    {
        // 8 bytes of message followed by more text the native side had no right to: no NUL in the buffer.
        byte[] memory = Encoding.UTF8.GetBytes("ENOTTY!!and beyond\0");
        string text;
        fixed (byte* buffer = memory)
            text = NativeText.Message(buffer, 8);
        Assert.That(text, Is.EqualTo("ENOTTY!!"));
    }

    [Test]
    public void A_message_stops_at_the_first_NUL_and_an_empty_one_says_so()
    {
        byte[] memory = Encoding.UTF8.GetBytes("open failed\0stale tail");
        byte[] empty = new byte[16];
        string text, none;
        fixed (byte* buffer = memory)
            text = NativeText.Message(buffer, memory.Length);
        fixed (byte* buffer = empty)
            none = NativeText.Message(buffer, empty.Length);
        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo("open failed"));
            Assert.That(none, Is.EqualTo("no message"));
        });
    }

    [Test]
    public void Arguments_are_passed_as_NUL_terminated_UTF8()
    {
        Assert.That(NativeText.ToUtf8z("vale0:é"), Is.EqualTo(new byte[] { (byte)'v', (byte)'a', (byte)'l', (byte)'e', (byte)'0', (byte)':', 0xC3, 0xA9, 0 }));
    }
}
