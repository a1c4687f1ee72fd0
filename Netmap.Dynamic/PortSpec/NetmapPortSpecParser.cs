using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic;

/// <summary>
/// The port-spec parser: a non-throwing core that follows libnetmap's three stages (header,
/// register/mode part, options) and reports the first error as a value. It works on index
/// ranges of the input and allocates only the strings and objects of the result it returns.
/// Where it is stricter than libnetmap, the error code's documentation says so.
/// </summary>
internal static class NetmapPortSpecParser
{
    /// <summary>nr_name is 64 bytes including the terminating NUL.</summary>
    internal const int MaxNameBytes = 63;

    /// <summary>NETMAP_RING_MASK: ring numbers are in [0, 4095).</summary>
    internal const int RingLimit = 4095;

    private const string ModeSeparators = "-*^/@";

    private static readonly string[] ConfKeys =
        ["rings", "host_rings", "slots", "tx_rings", "rx_rings", "host_tx_rings", "host_rx_rings", "tx_slots", "rx_slots"];
    private static readonly string[] ExtMemKeys = ["file", "if_num", "if_size", "ring_num", "ring_size", "buf_num", "buf_size"];
    private static readonly string[] ShareKeys = ["port"];
    private static readonly string[] OffsetKeys = ["initial", "bits"];
    private const int MaxKeys = 9;

    // Conf key indexes (into ConfKeys).
    private const int KRings = 0, KHostRings = 1, KSlots = 2, KTxRings = 3, KRxRings = 4,
        KHostTxRings = 5, KHostRxRings = 6, KTxSlots = 7, KRxSlots = 8;

    /// <summary>A failure: code and where (clamped into the input when it becomes public).</summary>
    private readonly record struct Failure(NetmapPortSpecErrorCode Code, int Position, int Length)
    {
        public bool IsError => Code != NetmapPortSpecErrorCode.None;
        public static Failure Ok => default;
    }

    /// <summary>The header as index ranges.</summary>
    private struct Header
    {
        public bool Vale;
        public int NameStart, NameEnd;   // nr_name
        public int PortStart;            // after the ':'
        public int Brace;                // index of '{' or '}', or -1
    }

    /// <summary>Everything the parse found, as values and index ranges (no strings yet).</summary>
    private struct Parts
    {
        public Header Header;
        public NetmapRegisterMode Mode;
        public ushort Ring;
        public NetmapRegisterFlags Flags;
        public ushort MemId;
        public int? TxRings, RxRings, HostTxRings, HostRxRings, TxSlots, RxSlots;
        public int ShareStart, ShareEnd, ShareNameStart, ShareNameEnd;   // ShareStart -1: none
        public bool HasExtMem;
        public int FileStart, FileEnd;
        public int? IfNum, IfSize, RingNum, RingSize, BufNum, BufSize;
        public bool HasOffset;
        public int OffsetInitial;
        public int? OffsetBits;
    }

    public static bool TryParse(string? text, out NetmapPortSpec? spec, out NetmapPortSpecError error)
    {
        spec = null;
        if (text is null)
        {
            error = new NetmapPortSpecError(string.Empty, NetmapPortSpecErrorCode.NullSpec, 0, 0);
            return false;
        }
        Parts parts = default;
        parts.ShareStart = -1;
        Failure f = ParseAll(text, ref parts);
        if (f.IsError)
        {
            error = new NetmapPortSpecError(text, f.Code, f.Position, f.Length);
            return false;
        }
        error = default;
        spec = Build(text, in parts);
        return true;
    }

    private static Failure ParseAll(string s, ref Parts p)
    {
        Failure f = ParseHeader(s, 0, s.Length, out p.Header);
        if (f.IsError)
            return f;
        int pos = p.Header.NameEnd;
        f = ParseMode(s, ref pos, s.Length, ref p);
        if (f.IsError)
            return f;
        return pos < s.Length ? ParseOptions(s, pos, ref p) : Failure.Ok;
    }

    // ---- header: "netmap:" port | "vale" id ":" port -------------------------------------

