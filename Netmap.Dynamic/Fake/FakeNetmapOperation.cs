namespace Netmap.Dynamic.Fake;

/// <summary>Which call <see cref="FakeNetmapBackend.FailNext"/> makes fail.</summary>
public enum FakeNetmapOperation
{
    /// <summary><see cref="NetmapPort.TxSync"/>.</summary>
    TxSync,
    /// <summary><see cref="NetmapPort.RxSync"/>.</summary>
    RxSync,
    /// <summary><see cref="NetmapPort.Poll"/> and <see cref="NetmapPort.WaitAsync(NetmapPollEvents, CancellationToken)"/>.</summary>
    Poll,
}
