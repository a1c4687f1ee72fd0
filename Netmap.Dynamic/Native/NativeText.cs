using System.Text;

namespace Netmap.Dynamic.Native;

/// <summary>
/// Strings across the native boundary: NUL-terminated UTF-8 in, NUL-terminated UTF-8 out. Text a
/// native side wrote is read only within the buffer it was given: the shim always terminates its
/// messages, but a wrong or test-built shim need not, and the read must not run past the buffer.
/// </summary>
internal static unsafe class NativeText
{
    /// <summary>The text up to the first NUL, or the whole span when there is none.</summary>
    public static string FromUtf8(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    /// <summary>A shim message from a buffer of <paramref name="size"/> bytes; "no message" when it is empty.</summary>
    public static string Message(byte* buffer, int size)
    {
        string text = FromUtf8(new ReadOnlySpan<byte>(buffer, size));
        return text.Length == 0 ? "no message" : text;
    }

    /// <summary><paramref name="text"/> as UTF-8 with a terminating NUL, for a <c>const char *</c> argument.</summary>
    public static byte[] ToUtf8z(string text)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
