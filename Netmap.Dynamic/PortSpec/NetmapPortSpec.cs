using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic;

/// <summary>
/// A parsed netmap port spec (libnetmap's port-name syntax: <c>netmap:eth0-1/R</c>,
/// <c>vale0:a</c>, <c>netmap:p{1</c>, <c>netmap:eth0@conf:rings=4</c>, ...). Immutable.
/// Parse text with <see cref="Parse"/> / <see cref="TryParse(string?, out NetmapPortSpec?)"/>, or build one
/// in code with <see cref="Nic"/>, <see cref="Vale"/> or <see cref="Pipe"/>.
/// Equality compares what the spec means, not how it was written (<see cref="Text"/> is ignored),
/// so <c>Parse(spec.ToString())</c> equals <c>spec</c>. The <c>@share</c> and <c>@extmem</c>
/// options are only recorded here; they are resolved when the port is opened.
/// </summary>
public sealed class NetmapPortSpec : IEquatable<NetmapPortSpec>
{
    internal NetmapPortSpec(string text, NetmapPortKind kind, string name, string? switchName, string? valePortName,
        string? pipeBase, NetmapPipeSide? pipeSide, string? pipeId,
        NetmapRegisterMode mode, ushort ringId, NetmapRegisterFlags flags, ushort memId,
        int? txRings, int? rxRings, int? hostTxRings, int? hostRxRings, int? txSlots, int? rxSlots,
        string? sharePort, NetmapExtMemOption? extMem, NetmapOffsetOption? offset)
    {
        Text = text;
        Kind = kind;
        Name = name;
        SwitchName = switchName;
        ValePortName = valePortName;
        PipeBase = pipeBase;
        PipeSide = pipeSide;
        PipeId = pipeId;
        Mode = mode;
        RingId = ringId;
        Flags = flags;
        MemId = memId;
        TxRings = txRings;
        RxRings = rxRings;
        HostTxRings = hostTxRings;
        HostRxRings = hostRxRings;
        TxSlots = txSlots;
        RxSlots = rxSlots;
        SharePort = sharePort;
        ExtMem = extMem;
        Offset = offset;
    }