    private static Failure ParseHeader(string s, int start, int end, out Header h)
    {
        h = default;
        h.Brace = -1;
        int p;
        if (StartsWith(s, start, end, "netmap"))
        {
            p = start + 6;
        }
        else if (StartsWith(s, start, end, "vale"))
        {
            h.Vale = true;
            p = start + 4;
        }
        else
        {
            int c = IndexOf(s, ':', start, end);
            return new(NetmapPortSpecErrorCode.UnknownPrefix, start, (c < 0 ? end : c) - start);
        }

        int colon = IndexOf(s, ':', p, end);
        if (colon < 0)
            return new(NetmapPortSpecErrorCode.MissingColon, start, end - start);
        if (colon != p)
        {
            if (!h.Vale)
                return new(NetmapPortSpecErrorCode.IdentifierNotAllowed, p, colon - p);
            if (!IsIdentifier(s, p, colon))
                return new(NetmapPortSpecErrorCode.InvalidSwitchId, p, colon - p);
            // Stricter than libnetmap: "valentine:eth0" would silently become switch "valentine".
            if (char.IsAsciiLetterLower(s[p]))
                return new(NetmapPortSpecErrorCode.AmbiguousSwitchName, start, colon - start);
        }

        h.PortStart = colon + 1;
        h.NameStart = h.Vale ? start : h.PortStart;   // "netmap:" is stripped, "valeX:" is kept
        int scan = h.PortStart;
        while (scan < end && !ModeSeparators.Contains(s[scan], StringComparison.Ordinal))
            scan++;
        h.NameEnd = scan;

        for (int i = h.PortStart; i < scan; i++)
        {
            if (s[i] is '{' or '}')
            {
                h.Brace = i;
                break;
            }
        }
        if (h.Brace >= 0)
        {
            int idStart = h.Brace + 1;
            if (!IsIdentifier(s, idStart, scan))
                return new(NetmapPortSpecErrorCode.InvalidPipeId, idStart, scan - idStart);
            // libnetmap rejects "eth0{" but accepts "eth0{-1" (it only looks for the end of the
            // string); we reject an empty pipe id wherever it ends.
            if (idStart == scan)
                return new(NetmapPortSpecErrorCode.EmptyPipeId, h.Brace, 1);
        }

        if (scan == h.NameStart)
            return new(NetmapPortSpecErrorCode.EmptyName, h.NameStart, 1);
        if (Utf8Length(s, h.NameStart, scan) > MaxNameBytes)
            return new(NetmapPortSpecErrorCode.NameTooLong, h.NameStart, scan - h.NameStart);
        if (h.Vale && scan == h.PortStart)
            return new(NetmapPortSpecErrorCode.EmptyValePort, start, h.PortStart - start);
        if (h.Brace == h.PortStart)
            return new(NetmapPortSpecErrorCode.EmptyPipeBase, h.Brace, 1);
        int bad = FindInvalidChar(s, h.NameStart, scan);
        if (bad >= 0)
            return new(NetmapPortSpecErrorCode.InvalidNameCharacter, bad, 1);
        if (!h.Vale && StartsWith(s, h.PortStart, scan, "vale"))
            return new(NetmapPortSpecErrorCode.ValeNameAfterNetmapPrefix, h.PortStart, scan - h.PortStart);
        return Failure.Ok;
    }

    // ---- mode: libnetmap's register state machine ---------------------------------------

    private enum ModeState { Start, RingSuffixOk, GetNumber, Flags, FlagsOk, MemId, OneSw }

