namespace Netmap.Dynamic;

/// <summary>
/// A netmap operation failed. Carries the errno the kernel (or the fake backend, in its place)
/// reported, the operation and the port it concerned. <see cref="FromErrno"/> picks the most
/// specific subtype, so callers can catch what they can handle.
/// </summary>
public class NetmapException : IOException
{
    /// <summary>Creates an exception with a message only.</summary>
    public NetmapException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public NetmapException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates an exception for a failed operation.</summary>
    public NetmapException(string message, int errno, string? operation, string? portName)
        : base(message)
    {
        Errno = errno;
        Operation = operation;
        PortName = portName;
        HResult = errno;
    }

    /// <summary>Creates an exception (needed by serializers and analyzers).</summary>
    public NetmapException() { }

    /// <summary>The errno reported (0 when none applies).</summary>
    public int Errno { get; }

    /// <summary>What was being done (<c>"register"</c>, <c>"txsync"</c>, <c>"poll"</c>, ...).</summary>
    public string? Operation { get; }

    /// <summary>The port concerned (its spec or kernel name), when there is one.</summary>
    public string? PortName { get; }

    /// <summary>
    /// The exception for <paramref name="errno"/> (positive) from <paramref name="operation"/>:
    /// <see cref="NetmapPortNotFoundException"/> for ENXIO/ENOENT/ENODEV,
    /// <see cref="NetmapPermissionException"/> for EACCES/EPERM,
    /// <see cref="NetmapBusyException"/> for EBUSY, a plain <see cref="NetmapException"/> otherwise.
    /// </summary>
    public static NetmapException FromErrno(int errno, string operation, string? portName, string? detail = null)
    {
        string where = portName is null ? operation : $"{operation} '{portName}'";
        string message = $"netmap {where} failed: {Dynamic.Errno.Name(errno)} ({Dynamic.Errno.Describe(errno)})"
            + (string.IsNullOrEmpty(detail) ? "." : $": {detail}");
        return errno switch
        {
            Dynamic.Errno.ENXIO or Dynamic.Errno.ENOENT or Dynamic.Errno.ENODEV => new NetmapPortNotFoundException(message, errno, operation, portName),
            Dynamic.Errno.EACCES or Dynamic.Errno.EPERM => new NetmapPermissionException(message, errno, operation, portName),
            Dynamic.Errno.EBUSY => new NetmapBusyException(message, errno, operation, portName),
            _ => new NetmapException(message, errno, operation, portName),
        };
    }
}

/// <summary>The port or device does not exist (ENXIO, ENOENT, ENODEV).</summary>
public sealed class NetmapPortNotFoundException : NetmapException
{
    internal NetmapPortNotFoundException(string message, int errno, string? operation, string? portName)
        : base(message, errno, operation, portName) { }
}

/// <summary>The caller may not use the device or port (EACCES, EPERM).</summary>
public sealed class NetmapPermissionException : NetmapException
{
    internal NetmapPermissionException(string message, int errno, string? operation, string? portName)
        : base(message, errno, operation, portName) { }
}

/// <summary>The port is held exclusively or otherwise busy (EBUSY).</summary>
public sealed class NetmapBusyException : NetmapException
{
    internal NetmapBusyException(string message, int errno, string? operation, string? portName)
        : base(message, errno, operation, portName) { }
}
