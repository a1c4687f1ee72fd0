namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>Which backend a two-backend fixture runs on.</summary>
public enum BackendKind
{
    /// <summary>The in-memory <see cref="Dynamic.Fake.FakeNetmapBackend"/>: runs everywhere.</summary>
    Fake,

    /// <summary>The real kernel through <see cref="NetmapLibrary"/>: runs where the probe says Available.</summary>
    Native,
}
