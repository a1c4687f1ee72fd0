using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Netmap.Dynamic.Tests.Kernel;

/// <summary>
/// A veth pair a native test creates for itself and deletes afterwards (no hand-set variable): both
/// ends up, and the first end with an IPv4 address and a static neighbour, so that the host stack
/// sends to the neighbour without ARP. netmap opens veth through its generic adapter, which gives
/// each end one hardware ring pair and one host ring pair. Needs root and the <c>ip</c> tool; the
/// test is ignored without them.
/// </summary>
internal sealed class VethPair : IDisposable
{
    private static int s_count;

    private VethPair(string name, string peer, byte subnet)
    {
        Name = name;
        Peer = peer;
        LocalIp = IPAddress.Parse($"10.214.{subnet}.1");
        NeighbourIp = IPAddress.Parse($"10.214.{subnet}.2");
    }

    /// <summary>The end the tests open with netmap (<c>netmap:{Name}</c>, <c>netmap:{Name}^</c>).</summary>
    public string Name { get; }

    /// <summary>The other end.</summary>
    public string Peer { get; }

    /// <summary>The address of <see cref="Name"/> in the host stack.</summary>
    public IPAddress LocalIp { get; }

    /// <summary>A neighbour on <see cref="Name"/>'s subnet with a static MAC (<see cref="NeighbourMac"/>).</summary>
    public IPAddress NeighbourIp { get; }

    /// <summary>The neighbour's MAC: the host stack addresses frames for <see cref="NeighbourIp"/> to it.</summary>
    public static byte[] NeighbourMac { get; } = EthernetFrames.Mac(0x42);

    /// <summary>The MAC of <see cref="Name"/>, from sysfs.</summary>
    public byte[] LocalMac => Convert.FromHexString(File.ReadAllText($"/sys/class/net/{Name}/address").Trim().Replace(":", "", StringComparison.Ordinal));

    /// <summary>Creates the pair with names unique to this process; ignores the test where that is impossible.</summary>
    public static VethPair Create(string prefix)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
            Assert.Ignore("creating a veth pair needs Linux and root");
        int n = Interlocked.Increment(ref s_count);
        string id = (Environment.ProcessId % 10000).ToString(CultureInfo.InvariantCulture) + "x" + n.ToString(CultureInfo.InvariantCulture);
        VethPair pair = new($"{prefix}{id}a", $"{prefix}{id}b", (byte)(n % 250 + 1));
        if (pair.Name.Length > 15)
            throw new ArgumentException($"interface name '{pair.Name}' is longer than 15 characters", nameof(prefix));
        string? missing = Run($"link add {pair.Name} type veth peer name {pair.Peer}", ignoreOnStartFailure: true);
        if (missing is not null)
            Assert.Ignore($"cannot create a veth pair here: {missing}");
        try
        {
            string mac = string.Join(':', NeighbourMac.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
            Check(Run($"link set {pair.Name} up"));
            Check(Run($"link set {pair.Peer} up"));
            Check(Run($"addr add {pair.LocalIp}/24 dev {pair.Name}"));
            Check(Run($"neigh replace {pair.NeighbourIp} lladdr {mac} dev {pair.Name} nud permanent"));
        }
        catch
        {
            pair.Dispose();
            throw;
        }
        return pair;
    }

    /// <summary>Deletes the pair (deleting one end deletes both).</summary>
    public void Dispose() => Run($"link del {Name}");

    private static void Check(string? error)
    {
        if (error is not null)
            Assert.Fail(error);
    }

    /// <summary>Runs <c>ip ARGS</c>; null on success, else what went wrong.</summary>
    private static string? Run(string arguments, bool ignoreOnStartFailure = false)
    {
        ProcessStartInfo start = new("ip", arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e) when (ignoreOnStartFailure)
        {
            return $"the 'ip' tool cannot be run ({e.Message})";
        }
        using (process)
        {
            string error = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : $"ip {arguments}: exit {process.ExitCode}: {error.Trim()}";
        }
    }
}
