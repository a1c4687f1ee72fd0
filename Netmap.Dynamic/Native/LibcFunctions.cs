using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Native;

/// <summary>
/// The libc functions of the data plane, resolved once per load from <c>libc.so.6</c> (or
/// <c>libc.so</c>). The control plane (open, register, mmap, munmap, VALE requests) goes through
/// the shim, which owns netmap's request structs; libc serves what runs per batch: the sync
/// ioctls, poll, and the eventfd that wakes a blocked poll. errno is read with
/// <see cref="Marshal.GetLastSystemError"/> right after a failed call.
/// </summary>
/// <remarks>
/// <c>ioctl</c> is variadic in C; it is called here with its one pointer argument, which the
/// Linux and FreeBSD calling conventions (x86-64, AArch64) pass exactly as a fixed argument.
/// </remarks>
internal unsafe struct LibcFunctions
{
    /// <summary>Names tried for libc when no path is given, in order.</summary>
    public static readonly string[] DefaultNames = OperatingSystem.IsFreeBSD() ? ["libc.so.7", "libc.so"] : ["libc.so.6", "libc.so"];

#pragma warning disable IDE1006 // C export names on purpose.
    public delegate* unmanaged<int, nuint, void*, int> ioctl;
    public delegate* unmanaged<void*, nuint, int, int> poll;
    public delegate* unmanaged<int, int> close;
    public delegate* unmanaged<uint, int, int> eventfd;
    public delegate* unmanaged<int, void*, nuint, nint> read;
    public delegate* unmanaged<int, void*, nuint, nint> write;

    // Optional (Linux only; null where libc has no epoll, e.g. FreeBSD): the wait reactor
    // (NativeReactor). Without them WaitAsync falls back to a blocking poll per waiter.
    public delegate* unmanaged<int, int> epoll_create1;
    public delegate* unmanaged<int, int, int, void*, int> epoll_ctl;
    public delegate* unmanaged<int, void*, int, int, int> epoll_wait;
#pragma warning restore IDE1006

    /// <summary>
    /// The same <c>ioctl</c>, called without the GC transition: only for <c>NIOCTXSYNC</c> and
    /// <c>NIOCRXSYNC</c> (<see cref="NativePortDriver"/>). It saves the per-call transition frame
    /// and the mode switch, about a fifth of an empty sync in the netmap VM (docs/performance.md,
    /// "Sync calls"); errno is read right after it with nothing of the runtime's in between.
    /// </summary>
    /// <remarks>
    /// Why it is safe (sys/dev/netmap/netmap.c, netmap_ioctl, case NIOCTXSYNC/NIOCRXSYNC): the
    /// ioctl takes no argument, copies nothing from or to user memory (the kernel reaches the rings
    /// through its own mapping, so it cannot fault on ours), never calls back into managed code and
    /// runs the sync of each bound ring once: microseconds, bounded by the ring sizes. It can sleep
    /// only in two kernel-internal waits that do not depend on any thread of this process: while an
    /// administrative operation holds the ring locked (<c>nm_kr_tryget</c> sleeps a few ticks and
    /// retries) and, on a VALE port, while a port is attached or detached (the switch's rw
    /// semaphore). So no deadlock is possible with a GC that starts meanwhile; that GC only waits
    /// for the sync to return, as long as those rare waits last. <c>poll</c> and
    /// <c>epoll_wait</c> block for as long as the kernel has nothing to report, and are never
    /// called this way.
    /// </remarks>
    public readonly delegate* unmanaged[SuppressGCTransition]<int, nuint, void*, int> SyncIoctl =>
        (delegate* unmanaged[SuppressGCTransition]<int, nuint, void*, int>)ioctl;

    /// <summary>True when the epoll functions were found (Linux): WaitAsync can use one reactor thread.</summary>
    public readonly bool HasEpoll => epoll_create1 != null && epoll_ctl != null && epoll_wait != null;

    /// <summary>Resolves every function; adds the name of each missing one to <paramref name="missing"/>.</summary>
    public static LibcFunctions Resolve(nint handle, List<string> missing)
    {
        LibcFunctions f = default;
        f.ioctl = (delegate* unmanaged<int, nuint, void*, int>)Export(handle, nameof(ioctl), missing);
        f.poll = (delegate* unmanaged<void*, nuint, int, int>)Export(handle, nameof(poll), missing);
        f.close = (delegate* unmanaged<int, int>)Export(handle, nameof(close), missing);
        f.eventfd = (delegate* unmanaged<uint, int, int>)Export(handle, nameof(eventfd), missing);
        f.read = (delegate* unmanaged<int, void*, nuint, nint>)Export(handle, nameof(read), missing);
        f.write = (delegate* unmanaged<int, void*, nuint, nint>)Export(handle, nameof(write), missing);
        if (OperatingSystem.IsLinux())
        {
            f.epoll_create1 = (delegate* unmanaged<int, int>)Optional(handle, nameof(epoll_create1));
            f.epoll_ctl = (delegate* unmanaged<int, int, int, void*, int>)Optional(handle, nameof(epoll_ctl));
            f.epoll_wait = (delegate* unmanaged<int, void*, int, int, int>)Optional(handle, nameof(epoll_wait));
        }
        return f;
    }

    private static nint Export(nint handle, string name, List<string> missing) => DynamicLinker.Export(handle, name, missing);

    private static nint Optional(nint handle, string name) => NativeLibrary.TryGetExport(handle, name, out nint address) ? address : 0;
}
