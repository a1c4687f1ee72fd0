using System.IO.MemoryMappedFiles;

namespace Netmap.Dynamic;

/// <summary>
/// Memory an application gives netmap for a port's rings and buffers (<c>NETMAP_REQ_OPT_EXTMEM</c>,
/// the <c>@extmem</c> option): a file the library maps (<see cref="MapFile"/>), or memory the
/// application mapped itself (<see cref="FromAddress"/>), for example anonymous hugepages. Pass it in
/// <see cref="NetmapPortOptions.ExternalMemory"/>; every port opened on the same memory shares one
/// region (the kernel finds the same pages and hands out the same <c>nr_mem_id</c>), so they can
/// swap buffers.
/// </summary>
/// <remarks>
/// Lifetime — who unmaps, when:
/// <list type="bullet">
/// <item><see cref="MapFile"/>: the library maps the file and the library unmaps it, once this object is
/// disposed <em>and</em> the last port opened on it is disposed (whichever comes last). Disposing it
/// early is safe; it only stops new ports from using it.</item>
/// <item><see cref="FromAddress"/>: the application mapped the memory and the application unmaps it, but
/// only after <see cref="Dispose"/> has returned. <see cref="Dispose"/> throws
/// <see cref="InvalidOperationException"/> while a port still uses the memory, because the port's rings
/// live there (and the kernel keeps the pages pinned until the port is closed).</item>
/// </list>
/// A port opened with a spec's <c>@extmem=FILE</c> maps the file itself and releases it when the port
/// is disposed.
/// </remarks>
public sealed unsafe class NetmapExternalMemory : IDisposable
{
    private readonly Lock _lock = new();
    private readonly MemoryMappedFile? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private int _ports;
    private bool _disposed;
    private bool _unmapped;

    private NetmapExternalMemory(byte* address, long length, NetmapExternalMemoryLayout layout, MemoryMappedFile? file, MemoryMappedViewAccessor? view)
    {
        Address = (nint)address;
        Length = length;
        Layout = layout;
        _file = file;
        _view = view;
    }

    /// <summary>Start of the memory (page-aligned).</summary>
    public nint Address { get; }

    /// <summary>Bytes of memory.</summary>
    public long Length { get; }

    /// <summary>How the kernel is asked to divide the memory into pools.</summary>
    public NetmapExternalMemoryLayout Layout { get; }

    /// <summary>True when the library mapped the memory (<see cref="MapFile"/>) and so unmaps it.</summary>
    public bool IsOwnedByLibrary => _file is not null;

    /// <summary>Ports open on this memory now.</summary>
    public int PortCount
    {
        get
        {
            lock (_lock)
                return _ports;
        }
    }

    /// <summary>
    /// Maps <paramref name="path"/> (read-write, shared, its whole length) as netmap memory. A file on
    /// hugetlbfs (<c>/dev/hugepages/...</c>) gives hugepage-backed memory.
    /// </summary>
    /// <exception cref="ArgumentException">The layout is invalid or needs more than the file holds.</exception>
    /// <exception cref="IOException">The file cannot be opened or mapped (as <see cref="MemoryMappedFile"/> reports it).</exception>
    public static NetmapExternalMemory MapFile(string path, NetmapExternalMemoryLayout? layout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        layout ??= NetmapExternalMemoryLayout.Default;
        CheckLayout(layout);
        long length = new FileInfo(path).Length;
        CheckLength(layout, length, path);
        MemoryMappedFile file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.ReadWrite);
            byte* address = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref address);
            // The view of offset 0 starts at the mapping itself, which mmap aligns to a page.
            return new NetmapExternalMemory(address + view.PointerOffset, length, layout, file, view);
        }
        catch
        {
            view?.Dispose();
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Uses memory the application mapped itself (for example with <c>mmap(MAP_ANONYMOUS | MAP_HUGETLB)</c>).
    /// The application unmaps it, after <see cref="Dispose"/> has returned.
    /// </summary>
    /// <exception cref="ArgumentException">The address is not page-aligned, or the layout needs more than <paramref name="length"/>.</exception>
    public static NetmapExternalMemory FromAddress(nint address, long length, NetmapExternalMemoryLayout? layout = null)
    {
        layout ??= NetmapExternalMemoryLayout.Default;
        CheckLayout(layout);
        if (address == 0 || address % Environment.SystemPageSize != 0)
            throw new ArgumentException($"External memory must start on a page ({Environment.SystemPageSize} bytes): 0x{address:x} does not.", nameof(address));
        CheckLength(layout, length, $"the memory at 0x{address:x}");
        return new NetmapExternalMemory((byte*)address, length, layout, null, null);
    }

    /// <summary>
    /// Stops new ports from using the memory. Library-owned memory is unmapped now, or when its last port
    /// closes; for application-owned memory this throws <see cref="InvalidOperationException"/> while a port
    /// still uses it (close the ports first, then unmap).
    /// </summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            if (_ports > 0 && _file is null)
                throw new InvalidOperationException($"{_ports} port(s) still use this memory: dispose them before releasing it, then unmap it.");
            _disposed = true;
            if (_ports == 0)
                UnmapLocked();
        }
    }

    /// <summary>Counts a port that registers on this memory; throws when the memory was disposed.</summary>
    internal void AddPort()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _ports++;
        }
    }

    /// <summary>A port on this memory has been closed (its fd too: the kernel has unpinned the pages).</summary>
    internal void RemovePort()
    {
        lock (_lock)
        {
            if (--_ports == 0 && _disposed)
                UnmapLocked();
        }
    }

    /// <summary>Refuses memory too small for <see cref="Layout"/> (checked again at every open).</summary>
    internal void CheckFits(string portName)
    {
        long needed = Layout.RequiredBytes;
        if (needed > Length)
            throw NetmapException.FromErrno(Errno.EINVAL, "register", portName,
                $"external memory of {Length} bytes is too small for its pools ({Layout}): they need {needed}");
    }

    private void UnmapLocked()
    {
        if (_unmapped)
            return;
        _unmapped = true;
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }
        _file?.Dispose();
    }

    private static void CheckLayout(NetmapExternalMemoryLayout layout)
    {
        if (layout.Problem() is { } problem)
            throw new ArgumentException($"Invalid external memory layout {layout}: {problem}.", nameof(layout));
    }

    private static void CheckLength(NetmapExternalMemoryLayout layout, long length, string what)
    {
        long needed = layout.RequiredBytes;
        if (length < needed)
            throw new ArgumentException($"{what} has {length} bytes; the pools of {layout} need {needed}.", nameof(layout));
    }
}