    /// <summary>
    /// Parses the mode part from <paramref name="pos"/>. On success <paramref name="pos"/> is
    /// <paramref name="end"/>, or the '@' that starts the options.
    /// </summary>
    private static Failure ParseMode(string s, ref int pos, int end, ref Parts p)
    {
        ModeState state = ModeState.Start;
        p.Mode = NetmapRegisterMode.NR_REG_ALL_NIC;
        int mark = pos;   // the last '-', '/' or '@' seen, for errors "at the end"
        while (pos < end)
        {
            char c = s[pos];
            switch (state)
            {
                case ModeState.Start:
                    mark = pos;
                    switch (c)
                    {
                        case '^': p.Mode = NetmapRegisterMode.NR_REG_SW; state = ModeState.OneSw; break;
                        case '*': p.Mode = NetmapRegisterMode.NR_REG_NIC_SW; state = ModeState.RingSuffixOk; break;
                        case '-': p.Mode = NetmapRegisterMode.NR_REG_ONE_NIC; state = ModeState.GetNumber; break;
                        case '/': state = ModeState.Flags; break;
                        case '@': state = ModeState.MemId; break;
                        default: return new(NetmapPortSpecErrorCode.UnexpectedCharacter, pos, 1);
                    }
                    pos++;
                    break;
                case ModeState.RingSuffixOk:
                    mark = pos;
                    if (c == '/')
                        state = ModeState.Flags;
                    else if (c == '@')
                        state = ModeState.MemId;
                    else
                        return new(NetmapPortSpecErrorCode.UnexpectedCharacter, pos, 1);
                    pos++;
                    break;
                case ModeState.GetNumber:
                {
                    if (!char.IsAsciiDigit(c))
                    {
                        int stop = pos;
                        while (stop < end && s[stop] is not ('/' or '@'))
                            stop++;
                        return new(NetmapPortSpecErrorCode.ExpectedRingNumber, pos, stop - pos);
                    }
                    int digits = pos;
                    ulong ring = ReadDigits(s, ref pos, end);
                    if (ring >= RingLimit)
                        return new(NetmapPortSpecErrorCode.RingOutOfRange, digits, pos - digits);
                    p.Ring = (ushort)ring;
                    state = ModeState.RingSuffixOk;
                    break;
                }
                case ModeState.Flags:
                case ModeState.FlagsOk:
                    if (c == '@')
                    {
                        mark = pos;
                        pos++;
                        state = ModeState.MemId;
                        break;
                    }
                    NetmapRegisterFlags flag = c switch
                    {
                        'x' => NetmapRegisterFlags.NR_EXCLUSIVE,
                        'z' => NetmapRegisterFlags.NR_ZCOPY_MON,
                        't' => NetmapRegisterFlags.NR_MONITOR_TX,
                        'r' => NetmapRegisterFlags.NR_MONITOR_RX,
                        'R' => NetmapRegisterFlags.NR_RX_RINGS_ONLY,
                        'T' => NetmapRegisterFlags.NR_TX_RINGS_ONLY,
                        _ => NetmapRegisterFlags.None,
                    };
                    if (flag == NetmapRegisterFlags.None)
                        return new(NetmapPortSpecErrorCode.UnknownFlag, pos, char.IsHighSurrogate(c) && pos + 1 < end ? 2 : 1);
                    p.Flags |= flag;
                    pos++;
                    state = ModeState.FlagsOk;
                    break;
                case ModeState.MemId:
                {
                    if (!char.IsAsciiDigit(c))
                    {
                        pos--;   // back to the '@': the options start here
                        return Failure.Ok;
                    }
                    int digits = pos;
                    ulong id = ReadDigits(s, ref pos, end);
                    if (id == 0)
                        return new(NetmapPortSpecErrorCode.InvalidMemId, digits, pos - digits);
                    if (id > ushort.MaxValue)
                        return new(NetmapPortSpecErrorCode.MemIdOutOfRange, digits, pos - digits);
                    if (p.MemId != 0 && p.MemId != id)
                        return new(NetmapPortSpecErrorCode.MemIdConflict, digits, pos - digits);
                    p.MemId = (ushort)id;
                    state = ModeState.RingSuffixOk;
                    break;
                }
                case ModeState.OneSw:
                    if (char.IsAsciiDigit(c))
                    {
                        p.Mode = NetmapRegisterMode.NR_REG_ONE_SW;
                        state = ModeState.GetNumber;
                    }
                    else
                    {
                        state = ModeState.RingSuffixOk;
                    }
                    break;
            }
        }
        return state switch
        {
            ModeState.MemId => new(NetmapPortSpecErrorCode.EmptyMemId, mark, 1),
            ModeState.GetNumber => new(NetmapPortSpecErrorCode.ExpectedRingNumber, mark, 1),
            ModeState.Flags => new(NetmapPortSpecErrorCode.EmptyFlags, mark, 1),
            _ => Failure.Ok,
        };
    }

