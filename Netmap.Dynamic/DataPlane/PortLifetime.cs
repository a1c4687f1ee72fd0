namespace Netmap.Dynamic;

/// <summary>
/// The one object every <see cref="NetmapRing"/> view of a port refers to. A ring checks
/// <see cref="IsDisposed"/> (one volatile load and compare) before every access to the shared
/// memory, so a view used after <see cref="NetmapPort.Dispose"/> throws instead of reading memory
/// the backend may already have released.
/// </summary>
/// <remarks>
/// Why a flag and not reference counting: ring views are cheap structs copied freely and spans of
/// packet buffers escape to user code, so counting users would cost an interlocked operation per
/// access and still could not cover spans. The rule is therefore the one of every unmanaged
/// resource: Dispose the port when no thread is inside a ring access. The one case where another
/// thread legitimately is inside the port at Dispose time — a blocked <see cref="NetmapPort.Poll"/>
/// or <see cref="NetmapPort.WaitAsync(NetmapPollEvents, CancellationToken)"/> — is handled by the driver, which wakes it and lets it
/// return without touching ring memory. Spans obtained from a ring are valid only until the next
/// sync of that ring and never after Dispose.
/// </remarks>
internal sealed class PortLifetime(string portName, object memoryIdentity, ushort memId)
{
    private volatile bool _isDisposed;

    /// <summary>The port's name, for messages.</summary>
    public string PortName { get; } = portName;

    /// <summary>
    /// An object that is the same for every port mapping the same memory allocator: two rings may
    /// swap buffers only when their identities are the same object.
    /// </summary>
    public object MemoryIdentity { get; } = memoryIdentity;

    /// <summary>The allocator's <c>nr_mem_id</c>, for messages.</summary>
    public ushort MemId { get; } = memId;

    /// <summary>Set once, by <see cref="NetmapPort.Dispose"/>, before the driver releases anything.</summary>
    public bool IsDisposed => _isDisposed;

    public void MarkDisposed() => _isDisposed = true;
}
