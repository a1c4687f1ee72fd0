using System.Globalization;
using System.Text;

namespace Netmap.Dynamic;

/// <summary>Why a port spec was rejected.</summary>
public enum NetmapPortSpecErrorCode
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>The spec was null.</summary>
    NullSpec,
    /// <summary>The spec starts with neither <c>netmap</c> nor <c>vale</c>.</summary>
    UnknownPrefix,
    /// <summary>No <c>:</c> after the prefix.</summary>
    MissingColon,
    /// <summary>Something between <c>netmap</c> and <c>:</c>.</summary>
    IdentifierNotAllowed,
    /// <summary>The VALE switch id has characters other than letters, digits and <c>_</c>.</summary>
    InvalidSwitchId,
    /// <summary>The VALE switch id starts with a lower-case letter (<c>valentine:eth0</c>). Stricter than libnetmap.</summary>
    AmbiguousSwitchName,
    /// <summary><c>netmap:vale...</c>: the kernel treats the name as a VALE port. Stricter than libnetmap.</summary>
    ValeNameAfterNetmapPrefix,
    /// <summary>The port name is empty.</summary>
    EmptyName,
    /// <summary>The VALE port name after <c>valeX:</c> is empty. Stricter than libnetmap.</summary>
    EmptyValePort,
    /// <summary>The port name is 64 bytes or longer (UTF-8).</summary>
    NameTooLong,
    /// <summary>The name holds a control character, white space or a broken UTF-16 pair. Stricter than libnetmap.</summary>
    InvalidNameCharacter,
    /// <summary>Nothing before the pipe brace. Stricter than libnetmap.</summary>
    EmptyPipeBase,
    /// <summary>Nothing after the pipe brace.</summary>
    EmptyPipeId,
    /// <summary>The pipe id has characters other than letters, digits and <c>_</c>.</summary>
    InvalidPipeId,
    /// <summary><c>-</c> not followed by a ring number.</summary>
    ExpectedRingNumber,
    /// <summary>Ring number not below 4095.</summary>
    RingOutOfRange,
    /// <summary>A character that cannot appear at this point of the mode part.</summary>
    UnexpectedCharacter,
    /// <summary>A flag letter other than x z t r R T.</summary>
    UnknownFlag,
    /// <summary><c>/</c> not followed by any flag.</summary>
    EmptyFlags,
    /// <summary>Memory id 0.</summary>
    InvalidMemId,
    /// <summary>Memory id above 65535. Stricter than libnetmap (which truncates to 16 bits).</summary>
    MemIdOutOfRange,
    /// <summary>A second, different memory id.</summary>
    MemIdConflict,
    /// <summary><c>@</c> at the end of the mode part.</summary>
    EmptyMemId,
    /// <summary><c>@</c> with nothing before the next <c>@</c> or the end.</summary>
    EmptyOption,
    /// <summary>An option name other than conf, share, extmem, offset.</summary>
    UnknownOption,
    /// <summary>An option name with neither <c>=</c> nor <c>:</c> after it.</summary>
    MissingOptionBody,
    /// <summary><c>name=value</c> for an option without a default key (<c>conf</c>).</summary>
    NoDefaultKey,
    /// <summary><c>name=</c> with an empty value.</summary>
    MissingOptionValue,
    /// <summary>A key the option does not have (also an empty key, e.g. after a trailing comma).</summary>
    UnknownKey,
    /// <summary>A key without <c>=value</c>. libnetmap reads out of bounds here.</summary>
    MissingKeyValue,
    /// <summary>The same key twice in one option.</summary>
    DuplicateKey,
    /// <summary>A mandatory key (extmem <c>file</c>) is missing.</summary>
    MissingMandatoryKey,
    /// <summary>A value that is not a plain decimal number. Stricter than libnetmap's <c>atoi</c>.</summary>
    InvalidNumber,
    /// <summary>A number too large for its field. Stricter than libnetmap (which truncates).</summary>
    NumberOutOfRange,
    /// <summary>A value (a file name) that is empty or holds control characters.</summary>
    InvalidValue,
    /// <summary>A second <c>@extmem</c> or <c>@offset</c>, or a second <c>@share</c> naming another port.</summary>
    DuplicateOption,
    /// <summary>An <c>@offset</c> initial value that does not fit in the given <c>bits</c>. Stricter than libnetmap (the kernel says EINVAL).</summary>
    OffsetExceedsBits,
}

