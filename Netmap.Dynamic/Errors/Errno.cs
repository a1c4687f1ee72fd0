namespace Netmap.Dynamic;

/// <summary>
/// The errno values netmap's control and data plane report, with their Linux numbers, and their
/// symbolic names for messages. Both backends speak these numbers (the fake backend reports the
/// errno the kernel would).
/// </summary>
public static class Errno
{
#pragma warning disable CS1591 // The names are the documentation: they are the C errno names.
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int ENXIO = 6;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EFAULT = 14;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int ENOTTY = 25;
    public const int ENOSPC = 28;
    public const int ERANGE = 34;
    public const int ENOSYS = 38;
    public const int ENAMETOOLONG = 36;
    public const int EMSGSIZE = 90;
    public const int EOPNOTSUPP = 95;
#pragma warning restore CS1591

    /// <summary>The symbolic name of <paramref name="errno"/> (<c>"ENXIO"</c>), or <c>"errno 123"</c>.</summary>
    public static string Name(int errno) => errno switch
    {
        0 => "OK",
        EPERM => nameof(EPERM),
        ENOENT => nameof(ENOENT),
        EINTR => nameof(EINTR),
        EIO => nameof(EIO),
        ENXIO => nameof(ENXIO),
        EBADF => nameof(EBADF),
        EAGAIN => nameof(EAGAIN),
        ENOMEM => nameof(ENOMEM),
        EACCES => nameof(EACCES),
        EFAULT => nameof(EFAULT),
        EBUSY => nameof(EBUSY),
        EEXIST => nameof(EEXIST),
        ENODEV => nameof(ENODEV),
        EINVAL => nameof(EINVAL),
        ENOTTY => nameof(ENOTTY),
        ENOSPC => nameof(ENOSPC),
        ERANGE => nameof(ERANGE),
        ENOSYS => nameof(ENOSYS),
        ENAMETOOLONG => nameof(ENAMETOOLONG),
        EMSGSIZE => nameof(EMSGSIZE),
        EOPNOTSUPP => nameof(EOPNOTSUPP),
        _ => $"errno {errno}",
    };

    /// <summary>A short description of <paramref name="errno"/> in netmap's context.</summary>
    public static string Describe(int errno) => errno switch
    {
        EPERM or EACCES => "permission denied",
        ENOENT => "no such file or device",
        ENXIO => "no such port or device",
        EBUSY => "busy (held exclusively or in use)",
        EINVAL => "invalid argument",
        ENOTTY => "not a netmap device",
        ENOMEM => "out of memory",
        EINTR => "interrupted",
        EAGAIN => "try again",
        _ => Name(errno),
    };
}
