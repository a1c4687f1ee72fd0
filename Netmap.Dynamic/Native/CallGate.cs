using System.Runtime.CompilerServices;

namespace Netmap.Dynamic.Native;

/// <summary>
/// Counts the calls inside a native resource so that closing it can wait until none is left:
/// after <see cref="Close"/> every <see cref="TryEnter"/> fails, and <see cref="WaitIdle"/> returns
/// once the last call that did enter has left. Used so that no call ever runs on a closed fd,
/// an unmapped region or an unloaded shim.
/// </summary>
internal sealed class CallGate
{
    private readonly object _idle = new();   // Monitor.Wait/PulseAll need a plain object
    private int _active;
    private int _closed;

    /// <summary>True once <see cref="Close"/> has run.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Counts a call in; false (and nothing counted) once the gate is closed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryEnter()
    {
        Interlocked.Increment(ref _active);
        if (Volatile.Read(ref _closed) == 0)
            return true;
        Exit();
        return false;
    }

    /// <summary>Counts a call out (one per successful <see cref="TryEnter"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Exit()
    {
        if (Interlocked.Decrement(ref _active) == 0 && Volatile.Read(ref _closed) != 0)
            PulseIdle();
    }

    private void PulseIdle()
    {
        lock (_idle)
            Monitor.PulseAll(_idle);
    }

    /// <summary>Closes the gate; true for the one caller that closed it, false for every later one.</summary>
    public bool Close() => Interlocked.Exchange(ref _closed, 1) == 0;

    /// <summary>Blocks until no call is inside (call after <see cref="Close"/>).</summary>
    public void WaitIdle()
    {
        lock (_idle)
        {
            while (Volatile.Read(ref _active) != 0)
                Monitor.Wait(_idle);
        }
    }
}
