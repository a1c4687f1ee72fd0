using Netmap.Dynamic.Native;

namespace Netmap.Dynamic.Tests.Native;

/// <summary>The gate that keeps native resources (port fds, the loaded shim) alive until the last call has left.</summary>
public sealed class CallGateTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    [Test]
    public void Calls_enter_until_closed_and_only_the_first_close_counts()
    {
        CallGate gate = new();
        bool before = gate.TryEnter();
        gate.Exit();
        bool first = gate.Close();
        bool second = gate.Close();

        Assert.Multiple(() =>
        {
            Assert.That(before, Is.True);
            Assert.That(first, Is.True);
            Assert.That(second, Is.False);
            Assert.That(gate.IsClosed, Is.True);
            Assert.That(gate.TryEnter(), Is.False, "no call enters a closed gate");
        });
        gate.WaitIdle();   // nothing inside: returns at once (the test would hang otherwise)
    }

    [Test]
    public void WaitIdle_returns_only_after_the_last_call_inside_has_left()
    {
        CallGate gate = new();
        Assert.That(gate.TryEnter(), Is.True);
        Assert.That(gate.TryEnter(), Is.True);
        gate.Close();
        int left = 0;
        using ManualResetEventSlim waiting = new();
        Task<int> closer = Task.Factory.StartNew(() =>
        {
            waiting.Set();
            gate.WaitIdle();
            return Volatile.Read(ref left);   // what the closer saw once it was let through
        }, TaskCreationOptions.LongRunning);
        Assert.That(waiting.Wait(Guard), Is.True);

        Interlocked.Increment(ref left);
        gate.Exit();
        Interlocked.Increment(ref left);
        gate.Exit();

        Assert.That(closer.Wait(Guard), Is.True, "the closer woke after the last Exit");
        Assert.That(closer.Result, Is.EqualTo(2), "both calls had left before WaitIdle returned");
    }
}
