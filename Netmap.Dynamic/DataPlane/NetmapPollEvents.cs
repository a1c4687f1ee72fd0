namespace Netmap.Dynamic;

/// <summary>
/// What <see cref="NetmapPort.Poll"/> and <see cref="NetmapPort.WaitAsync(NetmapPollEvents, CancellationToken)"/> wait for and report.
/// The values are those of <c>POLLIN</c>, <c>POLLOUT</c> and <c>POLLERR</c>.
/// </summary>
[Flags]
public enum NetmapPollEvents
{
    /// <summary>Nothing (a poll that timed out).</summary>
    None = 0,
    /// <summary><c>POLLIN</c>: a bound RX ring has packets.</summary>
    Receive = 1,
    /// <summary><c>POLLOUT</c>: a bound TX ring has free slots.</summary>
    Transmit = 4,
    /// <summary><c>POLLERR</c>: a ring had invalid <c>head</c>/<c>cur</c> and was reset to its last good state.</summary>
    Error = 8,
}