    // ---- options: ("@" name ("=" value | ":" key=value,...))+ ----------------------------

    private static Failure ParseOptions(string s, int pos, ref Parts p)
    {
        Span<int> valueStart = stackalloc int[MaxKeys];
        Span<int> valueEnd = stackalloc int[MaxKeys];
        int end = s.Length;
        while (pos < end)
        {
            // s[pos] == '@' here: the mode part stops only at an '@', and each option ends at one.
            int optStart = pos + 1;
            int optEnd = IndexOf(s, '@', optStart, end);
            if (optEnd < 0)
                optEnd = end;
            if (optEnd == optStart)
                return new(NetmapPortSpecErrorCode.EmptyOption, pos, 1);

            int delim = optStart;
            while (delim < optEnd && s[delim] is not (':' or '='))
                delim++;
            string[]? keys = null;
            if (Equals(s, optStart, delim, "conf"))
                keys = ConfKeys;
            else if (Equals(s, optStart, delim, "share"))
                keys = ShareKeys;
            else if (Equals(s, optStart, delim, "extmem"))
                keys = ExtMemKeys;
            else if (Equals(s, optStart, delim, "offset"))
                keys = OffsetKeys;
            else
                return delim == optStart
                    ? new(NetmapPortSpecErrorCode.UnknownOption, delim, 1)
                    : new(NetmapPortSpecErrorCode.UnknownOption, optStart, delim - optStart);

            if (delim == optEnd)
                return new(NetmapPortSpecErrorCode.MissingOptionBody, optStart, delim - optStart);

            valueStart.Fill(-1);
            valueEnd.Fill(-1);
            if (s[delim] == '=')
            {
                // The default key takes the whole rest of the option, commas included (as in libnetmap).
                if (keys == ConfKeys)
                    return new(NetmapPortSpecErrorCode.NoDefaultKey, delim, 1);
                if (delim + 1 == optEnd)
                    return new(NetmapPortSpecErrorCode.MissingOptionValue, delim, 1);
                valueStart[0] = delim + 1;
                valueEnd[0] = optEnd;
            }
            else
            {
                Failure kf = ParseKeys(s, delim + 1, optEnd, keys, valueStart, valueEnd);
                if (kf.IsError)
                    return kf;
            }

            Failure af = keys == ConfKeys ? ApplyConf(s, valueStart, valueEnd, ref p)
                : keys == ShareKeys ? ApplyShare(s, optStart, delim, valueStart[0], valueEnd[0], ref p)
                : keys == OffsetKeys ? ApplyOffset(s, optStart, delim, valueStart, valueEnd, ref p)
                : ApplyExtMem(s, optStart, delim, valueStart, valueEnd, ref p);
            if (af.IsError)
                return af;
            pos = optEnd;
        }
        return Failure.Ok;
    }

    /// <summary>key=value pairs separated by ','. In keys, '-' after the first character means '_'.</summary>
    private static Failure ParseKeys(string s, int pos, int end, string[] keys, Span<int> valueStart, Span<int> valueEnd)
    {
        if (pos == end)
            return Failure.Ok;   // "@conf:" with an empty body is accepted, as in libnetmap
        while (true)
        {
            int keyStart = pos;
            while (pos < end && s[pos] is not ('=' or ','))
                pos++;
            int k = LookupKey(s, keyStart, pos, keys);
            if (k < 0)
                return new(NetmapPortSpecErrorCode.UnknownKey, keyStart, pos - keyStart);
            if (pos == end || s[pos] != '=')
                return new(NetmapPortSpecErrorCode.MissingKeyValue, keyStart, pos - keyStart);
            if (valueStart[k] >= 0)
                return new(NetmapPortSpecErrorCode.DuplicateKey, keyStart, pos - keyStart);
            pos++;
            valueStart[k] = pos;
            while (pos < end && s[pos] != ',')
                pos++;
            valueEnd[k] = pos;
            if (pos == end)
                return Failure.Ok;
            pos++;   // the ','; a trailing one gives an empty key, reported as unknown
        }
    }

