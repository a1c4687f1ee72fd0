namespace Netmap.Dynamic;

/// <summary>One finding of <see cref="NetmapDoctor"/>: what was looked at, how it came out, what was seen, and the fix.</summary>
/// <param name="Kind">What kind of thing was checked.</param>
/// <param name="Subject">Which one: the device path, the interface, the parameter's or offload's name (<c>buf_num</c>, <c>gro</c>).</param>
/// <param name="Status">Ok, warning or failure.</param>
/// <param name="Seen">What was found, in a sentence.</param>
/// <param name="Fix">The fix as a command (with a word on what it does), or null when there is nothing to fix.</param>
public sealed record NetmapCheck(NetmapCheckKind Kind, string Subject, NetmapCheckStatus Status, string Seen, string? Fix)
{
    /// <summary>One line: <c>[warn] offload gro: on ... fix: ethtool -K eth0 gro off</c>.</summary>
    public override string ToString() =>
        $"[{NetmapDoctorReport.Label(Status)}] {NetmapDoctorReport.Label(Kind)} {Subject}: {Seen}{(Fix is null ? "" : $"; fix: {Fix}")}";
}
