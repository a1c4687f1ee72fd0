using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Netmap.Dynamic;

/// <summary>
/// The doctor's view of this machine (Linux): the module in <c>/sys/module/netmap</c>, the device's
/// owner and mode (<c>statx</c>) and whether this process can open it, the module's parameters,
/// interfaces from <c>/sys/class/net</c> (flags, MTU) and their driver and offloads through the
/// kernel's ethtool ioctl (<c>SIOCETHTOOL</c> with the per-feature gets <c>ETHTOOL_GGRO</c>,
/// <c>ETHTOOL_GTSO</c>, <c>ETHTOOL_GGSO</c>, <c>ETHTOOL_GRXCSUM</c>, <c>ETHTOOL_GTXCSUM</c>, and
/// <c>ETHTOOL_GFLAGS</c> for LRO; <c>ETHTOOL_GDRVINFO</c> for the driver), and the kernel's port
/// info through the library when netmap is usable. It only reads.
/// </summary>
internal sealed class LinuxDoctorHost(NetmapLoadOptions? options) : IDoctorHost
{
    private const string SysNet = "/sys/class/net";
    private const string SysNetmap = "/sys/module/netmap";

    // ethtool commands (linux/ethtool.h) and the LRO bit of ETHTOOL_GFLAGS.
    private const uint ETHTOOL_GDRVINFO = 0x03;
    private const uint ETHTOOL_GRXCSUM = 0x14;
    private const uint ETHTOOL_GTXCSUM = 0x16;
    private const uint ETHTOOL_GTSO = 0x1e;
    private const uint ETHTOOL_GGSO = 0x23;
    private const uint ETHTOOL_GFLAGS = 0x25;
    private const uint ETHTOOL_GGRO = 0x2b;
    private const uint ETH_FLAG_LRO = 1 << 15;
    private const int DrvInfoSize = 196;   // struct ethtool_drvinfo; the driver name is 32 bytes at offset 4

    // Interface flags (linux/if.h) as /sys/class/net/IF/flags shows them (the device's own flags:
    // IFF_RUNNING is not among them, the carrier is read from /sys/class/net/IF/carrier instead).
    private const int IFF_UP = 0x1;
    private const int IFF_PROMISC = 0x100;

    private readonly LinuxSystemCalls? _calls = LinuxSystemCalls.TryLoad(out _);
    private NetmapProbeResult? _probe;

    public string Backend => "native";

    private string DevicePath => options?.DevicePath ?? NetmapLoadOptions.DefaultDevicePath;

    public DoctorDevice InspectDevice()
    {
        string path = DevicePath;
        bool module = Directory.Exists(SysNetmap);
        uint mode = 0, uid = 0, gid = 0;
        int statError = _calls is null ? Errno.ENOSYS : _calls.Stat(path, out mode, out uid, out gid);
        bool exists = statError == 0 || File.Exists(path);
        (uint processUid, IReadOnlyList<uint> groups) = ProcessIdentity();
        return new DoctorDevice(path, module, exists, IsCharacterDevice: (mode & 0xF000) == 0x2000, (UnixFileMode)(mode & 0x1FF),
            uid, gid, GroupName(gid), exists ? TryOpen(path) : Errno.ENOENT, processUid, UserName(processUid), groups);
    }

    public NetmapProbeResult? Probe() => _probe ??= NetmapLibrary.Probe(options);

    public IReadOnlyDictionary<string, string> ModuleParameters() => NetmapModuleParameters.Read();

