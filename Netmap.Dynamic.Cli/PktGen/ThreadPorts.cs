namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>
/// `-p N`: the port each thread opens. Like netmap's pkt-gen, thread <c>i</c> binds hardware ring
/// <c>i</c> alone (<c>PORT-i</c>, register mode ONE_NIC) of the port given with all its rings.
/// Pipes and VALE ports have one ring pair unless asked for more (<c>@conf:rings=N</c>); a VALE
/// switch delivers what TX ring <c>i</c> sends to RX ring <c>i</c> of the receiver.
/// </summary>
internal static class ThreadPorts
{
    /// <summary>Why <paramref name="spec"/> cannot be split into rings, or null when it can (or one thread is asked).</summary>
    public static string? Problem(NetmapPortSpec spec, int threads, string option)
    {
        if (threads == 1 || spec.Mode == Interop.NetmapRegisterMode.NR_REG_ALL_NIC)
        {
            return null;
        }
        return $"-p {threads} gives each thread one ring of {option} {spec.Text}: name the port with all its rings (no -N, ^ or *)";
    }

    /// <summary>The spec thread <paramref name="thread"/> of <paramref name="threads"/> opens:
    /// <paramref name="spec"/> itself for one thread, else the same port bound to ring <paramref name="thread"/> only.</summary>
    public static string ForThread(string spec, int thread, int threads)
    {
        if (threads == 1)
        {
            return spec;
        }
        NetmapPortSpec parsed = NetmapPortSpec.Parse(spec);
        string canonical = parsed.ToString();   // "netmap:" (not for VALE) + name, then flags and options
        int nameEnd = (parsed.SwitchName is null ? "netmap:".Length : 0) + parsed.Name.Length;
        return canonical.Insert(nameEnd, FormattableString.Invariant($"-{thread}"));
    }
}
