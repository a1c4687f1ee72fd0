using System.Globalization;
using System.Text;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic;

/// <summary>
/// Builds a <see cref="NetmapPortSpec"/> in code, so that programs need not format strings:
/// <c>NetmapPortSpec.Nic("eth0").Ring(2).RxOnly().Build()</c>. Immutable: every method returns
/// a new builder, so a partly configured builder can be reused. <see cref="Build"/> writes the
/// spec text and parses it with the same parser as everything else, so a built spec is
/// exactly what its text means.
/// </summary>
public readonly struct NetmapPortSpecBuilder : IEquatable<NetmapPortSpecBuilder>
{
    private readonly string? _header;   // "netmap:eth0", "vale0:a", "netmap:p{1"
    private readonly NetmapRegisterMode _mode;
    private readonly ushort _ring;
    private readonly NetmapRegisterFlags _flags;
    private readonly ushort _memId;
    private readonly int? _txRings, _rxRings, _hostTxRings, _hostRxRings, _txSlots, _rxSlots;
    private readonly string? _share;
    private readonly NetmapExtMemOption? _extMem;
    private readonly NetmapOffsetOption? _offset;

    private NetmapPortSpecBuilder(string header, NetmapRegisterMode mode, ushort ring, NetmapRegisterFlags flags, ushort memId,
        int? txRings, int? rxRings, int? hostTxRings, int? hostRxRings, int? txSlots, int? rxSlots,
        string? share, NetmapExtMemOption? extMem, NetmapOffsetOption? offset)
    {
        _header = header;
        _mode = mode;
        _ring = ring;
        _flags = flags;
        _memId = memId;
        _txRings = txRings;
        _rxRings = rxRings;
        _hostTxRings = hostTxRings;
        _hostRxRings = hostRxRings;
        _txSlots = txSlots;
        _rxSlots = rxSlots;
        _share = share;
        _extMem = extMem;
        _offset = offset;
    }

    private NetmapPortSpecBuilder(string header)
        : this(header, NetmapRegisterMode.NR_REG_ALL_NIC, 0, NetmapRegisterFlags.None, 0, null, null, null, null, null, null, null, null, null)
    {
    }

    internal static NetmapPortSpecBuilder ForNic(string interfaceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        return new("netmap:" + interfaceName);
    }

    internal static NetmapPortSpecBuilder ForVale(string switchName, string port)
    {
        ArgumentException.ThrowIfNullOrEmpty(switchName);
        ArgumentException.ThrowIfNullOrEmpty(port);
        if (!switchName.StartsWith("vale", StringComparison.Ordinal))
            throw new ArgumentException($"a VALE switch name starts with 'vale' (vale0, valeA): '{switchName}'", nameof(switchName));
        return new(switchName + ":" + port);
    }

    internal static NetmapPortSpecBuilder ForPipe(string baseName, NetmapPipeSide side, string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseName);
        ArgumentException.ThrowIfNullOrEmpty(id);
        char brace = side == NetmapPipeSide.Master ? '{' : '}';
        string prefix = baseName.StartsWith("vale", StringComparison.Ordinal) ? string.Empty : "netmap:";
        return new(prefix + baseName + brace + id);
    }

    private NetmapPortSpecBuilder With(NetmapRegisterMode? mode = null, ushort? ring = null, NetmapRegisterFlags? flags = null,
        ushort? memId = null, string? share = null, NetmapExtMemOption? extMem = null, NetmapOffsetOption? offset = null) =>
        new(Header, mode ?? _mode, ring ?? _ring, flags ?? _flags, memId ?? _memId,
            _txRings, _rxRings, _hostTxRings, _hostRxRings, _txSlots, _rxSlots, share ?? _share, extMem ?? _extMem, offset ?? _offset);

    private string Header => _header ?? throw new InvalidOperationException("start a port spec with NetmapPortSpec.Nic, Vale or Pipe");

    /// <summary>Binds all hardware rings (the default).</summary>
    public NetmapPortSpecBuilder AllNicRings() => With(NetmapRegisterMode.NR_REG_ALL_NIC, ring: 0);

    /// <summary>Binds one hardware ring pair (<c>-N</c>).</summary>
    public NetmapPortSpecBuilder Ring(int ring) => With(NetmapRegisterMode.NR_REG_ONE_NIC, CheckRing(ring));

    /// <summary>Binds the host rings (<c>^</c>).</summary>
    public NetmapPortSpecBuilder HostRings() => With(NetmapRegisterMode.NR_REG_SW, ring: 0);

    /// <summary>Binds one host ring pair (<c>^N</c>).</summary>
    public NetmapPortSpecBuilder HostRing(int ring) => With(NetmapRegisterMode.NR_REG_ONE_SW, CheckRing(ring));

    /// <summary>Binds all hardware rings and the host rings (<c>*</c>).</summary>
    public NetmapPortSpecBuilder NicAndHostRings() => With(NetmapRegisterMode.NR_REG_NIC_SW, ring: 0);

    /// <summary>Binds only the RX rings (<c>/R</c>).</summary>
    public NetmapPortSpecBuilder RxOnly() => With(flags: _flags | NetmapRegisterFlags.NR_RX_RINGS_ONLY);

    /// <summary>Binds only the TX rings (<c>/T</c>).</summary>
    public NetmapPortSpecBuilder TxOnly() => With(flags: _flags | NetmapRegisterFlags.NR_TX_RINGS_ONLY);

    /// <summary>Asks for exclusive use of the bound rings (<c>/x</c>).</summary>
    public NetmapPortSpecBuilder Exclusive() => With(flags: _flags | NetmapRegisterFlags.NR_EXCLUSIVE);

    /// <summary>Monitors the port's TX (<c>/t</c>).</summary>
    public NetmapPortSpecBuilder MonitorTx() => With(flags: _flags | NetmapRegisterFlags.NR_MONITOR_TX);

    /// <summary>Monitors the port's RX (<c>/r</c>).</summary>
    public NetmapPortSpecBuilder MonitorRx() => With(flags: _flags | NetmapRegisterFlags.NR_MONITOR_RX);

    /// <summary>Makes a monitor zero-copy (<c>/z</c>).</summary>
    public NetmapPortSpecBuilder ZeroCopyMonitor() => With(flags: _flags | NetmapRegisterFlags.NR_ZCOPY_MON);

    /// <summary>Uses memory region <paramref name="memId"/> (<c>@N</c>, 1..65535).</summary>
    public NetmapPortSpecBuilder MemId(int memId)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(memId, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(memId, ushort.MaxValue);
        return With(memId: (ushort)memId);
    }

    /// <summary>
    /// Asks for ring and slot counts (<c>@conf</c>). Null leaves a count as it was; 0 asks for the
    /// kernel's default. Ring counts are at most 65535.
    /// </summary>
    public NetmapPortSpecBuilder Conf(int? txRings = null, int? rxRings = null, int? hostTxRings = null, int? hostRxRings = null,
        int? txSlots = null, int? rxSlots = null) =>
        new(Header, _mode, _ring, _flags, _memId,
            CheckCount(txRings, ushort.MaxValue, nameof(txRings)) ?? _txRings,
            CheckCount(rxRings, ushort.MaxValue, nameof(rxRings)) ?? _rxRings,
            CheckCount(hostTxRings, ushort.MaxValue, nameof(hostTxRings)) ?? _hostTxRings,
            CheckCount(hostRxRings, ushort.MaxValue, nameof(hostRxRings)) ?? _hostRxRings,
            CheckCount(txSlots, int.MaxValue, nameof(txSlots)) ?? _txSlots,
            CheckCount(rxSlots, int.MaxValue, nameof(rxSlots)) ?? _rxSlots,
            _share, _extMem, _offset);

    /// <summary>Shares the memory region of another port (<c>@share=netmap:eth1</c>); resolved at open.</summary>
    public NetmapPortSpecBuilder Share(string portSpec)
    {
        ArgumentException.ThrowIfNullOrEmpty(portSpec);
        return With(share: portSpec);
    }

    /// <summary>Uses a file as the memory region (<c>@extmem</c>); the file is opened at open.</summary>
    public NetmapPortSpecBuilder ExtMem(string file, int? ifNum = null, int? ifSize = null, int? ringNum = null, int? ringSize = null,
        int? bufNum = null, int? bufSize = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        NetmapExtMemOption extMem = new(file,
            CheckCount(ifNum, int.MaxValue, nameof(ifNum)), CheckCount(ifSize, int.MaxValue, nameof(ifSize)),
            CheckCount(ringNum, int.MaxValue, nameof(ringNum)), CheckCount(ringSize, int.MaxValue, nameof(ringSize)),
            CheckCount(bufNum, int.MaxValue, nameof(bufNum)), CheckCount(bufSize, int.MaxValue, nameof(bufSize)));
        if (extMem.HasPoolNumbers && file.Contains(',', StringComparison.Ordinal))
            throw new ArgumentException("with pool numbers the extmem file name cannot contain ','", nameof(file));
        return With(extMem: extMem);
    }

    /// <summary>
    /// Asks for per-slot buffer offsets (<c>@offset</c>): every slot starts with <paramref name="initial"/>
    /// bytes of headroom; <paramref name="bits"/> low bits of a slot's <c>ptr</c> hold the offset (null: all).
    /// </summary>
    public NetmapPortSpecBuilder Offset(int initial, int? bits = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initial);
        if (bits is int b)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(b, nameof(bits));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(b, NetmapOffsetOption.MaxBits, nameof(bits));
        }
        return With(offset: new NetmapOffsetOption(initial, bits));
    }

    /// <summary>The spec.</summary>
    /// <exception cref="ArgumentException">A name or value holds text the port-spec syntax cannot carry.</exception>
    public NetmapPortSpec Build()
    {
        string text = ToString();
        if (!NetmapPortSpec.TryParse(text, out NetmapPortSpec? spec, out NetmapPortSpecError error))
            throw new ArgumentException($"cannot build a port spec: {error.Message}");
        // A name with a separator in it ('-', '@', ...) can parse into something else: refuse it.
        if (spec.Flags != _flags || spec.Mode != _mode || spec.RingId != _ring || spec.MemId != _memId
            || spec.SharePort != _share || !Equals(spec.ExtMem, _extMem) || !Equals(spec.Offset, _offset)
            || spec.TxRings != _txRings || spec.RxRings != _rxRings || spec.HostTxRings != _hostTxRings
            || spec.HostRxRings != _hostRxRings || spec.TxSlots != _txSlots || spec.RxSlots != _rxSlots)
            throw new ArgumentException($"cannot build a port spec: a name or value contains characters the syntax reserves (- * ^ / @ , :), so '{text}' means something else");
        return spec;
    }

    /// <summary>The spec text this builder stands for.</summary>
    public override string ToString()
    {
        StringBuilder b = new(Header);
        switch (_mode)
        {
            case NetmapRegisterMode.NR_REG_SW: b.Append('^'); break;
            case NetmapRegisterMode.NR_REG_NIC_SW: b.Append('*'); break;
            case NetmapRegisterMode.NR_REG_ONE_NIC: b.Append('-').Append(_ring); break;
            case NetmapRegisterMode.NR_REG_ONE_SW: b.Append('^').Append(_ring); break;
            default: break;
        }
        if (_flags != NetmapRegisterFlags.None)
        {
            b.Append('/');
            foreach ((NetmapRegisterFlags flag, char letter) in NetmapPortSpec.FlagLetters)
            {
                if ((_flags & flag) != 0)
                    b.Append(letter);
            }
        }
        if (_memId != 0)
            b.Append('@').Append(_memId);
        if (_share is not null)
            b.Append("@share=").Append(_share);
        if (_extMem is not null)
        {
            b.Append(_extMem.HasPoolNumbers ? "@extmem:file=" : "@extmem=").Append(_extMem.File);
            AppendKey(b, "if_num", _extMem.IfNum);
            AppendKey(b, "if_size", _extMem.IfSize);
            AppendKey(b, "ring_num", _extMem.RingNum);
            AppendKey(b, "ring_size", _extMem.RingSize);
            AppendKey(b, "buf_num", _extMem.BufNum);
            AppendKey(b, "buf_size", _extMem.BufSize);
        }
        if (_txRings is not null || _rxRings is not null || _hostTxRings is not null || _hostRxRings is not null
            || _txSlots is not null || _rxSlots is not null)
        {
            b.Append("@conf:");
            int mark = b.Length;
            AppendKey(b, "tx_rings", _txRings);
            AppendKey(b, "rx_rings", _rxRings);
            AppendKey(b, "host_tx_rings", _hostTxRings);
            AppendKey(b, "host_rx_rings", _hostRxRings);
            AppendKey(b, "tx_slots", _txSlots);
            AppendKey(b, "rx_slots", _rxSlots);
            b.Remove(mark, 1);
        }
        if (_offset is not null)
            NetmapPortSpec.AppendOffset(b, _offset);
        return b.ToString();
    }

    private static void AppendKey(StringBuilder b, string key, int? value)
    {
        if (value is int v)
            b.Append(',').Append(key).Append('=').Append(v.ToString(CultureInfo.InvariantCulture));
    }

    private static ushort CheckRing(int ring)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ring);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ring, NetmapPortSpecParser.RingLimit);
        return (ushort)ring;
    }

    private static int? CheckCount(int? value, int max, string name)
    {
        if (value is int v && (v < 0 || v > max))
            throw new ArgumentOutOfRangeException(name, v, $"must be in [0, {max}]");
        return value;
    }

    /// <inheritdoc/>
    public bool Equals(NetmapPortSpecBuilder other) => string.Equals(ToStringOrNull(), other.ToStringOrNull(), StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is NetmapPortSpecBuilder other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => ToStringOrNull()?.GetHashCode(StringComparison.Ordinal) ?? 0;

    private string? ToStringOrNull() => _header is null ? null : ToString();

    /// <summary>Equality of the spec text.</summary>
    public static bool operator ==(NetmapPortSpecBuilder left, NetmapPortSpecBuilder right) => left.Equals(right);

    /// <summary>Inequality of the spec text.</summary>
    public static bool operator !=(NetmapPortSpecBuilder left, NetmapPortSpecBuilder right) => !left.Equals(right);
}
