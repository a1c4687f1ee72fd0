using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Fake;

/// <summary>
/// The kernel's checks of a register's option list (<c>nmreq_copyin</c>, then
/// <c>nmreq_checkoptions</c> once the register is done), over the options the native backend would
/// chain, in its order: external memory, offsets, then the raw ones.
/// </summary>
internal static class FakeOptionList
{
    /// <summary><c>NETMAP_REQ_OPT_MAX</c>: option types at or above it are unknown to the kernel.</summary>
    private const int OptionTypes = 6;

    private const int OptionHeader = 24;     // sizeof(struct nmreq_option)
    private const int RegisterBody = 56;     // sizeof(struct nmreq_register)

    /// <summary>
    /// <c>nmreq_copyin</c>: 0, or the errno it answers (EINVAL for type 0 or a type given twice,
    /// EMSGSIZE when the list does not fit its buffer, as one that never ends does not), with the
    /// option the kernel marked.
    /// </summary>
    public static int Check(bool extmem, bool offsets, RawRegisterOptions? raw, out string? option)
    {
        option = null;
        // The kernel copies the body, a table of option pointers and every option into one buffer.
        const int Buffer = ((2 + OptionTypes) * 8) + RegisterOptionErrors.KernelRequestBytes + (OptionTypes * 8);
        int used = (2 * 8) + RegisterBody + (OptionTypes * 8);
        int request = RegisterBody;
        var seen = new bool[OptionTypes];
        foreach ((int type, string name) in Chain(extmem, offsets, raw))
        {
            if (used + 8 + OptionHeader > Buffer) return Errno.EMSGSIZE;
            used += 8 + OptionHeader;
            request += OptionHeader;
            if (type < 1)
            {
                option = name;
                return Errno.EINVAL;
            }
            if (type >= OptionTypes) continue;   // unknown: EOPNOTSUPP once the register is done
            if (seen[type])
            {
                option = name;
                return Errno.EINVAL;
            }
            seen[type] = true;
            int body = type switch
            {
                1 => 96 - OptionHeader,   // nmreq_opt_extmem
                5 => 56 - OptionHeader,   // nmreq_opt_offsets
                3 => 40 - OptionHeader,   // nmreq_opt_csb
                4 => 32 - OptionHeader,   // nmreq_opt_sync_kloop_mode
                _ => 0,                   // SYNC_KLOOP_EVENTFDS: its own nro_size, a bare header here
            };
            if (request + body > RegisterOptionErrors.KernelRequestBytes || used + body > Buffer) return Errno.EMSGSIZE;
            request += body;
            used += body;
        }
        return 0;
    }

    /// <summary>
    /// <c>nmreq_checkoptions</c>: true when a raw option is one no register consumes (an unknown type,
    /// or a type a register ignores), so the kernel undoes the register and answers EOPNOTSUPP.
    /// </summary>
    public static bool LeavesUnsupported(RawRegisterOptions? raw) =>
        raw is not null && raw.Type is not (1 or 5);

    private static IEnumerable<(int Type, string Name)> Chain(bool extmem, bool offsets, RawRegisterOptions? raw)
    {
        if (extmem) yield return (1, "EXTMEM (1)");
        if (offsets) yield return (5, "OFFSETS (5)");
        if (raw is null) yield break;
        string name = RegisterOptionErrors.RawName(raw.Type);
        for (int i = 0; i < raw.Count; i++) yield return (raw.Type, name);
        // A list whose last option points at itself: the kernel keeps copying it until its buffer is full.
        while (raw.Loop) yield return (raw.Type, name);
    }

    /// <summary>The exception the register fails with, worded as the native backend words it.</summary>
    public static NetmapException Refusal(int errno, string port, string? option) =>
        NetmapException.FromErrno(errno, "register", port,
            RegisterOptionErrors.Explain(errno, option is null ? [] : [(option, errno)]) ?? Errno.Describe(errno));
}
