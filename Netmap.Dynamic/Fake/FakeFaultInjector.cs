namespace Netmap.Dynamic.Fake;

/// <summary>
/// The fake's test hooks that make the emulated kernel misbehave on purpose: an error for the next
/// call of a kind (<see cref="FakeNetmapBackend.FailNext"/>) and frames lost in flight
/// (<see cref="FakeNetmapBackend.DropFrames"/>). Ports consult it on every sync, so the check for
/// "nothing pending" is one volatile read and takes no lock.
/// </summary>
internal sealed class FakeFaultInjector
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<(FakeNetmapOperation Operation, int Errno)>> _errors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _drops = new(StringComparer.Ordinal);
    private volatile int _pending;

    /// <summary>Queues <paramref name="errno"/> for the next <paramref name="operation"/> on <paramref name="portName"/>.</summary>
    public void FailNext(string portName, FakeNetmapOperation operation, int errno)
    {
        ArgumentException.ThrowIfNullOrEmpty(portName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(errno);
        lock (_lock)
        {
            if (!_errors.TryGetValue(portName, out var list)) _errors[portName] = list = [];
            list.Add((operation, errno));
            _pending++;
        }
    }

    /// <summary>Loses the next <paramref name="count"/> frames <paramref name="portName"/> transmits (not a pipe: pipes cannot lose).</summary>
    public void DropFrames(string portName, int count)
    {
        ArgumentException.ThrowIfNullOrEmpty(portName);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (portName.IndexOfAny(['{', '}']) >= 0)
            throw new NotSupportedException($"'{portName}' is a pipe: pipes are lossless (sender and receiver share the slots). Use a VALE port or a fake NIC for a lossy link.");
        lock (_lock)
        {
            _drops.TryGetValue(portName, out int pending);
            _drops[portName] = pending + count;
            _pending += count;   // one per frame to drop: each drop consumes one
        }
    }

    /// <summary>True (with the errno) when a test asked <paramref name="operation"/> on <paramref name="name"/> to fail now.</summary>
    public bool TryConsumeError(string name, FakeNetmapOperation operation, out int errno)
    {
        errno = 0;
        if (_pending == 0) return false;
        return TryConsumeErrorSlow(name, operation, out errno);
    }

    /// <summary>True when a test asked the next frame <paramref name="name"/> transmits to be lost.</summary>
    public bool TryConsumeDrop(string name)
    {
        if (_pending == 0) return false;
        lock (_lock)
        {
            if (!_drops.TryGetValue(name, out int pending) || pending == 0) return false;
            if (pending == 1) _drops.Remove(name);
            else _drops[name] = pending - 1;
            _pending--;
            return true;
        }
    }

    // Separate method: a lambda here would capture `operation` and allocate on every sync.
    private bool TryConsumeErrorSlow(string name, FakeNetmapOperation operation, out int errno)
    {
        errno = 0;
        lock (_lock)
        {
            if (!_errors.TryGetValue(name, out var list)) return false;
            int at = -1;
            for (int i = 0; i < list.Count && at < 0; i++)
                if (list[i].Operation == operation) at = i;
            if (at < 0) return false;
            errno = list[at].Errno;
            list.RemoveAt(at);
            if (list.Count == 0) _errors.Remove(name);
            _pending--;
            return true;
        }
    }
}
