namespace Netmap.Dynamic.Tests.Kernel;

/// <summary>Both ends of one pipe; disposing the pair closes both.</summary>
public sealed record PipePair(NetmapPort Master, NetmapPort Slave) : IDisposable
{
    public void Dispose()
    {
        Master.Dispose();
        Slave.Dispose();
    }
}