    private static Failure ApplyConf(string s, ReadOnlySpan<int> vs, ReadOnlySpan<int> ve, ref Parts p)
    {
        // Validate every given value first, so that an error leaves nothing half applied.
        Span<int> values = stackalloc int[MaxKeys];
        for (int k = 0; k < MaxKeys; k++)
        {
            if (vs[k] < 0)
                continue;
            // Ring counts are 16-bit fields of nmreq_register, slot counts 32-bit (read as int by atoi).
            long max = k is KSlots or KTxSlots or KRxSlots ? int.MaxValue : ushort.MaxValue;
            Failure f = ReadNumber(s, vs[k], ve[k], max, out values[k]);
            if (f.IsError)
                return f;
        }
        // The general keys first, so that the specific ones win whatever the order.
        if (vs[KRings] >= 0) p.TxRings = p.RxRings = values[KRings];
        if (vs[KHostRings] >= 0) p.HostTxRings = p.HostRxRings = values[KHostRings];
        if (vs[KSlots] >= 0) p.TxSlots = p.RxSlots = values[KSlots];
        if (vs[KTxRings] >= 0) p.TxRings = values[KTxRings];
        if (vs[KRxRings] >= 0) p.RxRings = values[KRxRings];
        if (vs[KHostTxRings] >= 0) p.HostTxRings = values[KHostTxRings];
        if (vs[KHostRxRings] >= 0) p.HostRxRings = values[KHostRxRings];
        if (vs[KTxSlots] >= 0) p.TxSlots = values[KTxSlots];
        if (vs[KRxSlots] >= 0) p.RxSlots = values[KRxSlots];
        return Failure.Ok;
    }

    private static Failure ApplyShare(string s, int nameStart, int nameEnd, int vs, int ve, ref Parts p)
    {
        if (vs < 0)
            return new(NetmapPortSpecErrorCode.MissingMandatoryKey, nameStart, nameEnd - nameStart);
        if (vs == ve)
            return new(NetmapPortSpecErrorCode.InvalidValue, vs - 1, 1);
        // The value is itself a port spec (header and mode, no options). libnetmap decodes only
        // its header and asks the kernel for its memory id; we check it all and leave the kernel
        // question to the moment the port is opened.
        Failure f = ParseHeader(s, vs, ve, out Header h);
        if (f.IsError)
            return f;
        Parts scratch = default;
        int pos = h.NameEnd;
        f = ParseMode(s, ref pos, ve, ref scratch);
        if (f.IsError)
            return f;
        if (p.ShareStart >= 0 && !SameText(s, p.ShareNameStart, p.ShareNameEnd, h.NameStart, h.NameEnd))
            return new(NetmapPortSpecErrorCode.DuplicateOption, nameStart, nameEnd - nameStart);
        p.ShareStart = vs;
        p.ShareEnd = ve;
        p.ShareNameStart = h.NameStart;
        p.ShareNameEnd = h.NameEnd;
        return Failure.Ok;
    }

    private static Failure ApplyExtMem(string s, int nameStart, int nameEnd, ReadOnlySpan<int> vs, ReadOnlySpan<int> ve, ref Parts p)
    {
        if (p.HasExtMem)   // libnetmap: "extmem already in use"
            return new(NetmapPortSpecErrorCode.DuplicateOption, nameStart, nameEnd - nameStart);
        if (vs[0] < 0)
            return new(NetmapPortSpecErrorCode.MissingMandatoryKey, nameStart, nameEnd - nameStart);
        if (vs[0] == ve[0])
            return new(NetmapPortSpecErrorCode.InvalidValue, vs[0] - 1, 1);
        for (int i = vs[0]; i < ve[0]; i++)
        {
            if (char.IsControl(s[i]))
                return new(NetmapPortSpecErrorCode.InvalidValue, i, 1);
        }
        Span<int> values = stackalloc int[ExtMemKeys.Length];
        for (int k = 1; k < ExtMemKeys.Length; k++)
        {
            if (vs[k] < 0)
                continue;
            Failure f = ReadNumber(s, vs[k], ve[k], int.MaxValue, out values[k]);
            if (f.IsError)
                return f;
        }
        p.HasExtMem = true;
        p.FileStart = vs[0];
        p.FileEnd = ve[0];
        p.IfNum = vs[1] >= 0 ? values[1] : null;
        p.IfSize = vs[2] >= 0 ? values[2] : null;
        p.RingNum = vs[3] >= 0 ? values[3] : null;
        p.RingSize = vs[4] >= 0 ? values[4] : null;
        p.BufNum = vs[5] >= 0 ? values[5] : null;
        p.BufSize = vs[6] >= 0 ? values[6] : null;
        return Failure.Ok;
    }