    public DoctorInterface? InspectInterface(string name)
    {
        // A name with a path in it names no interface (and must not walk /sys).
        if (name.Length == 0 || name.Length > 15 || name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
            return null;
        string dir = Path.Combine(SysNet, name);
        if (!Directory.Exists(dir))
            return null;
        int flags = ReadNumber(Path.Combine(dir, "flags"), hex: true) ?? 0;
        int mtu = ReadNumber(Path.Combine(dir, "mtu"), hex: false) ?? 0;
        bool carrier = ReadNumber(Path.Combine(dir, "carrier"), hex: false) == 1;   // unreadable (EINVAL) while down
        string? driver = Driver(name, dir);
        (NetmapOffloads on, NetmapOffloads read, string? error) = Offloads(name);
        (bool? native, string evidence) = Adapter(dir, driver);
        return new DoctorInterface(name, (flags & IFF_UP) != 0, (flags & IFF_UP) != 0 && carrier, (flags & IFF_PROMISC) != 0, mtu, driver,
            on, read, error, native, evidence);
    }

    public NetmapPortInfo? PortInfo(string name, out string? why)
    {
        if (!NetmapLibrary.TryLoad(options, out NetmapLibrary? library, out NetmapProbeResult probe))
        {
            why = $"netmap is not usable here: {probe.Status}";
            return null;
        }
        using (library)
        {
            try
            {
                why = null;
                return library.GetPortInfo(name);
            }
            catch (NetmapException e)
            {
                why = e.Message;
                return null;
            }
        }
    }

    public void Dispose() => _calls?.Dispose();

    // --- the device ------------------------------------------------------------------------

    private static int TryOpen(string path)
    {
        try
        {
            using Microsoft.Win32.SafeHandles.SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return Errno.EACCES;
        }
        catch (FileNotFoundException)
        {
            return Errno.ENOENT;
        }
        catch (DirectoryNotFoundException)
        {
            return Errno.ENOENT;
        }
        catch (IOException e)
        {
            return e.HResult is > 0 and < 4096 ? e.HResult : Errno.EIO;
        }
    }

    // The effective uid and the supplementary groups, from /proc/self/status ("Uid:" real effective ..., "Groups:" ...).
    private static (uint Uid, IReadOnlyList<uint> Groups) ProcessIdentity()
    {
        uint uid = 0;
        List<uint> groups = [];
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    string[] f = line[4..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    if (f.Length > 1) uint.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out uid);
                }
                else if (line.StartsWith("Groups:", StringComparison.Ordinal))
                {
                    foreach (string g in line[7..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                        if (uint.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out uint id)) groups.Add(id);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No /proc: identity unknown, reported as uid 0 with no groups.
        }
        return (uid, groups);
    }

    private static string? GroupName(uint gid) => NameFromDatabase("/etc/group", gid);

    private static string? UserName(uint uid) => NameFromDatabase("/etc/passwd", uid);

    // "name:x:id:..." lines of /etc/passwd and /etc/group.
    private static string? NameFromDatabase(string file, uint id)
    {
        try
        {
            foreach (string line in File.ReadLines(file))
            {
                string[] f = line.Split(':');
                if (f.Length > 2 && uint.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint value) && value == id)
                    return f[0];
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No database: the id alone is shown.
        }
        return null;
    }

    // --- the interface -----------------------------------------------------------------------

    private static int? ReadNumber(string file, bool hex)
    {
        try
        {
            string text = File.ReadAllText(file).Trim();
            if (hex && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) text = text[2..];
            return int.TryParse(text, hex ? NumberStyles.HexNumber : NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // ETHTOOL_GDRVINFO's driver name; else the name of the device's driver directory.
    private string? Driver(string name, string dir)
    {
        if (_calls is not null)
        {
            Span<byte> info = stackalloc byte[DrvInfoSize];
            info.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(info, ETHTOOL_GDRVINFO);
            if (_calls.Ethtool(name, info) == 0)
            {
                ReadOnlySpan<byte> text = info.Slice(4, 32);
                int end = text.IndexOf((byte)0);
                string driver = Encoding.UTF8.GetString(end < 0 ? text : text[..end]);
                if (driver.Length > 0) return driver;
            }
        }
        return LinkName(Path.Combine(dir, "device", "driver"));
    }

    private static string? LinkName(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is { } target ? Path.GetFileName(target) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private (NetmapOffloads On, NetmapOffloads Read, string? Error) Offloads(string name)
    {
        if (_calls is null)
            return (NetmapOffloads.None, NetmapOffloads.None, "libc could not be loaded for the ethtool ioctl");
        NetmapOffloads on = NetmapOffloads.None, read = NetmapOffloads.None;
        string? error = null;
        Span<byte> value = stackalloc byte[8];   // struct ethtool_value { u32 cmd; u32 data; }
        foreach ((uint command, NetmapOffloads flag, uint bit) in new[]
        {
            (ETHTOOL_GGRO, NetmapOffloads.Gro, 0u),
            (ETHTOOL_GFLAGS, NetmapOffloads.Lro, ETH_FLAG_LRO),
            (ETHTOOL_GTSO, NetmapOffloads.Tso, 0u),
            (ETHTOOL_GGSO, NetmapOffloads.Gso, 0u),
            (ETHTOOL_GRXCSUM, NetmapOffloads.RxChecksum, 0u),
            (ETHTOOL_GTXCSUM, NetmapOffloads.TxChecksum, 0u),
        })
        {
            BinaryPrimitives.WriteUInt32LittleEndian(value, command);
            BinaryPrimitives.WriteUInt32LittleEndian(value[4..], 0);
            int errno = _calls.Ethtool(name, value);
            if (errno != 0)
            {
                error ??= $"the ethtool ioctl answered {Errno.Name(errno)}";
                continue;
            }
            uint data = BinaryPrimitives.ReadUInt32LittleEndian(value[4..]);
            read |= flag;
            if (bit == 0 ? data != 0 : (data & bit) != 0)
                on |= flag;
        }
        return (on, read, error);
    }

    // A netmap-patched driver calls netmap_attach, so its module depends on netmap and is listed
    // in /sys/module/netmap/holders; a driver netmap does not know never is. (A driver built into
    // the kernel has no module and cannot be told apart this way.)
    private static (bool? Native, string Evidence) Adapter(string dir, string? driver)
    {
        if (!Directory.Exists(SysNetmap))
            return (null, "the netmap module is not loaded");
        string? module = LinkName(Path.Combine(dir, "device", "driver", "module")) ?? driver;
        if (module is null)
            return (null, "its driver is unknown");
        string[] holders;
        try
        {
            holders = [.. Directory.EnumerateFileSystemEntries(Path.Combine(SysNetmap, "holders")).Select(Path.GetFileName).OfType<string>()];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"{SysNetmap}/holders cannot be read");
        }
        if (holders.Contains(module, StringComparer.Ordinal))
            return (true, $"its driver module {module} uses netmap ({SysNetmap}/holders/{module})");
        bool isModule = Directory.Exists(Path.Combine("/sys/module", module, "sections")) || File.Exists(Path.Combine("/sys/module", module, "refcnt"));
        return (false, isModule
            ? $"its driver module {module} does not use netmap (not in {SysNetmap}/holders)"
            : $"its driver {module} is built into the kernel or not a module, and no netmap-patched module drives it");
    }
}
