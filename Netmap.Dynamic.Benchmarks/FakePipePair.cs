using Netmap.Dynamic.Fake;

namespace Netmap.Dynamic.Benchmarks;

/// <summary>Both ends of a pipe on a fresh fake backend: the memory every data-plane benchmark runs on.</summary>
internal sealed class FakePipePair : IDisposable
{
    private readonly FakeNetmapBackend _backend = new();

    public FakePipePair(string name)
    {
        Master = _backend.OpenPort($"netmap:{name}{{1");
        Slave = _backend.OpenPort($"netmap:{name}}}1");
    }

    /// <summary>The <c>{</c> end.</summary>
    public NetmapPort Master { get; }

    /// <summary>The <c>}</c> end.</summary>
    public NetmapPort Slave { get; }

    public void Dispose()
    {
        Master.Dispose();
        Slave.Dispose();
        _backend.Dispose();
    }
}