/// <summary>
/// A parse error as a value: where in the spec, which text, and why. Returned by
/// <see cref="NetmapPortSpec.TryParse(string?, out NetmapPortSpec?, out NetmapPortSpecError)"/>;
/// building the message strings happens only when they are read.
/// Invariant: <c>0 &lt;= Position</c>, <c>Position + Length &lt;= Spec.Length</c>, and
/// <c>Position &lt; Spec.Length</c> unless the spec is empty.
/// </summary>
public readonly struct NetmapPortSpecError : IEquatable<NetmapPortSpecError>
{
    internal NetmapPortSpecError(string spec, NetmapPortSpecErrorCode code, int position, int length)
    {
        // Clamp so that the position always lies inside the input: errors "at the end" point at
        // the last character, which is the one that left something unfinished (a '-', '/', '@').
        if (spec.Length == 0)
        {
            position = 0;
            length = 0;
        }
        else
        {
            if (position >= spec.Length)
            {
                position = spec.Length - 1;
                length = 1;
            }
            position = Math.Max(0, position);
            length = Math.Clamp(length, 0, spec.Length - position);
        }
        Spec = spec;
        Code = code;
        Position = position;
        Length = length;
    }

    /// <summary>The spec that was parsed.</summary>
    public string Spec { get; }
    /// <summary>What went wrong.</summary>
    public NetmapPortSpecErrorCode Code { get; }
    /// <summary>Index (in UTF-16 chars) where the offending text starts.</summary>
    public int Position { get; }
    /// <summary>Length (in UTF-16 chars) of the offending text.</summary>
    public int Length { get; }

    /// <summary>The offending part of the spec.</summary>
    public string OffendingText => Spec is null ? string.Empty : Spec.Substring(Position, Length);

    /// <summary>One sentence saying why the spec is wrong.</summary>
    public string Reason => ReasonFor(Code, Escape(OffendingText));

    /// <summary>The full message: spec, position, offending text, reason.</summary>
    public string Message => string.Create(CultureInfo.InvariantCulture,
        $"invalid port spec '{Escape(Spec ?? string.Empty)}' at position {Position} ('{Escape(OffendingText)}'): {Reason}");

    /// <inheritdoc/>
    public override string ToString() => Message;

    private static string ReasonFor(NetmapPortSpecErrorCode code, string t) => code switch
    {
        NetmapPortSpecErrorCode.None => "no error",
        NetmapPortSpecErrorCode.NullSpec => "the spec is null",
        NetmapPortSpecErrorCode.UnknownPrefix => "a port spec starts with 'netmap:' or 'vale<id>:'",
        NetmapPortSpecErrorCode.MissingColon => $"missing ':' after the prefix in '{t}'",
        NetmapPortSpecErrorCode.IdentifierNotAllowed => $"no identifier allowed between 'netmap' and ':' (found '{t}')",
        NetmapPortSpecErrorCode.InvalidSwitchId => $"invalid VALE switch id '{t}': use letters, digits and '_'",
        NetmapPortSpecErrorCode.AmbiguousSwitchName => $"'{t}' is not taken as a VALE switch: after 'vale' the switch id must start with a digit, an upper-case letter or '_' (vale0, valeA, vale_x); libnetmap would read it as switch 'vale' + id",
        NetmapPortSpecErrorCode.ValeNameAfterNetmapPrefix => $"'{t}' begins with 'vale', which the kernel always treats as a VALE port; write it without 'netmap:' (e.g. vale0:a)",
        NetmapPortSpecErrorCode.EmptyName => "the port name is empty",
        NetmapPortSpecErrorCode.EmptyValePort => $"the VALE port name after '{t}' is empty",
        NetmapPortSpecErrorCode.NameTooLong => $"the name '{t}' is too long: nr_name holds at most {NetmapPortSpecParser.MaxNameBytes} bytes (UTF-8)",
        NetmapPortSpecErrorCode.InvalidNameCharacter => $"names may not contain control characters, white space or broken UTF-16 (found '{t}')",
        NetmapPortSpecErrorCode.EmptyPipeBase => "the port name before the pipe brace is empty",
        NetmapPortSpecErrorCode.EmptyPipeId => "the pipe id after the brace is empty",
        NetmapPortSpecErrorCode.InvalidPipeId => $"invalid pipe id '{t}': use letters, digits and '_'",
        NetmapPortSpecErrorCode.ExpectedRingNumber => $"expected a ring number, got '{t}'",
        NetmapPortSpecErrorCode.RingOutOfRange => $"ring {t} out of range [0, {NetmapPortSpecParser.RingLimit})",
        NetmapPortSpecErrorCode.UnexpectedCharacter => $"unexpected character '{t}': after a ring selector only '/flags', '@memid' or '@option' may follow",
        NetmapPortSpecErrorCode.UnknownFlag => $"unknown flag '{t}': flags are x z t r R T",
        NetmapPortSpecErrorCode.EmptyFlags => "'/' must be followed by at least one flag (x z t r R T)",
        NetmapPortSpecErrorCode.InvalidMemId => "memory id 0 is not valid (leave it out for the default)",
        NetmapPortSpecErrorCode.MemIdOutOfRange => $"memory id {t} out of range [1, 65535] (libnetmap would silently truncate it to 16 bits)",
        NetmapPortSpecErrorCode.MemIdConflict => $"memory id {t} conflicts with the one set before",
        NetmapPortSpecErrorCode.EmptyMemId => "'@' must be followed by a memory id or an option",
        NetmapPortSpecErrorCode.EmptyOption => "empty option after '@'",
        NetmapPortSpecErrorCode.UnknownOption => $"unknown option '{t}': options are conf, share, extmem, offset",
        NetmapPortSpecErrorCode.MissingOptionBody => $"option '{t}' needs '=value' or ':key=value,...'",
        NetmapPortSpecErrorCode.NoDefaultKey => "this option has no default key: write ':key=value'",
        NetmapPortSpecErrorCode.MissingOptionValue => "missing value after '='",
        NetmapPortSpecErrorCode.UnknownKey => t.Length == 0 ? "empty key (a trailing or doubled ',')" : $"unknown key '{t}'",
        NetmapPortSpecErrorCode.MissingKeyValue => $"key '{t}' needs '=value'",
        NetmapPortSpecErrorCode.DuplicateKey => $"key '{t}' given twice in one option",
        NetmapPortSpecErrorCode.MissingMandatoryKey => $"option '{t}' needs its mandatory key (extmem: file, share: port, offset: initial)",
        NetmapPortSpecErrorCode.InvalidNumber => $"'{t}' is not a decimal number (digits 0-9 only)",
        NetmapPortSpecErrorCode.NumberOutOfRange => $"{t} is too large for this field (libnetmap would silently truncate it)",
        NetmapPortSpecErrorCode.InvalidValue => $"invalid value '{t}': it may not be empty or contain control characters",
        NetmapPortSpecErrorCode.DuplicateOption => $"option '{t}' given a second time (one @extmem, one @offset, one @share port)",
        NetmapPortSpecErrorCode.OffsetExceedsBits => $"offset {t} does not fit in the given number of bits",
        _ => "invalid port spec",
    };

    /// <summary>Makes control characters visible so that a message stays on one line.</summary>
    private static string Escape(string s)
    {
        bool plain = true;
        foreach (char c in s)
        {
            if (char.IsControl(c)) { plain = false; break; }
        }
        if (plain)
            return s;
        StringBuilder b = new(s.Length + 8);
        foreach (char c in s)
        {
            if (char.IsControl(c))
                b.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else
                b.Append(c);
        }
        return b.ToString();
    }

    /// <inheritdoc/>
    public bool Equals(NetmapPortSpecError other) =>
        Code == other.Code && Position == other.Position && Length == other.Length && string.Equals(Spec, other.Spec, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is NetmapPortSpecError e && Equals(e);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Code, Position, Length, Spec);

    /// <summary>Equality.</summary>
    public static bool operator ==(NetmapPortSpecError left, NetmapPortSpecError right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(NetmapPortSpecError left, NetmapPortSpecError right) => !left.Equals(right);
}