    /// <summary>The text this spec was parsed from.</summary>
    public string Text { get; }
    /// <summary>NIC, VALE port or pipe end.</summary>
    public NetmapPortKind Kind { get; }
    /// <summary>The name the kernel gets (<c>nr_name</c>): <c>eth0</c>, <c>vale0:a</c>, <c>pipe{3</c>.</summary>
    public string Name { get; }
    /// <summary>The VALE switch (<c>vale0</c> for <c>vale0:a</c>), else null.</summary>
    public string? SwitchName { get; }
    /// <summary>The VALE port on the switch (<c>a</c> for <c>vale0:a</c>), else null.</summary>
    public string? ValePortName { get; }
    /// <summary>For a pipe end, the name before the brace (<c>pipe</c> for <c>pipe{3</c>), else null.</summary>
    public string? PipeBase { get; }
    /// <summary>For a pipe end, which end it is, else null.</summary>
    public NetmapPipeSide? PipeSide { get; }
    /// <summary>For a pipe end, the id after the brace (<c>3</c> for <c>pipe{3</c>), else null.</summary>
    public string? PipeId { get; }
    /// <summary>Which rings to bind (<c>nr_mode</c>); <c>NR_REG_ALL_NIC</c> when nothing was selected.</summary>
    public NetmapRegisterMode Mode { get; }
    /// <summary>The ring for <c>NR_REG_ONE_NIC</c> / <c>NR_REG_ONE_SW</c> (<c>nr_ringid</c>), else 0.</summary>
    public ushort RingId { get; }
    /// <summary>The <c>/</c> flags (<c>nr_flags</c>).</summary>
    public NetmapRegisterFlags Flags { get; }
    /// <summary>The memory id (<c>@N</c>, <c>nr_mem_id</c>); 0 for the default.</summary>
    public ushort MemId { get; }
    /// <summary>TX hardware rings asked for with <c>@conf</c>, or null.</summary>
    public int? TxRings { get; }
    /// <summary>RX hardware rings asked for with <c>@conf</c>, or null.</summary>
    public int? RxRings { get; }
    /// <summary>Host TX rings asked for with <c>@conf</c>, or null.</summary>
    public int? HostTxRings { get; }
    /// <summary>Host RX rings asked for with <c>@conf</c>, or null.</summary>
    public int? HostRxRings { get; }
    /// <summary>Slots per TX ring asked for with <c>@conf</c>, or null.</summary>
    public int? TxSlots { get; }
    /// <summary>Slots per RX ring asked for with <c>@conf</c>, or null.</summary>
    public int? RxSlots { get; }
    /// <summary>
    /// The <c>@share</c> port as written (a port spec such as <c>netmap:eth1</c>) whose memory
    /// region this port must use, or null. Resolved to a memory id when the port is opened.
    /// </summary>
    public string? SharePort { get; }
    /// <summary>The <c>@extmem</c> option, or null. The file is opened when the port is opened.</summary>
    public NetmapExtMemOption? ExtMem { get; }
    /// <summary>The <c>@offset</c> option (per-slot buffer offsets), or null.</summary>
    public NetmapOffsetOption? Offset { get; }

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="NetmapPortSpecException">The text is not a valid port spec.</exception>
    public static NetmapPortSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!NetmapPortSpecParser.TryParse(text, out NetmapPortSpec? spec, out NetmapPortSpecError error))
            throw new NetmapPortSpecException(error);
        return spec!;
    }

    /// <summary>Parses <paramref name="text"/>; false (never an exception) when it is null or invalid.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out NetmapPortSpec? spec) =>
        NetmapPortSpecParser.TryParse(text, out spec, out _);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says where and why. Never throws.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out NetmapPortSpec? spec, out NetmapPortSpecError error) =>
        NetmapPortSpecParser.TryParse(text, out spec, out error);

    /// <summary>Starts a spec for a network interface: <c>netmap:eth0</c>.</summary>
    public static NetmapPortSpecBuilder Nic(string interfaceName) => NetmapPortSpecBuilder.ForNic(interfaceName);

    /// <summary>Starts a spec for a VALE port: <c>Vale("vale0", "a")</c> is <c>vale0:a</c>.</summary>
    public static NetmapPortSpecBuilder Vale(string switchName, string port) => NetmapPortSpecBuilder.ForVale(switchName, port);

    /// <summary>
    /// Starts a spec for a pipe end: <c>Pipe("p", NetmapPipeSide.Master, "1")</c> is <c>netmap:p{1</c>.
    /// A base beginning with <c>vale</c> (<c>vale0:x</c>) names a pipe on a VALE port.
    /// </summary>
    public static NetmapPortSpecBuilder Pipe(string baseName, NetmapPipeSide side, string id) => NetmapPortSpecBuilder.ForPipe(baseName, side, id);

    /// <summary>The canonical text of this spec; it parses back to an equal spec.</summary>
    public override string ToString()
    {
        StringBuilder b = new(Name.Length + 32);
        if (SwitchName is null)
            b.Append("netmap:");
        b.Append(Name);
        switch (Mode)
        {
            case NetmapRegisterMode.NR_REG_SW: b.Append('^'); break;
            case NetmapRegisterMode.NR_REG_NIC_SW: b.Append('*'); break;
            case NetmapRegisterMode.NR_REG_ONE_NIC: b.Append('-').Append(RingId); break;
            case NetmapRegisterMode.NR_REG_ONE_SW: b.Append('^').Append(RingId); break;
            default: break;
        }
        if (Flags != NetmapRegisterFlags.None)
        {
            b.Append('/');
            foreach ((NetmapRegisterFlags flag, char letter) in FlagLetters)
            {
                if ((Flags & flag) != 0)
                    b.Append(letter);
            }
        }
        if (MemId != 0)
            b.Append('@').Append(MemId);
        if (SharePort is not null)
            b.Append("@share=").Append(SharePort);
        if (ExtMem is not null)
        {
            if (!ExtMem.HasPoolNumbers)
            {
                b.Append("@extmem=").Append(ExtMem.File);
            }
            else
            {
                b.Append("@extmem:file=").Append(ExtMem.File);
                AppendKey(b, "if_num", ExtMem.IfNum);
                AppendKey(b, "if_size", ExtMem.IfSize);
                AppendKey(b, "ring_num", ExtMem.RingNum);
                AppendKey(b, "ring_size", ExtMem.RingSize);
                AppendKey(b, "buf_num", ExtMem.BufNum);
                AppendKey(b, "buf_size", ExtMem.BufSize);
            }
        }
        if (HasConf)
        {
            int mark = b.Length;
            b.Append("@conf:");
            AppendKey(b, "tx_rings", TxRings);
            AppendKey(b, "rx_rings", RxRings);
            AppendKey(b, "host_tx_rings", HostTxRings);
            AppendKey(b, "host_rx_rings", HostRxRings);
            AppendKey(b, "tx_slots", TxSlots);
            AppendKey(b, "rx_slots", RxSlots);
            b.Remove(mark + "@conf:".Length, 1);   // the first key's leading ','
        }
        if (Offset is not null)
            AppendOffset(b, Offset);
        return b.ToString();
    }

    /// <summary>True when <c>@conf</c> set any ring or slot count.</summary>
    public bool HasConf => TxRings is not null || RxRings is not null || HostTxRings is not null
        || HostRxRings is not null || TxSlots is not null || RxSlots is not null;

    internal static readonly (NetmapRegisterFlags Flag, char Letter)[] FlagLetters =
    [
        (NetmapRegisterFlags.NR_EXCLUSIVE, 'x'),
        (NetmapRegisterFlags.NR_ZCOPY_MON, 'z'),
        (NetmapRegisterFlags.NR_MONITOR_TX, 't'),
        (NetmapRegisterFlags.NR_MONITOR_RX, 'r'),
        (NetmapRegisterFlags.NR_RX_RINGS_ONLY, 'R'),
        (NetmapRegisterFlags.NR_TX_RINGS_ONLY, 'T'),
    ];

    /// <summary><c>@offset=N</c>, or <c>@offset:initial=N,bits=B</c> when bits were given.</summary>
    internal static void AppendOffset(StringBuilder b, NetmapOffsetOption offset)
    {
        string initial = offset.Initial.ToString(CultureInfo.InvariantCulture);
        if (offset.Bits is int bits)
            b.Append("@offset:initial=").Append(initial).Append(",bits=").Append(bits.ToString(CultureInfo.InvariantCulture));
        else
            b.Append("@offset=").Append(initial);
    }

    private static void AppendKey(StringBuilder b, string key, int? value)
    {
        if (value is int v)
            b.Append(',').Append(key).Append('=').Append(v.ToString(CultureInfo.InvariantCulture));
    }

    /// <inheritdoc/>
    public bool Equals(NetmapPortSpec? other) =>
        other is not null
        && Kind == other.Kind
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && Mode == other.Mode
        && RingId == other.RingId
        && Flags == other.Flags
        && MemId == other.MemId
        && TxRings == other.TxRings
        && RxRings == other.RxRings
        && HostTxRings == other.HostTxRings
        && HostRxRings == other.HostRxRings
        && TxSlots == other.TxSlots
        && RxSlots == other.RxSlots
        && string.Equals(SharePort, other.SharePort, StringComparison.Ordinal)
        && Equals(ExtMem, other.ExtMem)
        && Equals(Offset, other.Offset);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is NetmapPortSpec other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        HashCode h = new();
        h.Add(Kind);
        h.Add(Name, StringComparer.Ordinal);
        h.Add(Mode);
        h.Add(RingId);
        h.Add(Flags);
        h.Add(MemId);
        h.Add(TxRings);
        h.Add(RxRings);
        h.Add(HostTxRings);
        h.Add(HostRxRings);
        h.Add(TxSlots);
        h.Add(RxSlots);
        h.Add(SharePort is null ? 0 : StringComparer.Ordinal.GetHashCode(SharePort));
        h.Add(ExtMem);
        h.Add(Offset);
        return h.ToHashCode();
    }

    /// <summary>Equality of meaning (see <see cref="Equals(NetmapPortSpec?)"/>).</summary>
    public static bool operator ==(NetmapPortSpec? left, NetmapPortSpec? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality of meaning.</summary>
    public static bool operator !=(NetmapPortSpec? left, NetmapPortSpec? right) => !(left == right);
}
