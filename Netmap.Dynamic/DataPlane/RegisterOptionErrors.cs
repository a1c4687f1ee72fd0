using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic;

/// <summary>
/// What a register's refusal means when the kernel's checks of the option list (<c>nmreq_copyin</c>,
/// <c>nmreq_checkoptions</c>) caused it: one sentence each backend adds to its
/// <see cref="NetmapException"/>, so both say the same.
/// </summary>
internal static class RegisterOptionErrors
{
    /// <summary>The kernel copies a request with its options into one buffer of this many bytes.</summary>
    public const int KernelRequestBytes = 4096;

    /// <summary>The explanation for <paramref name="errno"/>, given the statuses the kernel wrote into the options; null when the options are not why.</summary>
    public static string? Explain(int errno, IReadOnlyList<(string Option, int Status)> statuses)
    {
        string? unsupported = statuses.FirstOrDefault(s => s.Status == Errno.EOPNOTSUPP).Option;
        string? invalid = statuses.FirstOrDefault(s => s.Status == Errno.EINVAL).Option;
        return errno switch
        {
            Errno.EMSGSIZE => $"the request's option list does not fit the kernel's {KernelRequestBytes}-byte request buffer (too many options, or a list that never ends)",
            Errno.EOPNOTSUPP when unsupported is not null => $"the kernel does not support option {unsupported} for this request (nro_status EOPNOTSUPP)",
            Errno.EINVAL when invalid is not null => $"the kernel refused option {invalid}: an option type appears twice in the list, or its type is 0 (nro_status EINVAL)",
            _ => null,
        };
    }

    /// <summary>A raw option's name for messages.</summary>
    public static string RawName(ushort type) => type switch
    {
        1 => "EXTMEM (1)",
        2 => "SYNC_KLOOP_EVENTFDS (2)",
        3 => "CSB (3)",
        4 => "SYNC_KLOOP_MODE (4)",
        5 => "OFFSETS (5)",
        _ => $"type {type}",
    };
}