    /// <summary>
    /// <c>@offset=N</c> / <c>@offset:initial=N,bits=B</c>: per-slot buffer offsets. As libnetmap does,
    /// the initial offset is also the largest one the program declares (<c>nro_max_offset</c>).
    /// Stricter than libnetmap: plain decimal numbers only, bits at most 64 (the kernel's limit), and
    /// an initial offset that fits the bits (the kernel would answer EINVAL at open).
    /// </summary>
    private static Failure ApplyOffset(string s, int nameStart, int nameEnd, ReadOnlySpan<int> vs, ReadOnlySpan<int> ve, ref Parts p)
    {
        if (p.HasOffset)   // two OFFSETS options in one request: the kernel would refuse the request
            return new(NetmapPortSpecErrorCode.DuplicateOption, nameStart, nameEnd - nameStart);
        if (vs[0] < 0)
            return new(NetmapPortSpecErrorCode.MissingMandatoryKey, nameStart, nameEnd - nameStart);
        Failure f = ReadNumber(s, vs[0], ve[0], int.MaxValue, out int initial);
        if (f.IsError)
            return f;
        int? bits = null;
        if (vs[1] >= 0)
        {
            f = ReadNumber(s, vs[1], ve[1], NetmapOffsetOption.MaxBits, out int b);
            if (f.IsError)
                return f;
            bits = b;
        }
        if (bits is int n and > 0 and < NetmapOffsetOption.MaxBits && (ulong)initial >> n != 0)
            return new(NetmapPortSpecErrorCode.OffsetExceedsBits, vs[0], ve[0] - vs[0]);
        p.HasOffset = true;
        p.OffsetInitial = initial;
        p.OffsetBits = bits;
        return Failure.Ok;
    }

    // ---- result --------------------------------------------------------------------------

    private static NetmapPortSpec Build(string s, in Parts p)
    {
        Header h = p.Header;
        string name = Slice(s, h.NameStart, h.NameEnd);
        string? switchName = null, valePort = null, pipeBase = null, pipeId = null;
        NetmapPipeSide? side = null;
        int portEnd = h.Brace >= 0 ? h.Brace : h.NameEnd;
        if (h.Vale)
        {
            switchName = Slice(s, h.NameStart, h.PortStart - 1);
            valePort = Slice(s, h.PortStart, portEnd);
        }
        if (h.Brace >= 0)
        {
            pipeBase = Slice(s, h.NameStart, h.Brace);
            pipeId = Slice(s, h.Brace + 1, h.NameEnd);
            side = s[h.Brace] == '{' ? NetmapPipeSide.Master : NetmapPipeSide.Slave;
        }
        NetmapPortKind kind = h.Brace >= 0 ? NetmapPortKind.Pipe : h.Vale ? NetmapPortKind.ValePort : NetmapPortKind.Nic;
        NetmapExtMemOption? extMem = p.HasExtMem
            ? new NetmapExtMemOption(Slice(s, p.FileStart, p.FileEnd), p.IfNum, p.IfSize, p.RingNum, p.RingSize, p.BufNum, p.BufSize)
            : null;
        string? share = p.ShareStart >= 0 ? Slice(s, p.ShareStart, p.ShareEnd) : null;
        NetmapOffsetOption? offset = p.HasOffset ? new NetmapOffsetOption(p.OffsetInitial, p.OffsetBits) : null;
        return new NetmapPortSpec(s, kind, name, switchName, valePort, pipeBase, side, pipeId,
            p.Mode, p.Ring, p.Flags, p.MemId,
            p.TxRings, p.RxRings, p.HostTxRings, p.HostRxRings, p.TxSlots, p.RxSlots,
            share, extMem, offset);
    }

