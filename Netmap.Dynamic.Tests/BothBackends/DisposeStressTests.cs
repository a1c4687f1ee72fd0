using static Netmap.Dynamic.Tests.DataPlane.ExceptionCatcher;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// Dispose may come from another thread while a port waits in poll or is inside a sync: the waiter
/// wakes, the syncing thread gets <see cref="ObjectDisposedException"/> at its next call, and nothing
/// ever touches a closed fd or unmapped memory (which would crash the process, not fail a test).
/// </summary>
public sealed class DisposeStressTests(BackendKind kind) : TwoBackendTest(kind)
{
    private int Rounds => IsNative ? 25 : 300;   // a round takes about a second on the emulated CPU of the test VM

    [Test]
    public void Dispose_during_a_blocked_poll_and_a_sync_loop_on_other_threads_ends_both_with_ObjectDisposedException()
    {
        string pipe = Unique("ds");
        for (int round = 0; round < Rounds; round++)
        {
            NetmapPort master = Backend.OpenPort($"netmap:{pipe}{{1");
            NetmapPort slave = Backend.OpenPort($"netmap:{pipe}}}1");
            using var syncing = new ManualResetEventSlim();
            Task<Exception?> poller = Task.Factory.StartNew(() => Catch(() => slave.Poll(NetmapPollEvents.Receive, Timeout.InfiniteTimeSpan)), TaskCreationOptions.LongRunning);
            // Syncs only: ring memory itself is one thread's at a time (NetmapPort's contract).
            Task<Exception?> syncer = Task.Factory.StartNew(() => Catch(() =>
            {
                while (true)
                {
                    syncing.Set();
                    master.TxSync();
                    master.RxSync();
                }
            }), TaskCreationOptions.LongRunning);
            WaitUntilBlocked(slave, poller);
            Assert.That(syncing.Wait(Guard), Is.True);

            // Alternate which port goes first so that both a waiter's and a syncer's port are closed under them.
            if (round % 2 == 0)
            {
                slave.Dispose();
                master.Dispose();
            }
            else
            {
                master.Dispose();
                slave.Dispose();
            }

            Assert.That(Task.WaitAll([poller, syncer], Guard), Is.True, $"round {round}: both threads ended");
            Assert.That(poller.Result, Is.InstanceOf<ObjectDisposedException>(), $"round {round}: the poller");
            Assert.That(syncer.Result, Is.InstanceOf<ObjectDisposedException>(), $"round {round}: the syncer");
        }
    }

    [Test]
    public void Dispose_during_a_pending_WaitAsync_ends_it_with_ObjectDisposedException_every_time()
    {
        string pipe = Unique("dw");
        for (int round = 0; round < Rounds; round++)
        {
            using NetmapPort master = Backend.OpenPort($"netmap:{pipe}{{1");
            NetmapPort slave = Backend.OpenPort($"netmap:{pipe}}}1");
            using var cts = new CancellationTokenSource();
            Task<NetmapPollEvents> wait = slave.WaitAsync(NetmapPollEvents.Receive, round % 2 == 0 ? cts.Token : CancellationToken.None).AsTask();
            if (round % 3 == 0) WaitUntilBlocked(slave, wait);   // else: Dispose may also come before the wait blocks

            slave.Dispose();

            Exception? e = Catch(() => wait.Wait(Guard));
            Assert.That(e, Is.InstanceOf<AggregateException>(), $"round {round}");
            Assert.That(e!.InnerException, Is.InstanceOf<ObjectDisposedException>(), $"round {round}");
        }
    }
}
