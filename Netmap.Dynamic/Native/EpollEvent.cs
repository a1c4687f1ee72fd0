using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Native;

/// <summary>
/// <c>struct epoll_event</c> and the epoll constants the reactor uses (Linux). The struct is
/// <c>{ uint32_t events; uint64_t data; }</c>, packed on x86-64 (12 bytes, data at offset 4) and
/// naturally aligned elsewhere (16 bytes, data at offset 8), so it is read and written through
/// these helpers rather than declared once with a fixed layout.
/// </summary>
internal static unsafe class EpollEvent
{
    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const int EPOLL_CTL_MOD = 3;

    public const uint EPOLLIN = 0x001;
    public const uint EPOLLOUT = 0x004;
    public const uint EPOLLERR = 0x008;
    public const uint EPOLLHUP = 0x010;
    public const uint EPOLLONESHOT = 1u << 30;

    /// <summary><c>EPOLL_CLOEXEC</c> (= <c>O_CLOEXEC</c> on every Linux architecture .NET runs on).</summary>
    public const int EPOLL_CLOEXEC = 0x80000;

    private static readonly bool Packed = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;

    /// <summary>Bytes of one <c>struct epoll_event</c> on this architecture.</summary>
    public static int Size { get; } = Packed ? 12 : 16;

    private static int DataOffset => Packed ? 4 : 8;

    /// <summary>Writes one event at <paramref name="entry"/>.</summary>
    public static void Write(byte* entry, uint events, ulong data)
    {
        Unsafe.WriteUnaligned(entry, events);
        Unsafe.WriteUnaligned(entry + DataOffset, data);   // offset 4 on x86-64: unaligned
    }

    /// <summary>The events of entry <paramref name="index"/> of an array filled by <c>epoll_wait</c>.</summary>
    public static uint Events(byte* array, int index) => Unsafe.ReadUnaligned<uint>(array + (index * Size));

    /// <summary>The data of entry <paramref name="index"/> of an array filled by <c>epoll_wait</c>.</summary>
    public static ulong Data(byte* array, int index) => Unsafe.ReadUnaligned<ulong>(array + (index * Size) + DataOffset);
}