    /// <summary>A substring, reusing the input when the range is all of it.</summary>
    private static string Slice(string s, int start, int end) =>
        start == 0 && end == s.Length ? s : s.Substring(start, end - start);

    // ---- helpers -------------------------------------------------------------------------

    private static bool StartsWith(string s, int start, int end, string prefix) =>
        end - start >= prefix.Length && s.AsSpan(start, prefix.Length).SequenceEqual(prefix);

    private static bool Equals(string s, int start, int end, string word) =>
        end - start == word.Length && s.AsSpan(start, word.Length).SequenceEqual(word);

    private static bool SameText(string s, int a, int aEnd, int b, int bEnd) =>
        s.AsSpan(a, aEnd - a).SequenceEqual(s.AsSpan(b, bEnd - b));

    private static int IndexOf(string s, char c, int start, int end)
    {
        int i = s.AsSpan(start, end - start).IndexOf(c);
        return i < 0 ? -1 : start + i;
    }

    /// <summary>C's isalnum (in the C locale) or '_', over the whole range; true when empty.</summary>
    private static bool IsIdentifier(string s, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            if (!char.IsAsciiLetterOrDigit(s[i]) && s[i] != '_')
                return false;
        }
        return true;
    }

    /// <summary>Index of the first control, white-space or unpaired surrogate char, or -1.</summary>
    private static int FindInvalidChar(string s, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            char c = s[i];
            if (char.IsControl(c) || char.IsWhiteSpace(c))
                return i;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= end || !char.IsLowSurrogate(s[i + 1]))
                    return i;
                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>The UTF-8 length of the range (a broken surrogate counts as U+FFFD, 3 bytes).</summary>
    private static int Utf8Length(string s, int start, int end)
    {
        int n = 0;
        for (int i = start; i < end; i++)
        {
            char c = s[i];
            if (c < 0x80)
                n += 1;
            else if (c < 0x800)
                n += 2;
            else if (char.IsHighSurrogate(c) && i + 1 < end && char.IsLowSurrogate(s[i + 1]))
            {
                n += 4;
                i++;
            }
            else
                n += 3;
        }
        return n;
    }

    /// <summary>Reads ASCII digits from pos, saturating (so a huge number stays huge, never wraps).</summary>
    private static ulong ReadDigits(string s, ref int pos, int end)
    {
        ulong v = 0;
        while (pos < end && char.IsAsciiDigit(s[pos]))
        {
            v = v > (ulong.MaxValue - 9) / 10 ? ulong.MaxValue : v * 10 + (ulong)(s[pos] - '0');
            pos++;
        }
        return v;
    }

    /// <summary>A value that must be a plain decimal number in [0, max].</summary>
    private static Failure ReadNumber(string s, int start, int end, long max, out int value)
    {
        value = 0;
        int pos = start;
        ulong v = ReadDigits(s, ref pos, end);
        if (start == end)
            return new(NetmapPortSpecErrorCode.InvalidNumber, start - 1, 1);   // point at the '='
        if (pos != end)
            return new(NetmapPortSpecErrorCode.InvalidNumber, start, end - start);
        if (v > (ulong)max)
            return new(NetmapPortSpecErrorCode.NumberOutOfRange, start, end - start);
        value = (int)v;
        return Failure.Ok;
    }

    /// <summary>Index of the key in <paramref name="keys"/>, comparing '-' after the first char as '_'; -1 if none.</summary>
    private static int LookupKey(string s, int start, int end, string[] keys)
    {
        int len = end - start;
        for (int k = 0; k < keys.Length; k++)
        {
            string key = keys[k];
            if (key.Length != len)
                continue;
            bool match = true;
            for (int j = 0; j < len && match; j++)
            {
                char c = s[start + j];
                if (j > 0 && c == '-')
                    c = '_';
                match = c == key[j];
            }
            if (match)
                return k;
        }
        return -1;
    }
}
