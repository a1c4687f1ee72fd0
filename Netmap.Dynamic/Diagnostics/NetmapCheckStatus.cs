namespace Netmap.Dynamic;

/// <summary>How one check of <see cref="NetmapDoctor"/> came out; ordered from good to bad.</summary>
public enum NetmapCheckStatus
{
    /// <summary>Nothing to do.</summary>
    Ok,
    /// <summary>netmap works, but slowly or partly: offloads on, the emulated adapter, a limit close to what the port needs.</summary>
    Warning,
    /// <summary>netmap will not work for this port until it is fixed.</summary>
    Failure,
}
