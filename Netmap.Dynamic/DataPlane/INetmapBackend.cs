namespace Netmap.Dynamic;

/// <summary>
/// What an application depends on to use netmap: implemented by the native backend (the real
/// kernel through <c>/dev/netmap</c>) and by <see cref="Fake.FakeNetmapBackend"/> (in memory, any OS),
/// so the same code runs in production and in unit tests.
/// </summary>
public interface INetmapBackend : IDisposable
{
    /// <summary>"native" or "fake".</summary>
    string Name { get; }

    /// <summary>
    /// Parses <paramref name="spec"/> (libnetmap port syntax: <c>netmap:eth0</c>, <c>vale0:a</c>,
    /// <c>pipe{1</c>, ...) and registers the port. Malformed text throws <see cref="NetmapPortSpecException"/>;
    /// kernel refusals throw <see cref="NetmapException"/> (ENXIO unknown port, EBUSY exclusive, ...).
    /// </summary>
    NetmapPort OpenPort(string spec, NetmapPortOptions? options = null);

    /// <summary>Registers the port an already parsed (or built) <paramref name="spec"/> names.</summary>
    NetmapPort OpenPort(NetmapPortSpec spec, NetmapPortOptions? options = null);

    /// <summary>Ring, slot and memory figures of an existing port, without binding it; ENXIO when unknown.</summary>
    NetmapPortInfo GetPortInfo(string name);

    /// <summary>
    /// The pools of the memory allocator behind port <paramref name="name"/> (<c>NETMAP_REQ_POOLS_INFO_GET</c>):
    /// where its <c>netmap_if</c> objects, rings and buffers lie in the region, how many of each and how
    /// large. A VALE port or pipe nobody has open is answered for the port an open would create.
    /// ENXIO for an interface that does not exist (and for an empty name).
    /// </summary>
    NetmapPoolsInfo GetPoolsInfo(string name);
}
