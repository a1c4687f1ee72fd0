using System.Runtime.CompilerServices;
using Netmap.Dynamic.Fake;
using static Netmap.Dynamic.Tests.DataPlane.ExceptionCatcher;

namespace Netmap.Dynamic.Tests.DataPlane;

/// <summary>
/// The batch API (<see cref="NetmapRing.Reserve"/>, <see cref="NetmapRing.Peek"/>): what a batch
/// covers, what it checks once and on every access, and what happens after Dispose. Over the fake's
/// memory (the same ring code as native); the kernel-facing rules are in BothBackends/RingBatchTests.
/// </summary>
public unsafe class NetmapBatchTests
{
    private FakeNetmapBackend _backend = null!;
    private NetmapPort _master = null!;
    private NetmapPort _slave = null!;

    [SetUp]
    public void SetUp()
    {
        _backend = new FakeNetmapBackend();
        _master = _backend.OpenPort("netmap:b{1@conf:slots=8");
        _slave = _backend.OpenPort("netmap:b}1");
    }

    [TearDown]
    public void TearDown()
    {
        _master.Dispose();
        _slave.Dispose();
        _backend.Dispose();
    }

    private static byte[] Frame(int seed, int length = 60) => [.. Enumerable.Range(0, length).Select(i => (byte)(seed + i))];

    [Test]
    public void Reserve_covers_the_free_slots_from_head_up_to_the_maximum()
    {
        NetmapRing tx = _master.GetTxRing(0);

        NetmapTxBatch all = tx.Reserve(100);
        Assert.That((all.Count, all.FirstSlot, all.IsEmpty), Is.EqualTo((7, 0, false)), "N-1 free slots on a fresh ring");
        NetmapTxBatch three = tx.Reserve(3);
        Assert.That(three.Count, Is.EqualTo(3));
        NetmapTxBatch none = tx.Reserve(0);
        Assert.That(none.IsEmpty, Is.True);
        none.Commit();
        Assert.That(tx.Head, Is.Zero, "committing an empty batch changes nothing");
    }

    [Test]
    public void Commit_moves_head_and_cur_once_and_only_committed_slots_are_sent()
    {
        NetmapRing tx = _master.GetTxRing(0), rx = _slave.GetRxRing(0);

        NetmapTxBatch batch = tx.Reserve(5);
        for (int i = 0; i < batch.Count; i++)
            batch.Write(i, Frame(i * 10));
        Assert.That((tx.Head, tx.Cur), Is.EqualTo((0, 0)), "nothing moves before Commit");
        batch.Commit(3);
        Assert.That((tx.Head, tx.Cur, batch.Count), Is.EqualTo((3, 3, 0)), "head = cur = head + 3; the batch is spent");
        _master.TxSync();
        _slave.RxSync();

        NetmapRxBatch got = rx.Peek(8);
        Assert.That(got.Count, Is.EqualTo(3), "the two uncommitted slots were not sent");
        for (int i = 0; i < got.Count; i++)
            Assert.That(got.GetPacket(i).ToArray(), Is.EqualTo(Frame(i * 10)), $"frame {i}");
    }

    [Test]
    public void A_batch_ends_at_the_last_slot_and_the_next_one_starts_at_slot_0()
    {
        NetmapRing tx = _master.GetTxRing(0), rx = _slave.GetRxRing(0);
        tx.Advance(6);
        _master.TxSync();
        _slave.RxSync();
        rx.Advance(6);
        _slave.RxSync();
        _master.TxSync();   // the pipe frees the slots the receiver released: tail = head - 1 = 5
        Assert.That((tx.Head, tx.Space), Is.EqualTo((6, 7)));

        NetmapTxBatch end = tx.Reserve(7);
        Assert.That((end.Count, end.FirstSlot, end.SlotIndex(1)), Is.EqualTo((2, 6, 7)), "slots 6 and 7, not past the end");
        Assert.That(Unsafe.AreSame(ref end[1], ref tx[7]), Is.True);
        for (int i = 0; i < end.Count; i++) end.Write(i, Frame(i));
        end.Commit();
        Assert.That(tx.Head, Is.Zero, "committing up to the end wraps head to 0");

        NetmapTxBatch start = tx.Reserve(7);
        Assert.That((start.Count, start.FirstSlot), Is.EqualTo((5, 0)), "the rest of the space, from slot 0");
        for (int i = 0; i < start.Count; i++) start.Write(i, Frame(2 + i));
        start.Commit();
        _master.TxSync();
        _slave.RxSync();

        int received = 0;
        for (NetmapRxBatch got = rx.Peek(int.MaxValue); !got.IsEmpty; got = rx.Peek(int.MaxValue))
        {
            for (int i = 0; i < got.Count; i++, received++)
                Assert.That(got.GetPacket(i).ToArray(), Is.EqualTo(Frame(received)), $"order kept across the end, frame {received}");
            got.Release();
        }
        Assert.That(received, Is.EqualTo(7));
    }

    [Test]
    public void Slots_is_the_batch_as_one_span_over_the_ring()
    {
        NetmapRing tx = _master.GetTxRing(0);
        tx.Advance(2);
        NetmapTxBatch batch = tx.Reserve(3);

        Span<NetmapSlot> slots = batch.Slots;
        foreach (ref NetmapSlot slot in slots) slot.Length = 42;

        Assert.That(slots.Length, Is.EqualTo(3));
        Assert.That(Unsafe.AreSame(ref slots[0], ref tx[2]), Is.True, "position 0 is slot head");
        Assert.That(Enumerable.Range(0, 8).Select(i => (int)tx[i].Length), Is.EqualTo(new[] { 2048, 2048, 42, 42, 42, 2048, 2048, 2048 }),
            "exactly the batch's slots were written");
    }

    [Test]
    public void Release_gives_back_only_the_first_k_packets()
    {
        NetmapRing tx = _master.GetTxRing(0), rx = _slave.GetRxRing(0);
        for (int i = 0; i < 5; i++) tx.TryWrite(Frame(i));
        _master.TxSync();
        _slave.RxSync();

        NetmapRxBatch first = rx.Peek(5);
        Assert.That(first.Count, Is.EqualTo(5));
        first.Release(2);
        Assert.That((rx.Head, rx.Cur), Is.EqualTo((2, 2)));
        NetmapRxBatch rest = rx.Peek(5);
        Assert.That((rest.Count, rest.GetPacket(0)[0]), Is.EqualTo((3, (byte)2)), "the next batch starts at the third packet");
        rest.Release();
        Assert.That(rx.IsEmpty, Is.True);
    }

    [Test]
    public void Positions_and_counts_outside_the_batch_are_refused()
    {
        NetmapRing tx = _master.GetTxRing(0);

        Assert.Multiple(() =>
        {
            Assert.That(Catch(() => tx.Reserve(-1)), Is.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(Catch(tx.Reserve(3), static b => _ = b[3]), Is.TypeOf<ArgumentOutOfRangeException>(), "position == Count");
            Assert.That(Catch(tx.Reserve(3), static b => b.GetBuffer(-1)), Is.TypeOf<ArgumentOutOfRangeException>(), "negative position");
            Assert.That(Catch(tx.Reserve(3), static b => b.SlotIndex(int.MaxValue)), Is.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(Catch(tx.Reserve(3), static b => b.Commit(4)), Is.TypeOf<ArgumentOutOfRangeException>(), "commit more than reserved");
            Assert.That(Catch(tx.Reserve(3), static b => b.Commit(-1)), Is.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(Catch(tx.Reserve(3), static b => b.Write(0, new byte[2049])), Is.TypeOf<ArgumentException>(), "frame longer than a buffer");
        });
        Assert.That(tx.Head, Is.Zero, "a refused commit changes nothing");
    }

    [Test]
    public void Reserve_is_for_TX_rings_and_Peek_for_RX_rings()
    {
        NetmapRing tx = _master.GetTxRing(0), rx = _slave.GetRxRing(0);
        Assert.That(() => rx.Reserve(1), Throws.InvalidOperationException.With.Message.Contains("Peek"));
        Assert.That(() => tx.Peek(1), Throws.InvalidOperationException.With.Message.Contains("Reserve"));
        NetmapRing unbound = default;
        Assert.That(() => unbound.Reserve(1), Throws.InvalidOperationException.With.Message.Contains("not bound"));
    }

    [Test]
    public void A_head_or_tail_outside_the_ring_is_refused_before_any_slot_is_touched()
    {
        NetmapRing tx = _master.GetTxRing(0);
        tx.RawRing->head = 8;
        Assert.That(() => tx.Reserve(1), Throws.InvalidOperationException.With.Message.Contains("corrupt ring header"));
        tx.RawRing->head = 0;
        tx.RawRing->tail = 1000;
        Assert.That(() => tx.Reserve(1), Throws.InvalidOperationException.With.Message.Contains("corrupt ring header"));
        tx.RawRing->tail = 7;
        tx.RawRing->num_slots = 1_000_000;   // geometry is read once, at open: a rewritten header widens nothing
        Assert.That(tx.Reserve(100).Count, Is.EqualTo(7));
    }

    [Test]
    public void A_corrupt_slot_throws_instead_of_reaching_outside_the_region()
    {
        NetmapRing tx = _master.GetTxRing(0);
        long buffers = (_master.RegionSize - ((byte*)tx.RawRing - _master.RegionBase + tx.RawRing->buf_ofs)) / tx.BufferSize;

        uint good = tx[1].BufferIndex;
        tx[1].BufferIndex = (uint)buffers;   // one past the last buffer of the region

        NetmapTxBatch batch = tx.Reserve(7);
        Assert.That(Catch(() => tx.Reserve(7).GetBuffer(1)), Is.TypeOf<InvalidOperationException>());
        Assert.That(Catch(() => tx.Reserve(7).Write(1, [1, 2, 3])), Is.TypeOf<InvalidOperationException>());
        Assert.That(batch.GetBuffer(0).Length, Is.EqualTo(2048), "a good slot next to it is fine");
        batch.Commit(0);
        tx[1].BufferIndex = good;

        // The same slots seen from the receiving side of a ring: Peek on the peer's RX ring after a sync.
        for (int i = 0; i < 3; i++) tx.TryWrite(Frame(i));
        _master.TxSync();
        _slave.RxSync();
        NetmapRing rx = _slave.GetRxRing(0);
        rx[2].Length = 2049;
        rx[1].BufferIndex = uint.MaxValue;
        Assert.That(Catch(() => rx.Peek(3).GetPacket(2)), Is.TypeOf<InvalidOperationException>().And.Message.Contains("corrupt slot"));
        Assert.That(Catch(() => rx.Peek(3).GetPacket(1)), Is.TypeOf<InvalidOperationException>().And.Message.Contains("corrupt slot"));
        Assert.That(rx.Peek(3).GetPacket(0).Length, Is.EqualTo(60));
    }

    [Test]
    public void Commit_refuses_when_head_moved_behind_the_batch()
    {
        NetmapRing tx = _master.GetTxRing(0);
        NetmapTxBatch batch = tx.Reserve(4);
        tx.Advance(1);

        Assert.That(Catch(batch, static b => b.Commit(4)), Is.TypeOf<InvalidOperationException>().And.Message.Contains("moved"));
        Assert.That(tx.Head, Is.EqualTo(1), "the ring is left as the Advance put it");
    }

    [Test]
    public void A_sync_while_a_batch_is_open_sends_only_what_was_committed_before()
    {
        NetmapRing tx = _master.GetTxRing(0), rx = _slave.GetRxRing(0);
        NetmapTxBatch batch = tx.Reserve(4);
        for (int i = 0; i < 4; i++) batch.Write(i, Frame(i));
        _master.TxSync();
        _slave.RxSync();
        Assert.That(rx.IsEmpty, Is.True, "nothing committed, nothing sent");

        batch.Commit();
        _master.TxSync();
        _slave.RxSync();
        Assert.That(rx.Space, Is.EqualTo(4));
    }

    [Test]
    public void A_batch_used_after_the_port_is_disposed_throws_ObjectDisposed()
    {
        NetmapRing tx = _master.GetTxRing(0);
        for (int i = 0; i < 2; i++) tx.TryWrite(Frame(i));
        _master.TxSync();
        _slave.RxSync();
        NetmapRing rx = _slave.GetRxRing(0);
        NetmapTxBatch sending = tx.Reserve(3);
        NetmapRxBatch receiving = rx.Peek(2);
        Assert.That((sending.Count, receiving.Count), Is.EqualTo((3, 2)));

        _master.Dispose();
        _slave.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(Catch(() => tx.Reserve(1)), Is.TypeOf<ObjectDisposedException>());
            Assert.That(Catch(() => rx.Peek(1)), Is.TypeOf<ObjectDisposedException>());
        });
        Assert.That(Catch(sending, static b => _ = b[0]), Is.TypeOf<ObjectDisposedException>(), "indexer");
        Assert.That(Catch(sending, static b => _ = b.Slots), Is.TypeOf<ObjectDisposedException>(), "Slots");
        Assert.That(Catch(sending, static b => b.GetBuffer(1)), Is.TypeOf<ObjectDisposedException>(), "GetBuffer");
        Assert.That(Catch(sending, static b => b.Write(2, [1])), Is.TypeOf<ObjectDisposedException>(), "Write");
        Assert.That(Catch(sending, static b => b.Commit()), Is.TypeOf<ObjectDisposedException>(), "Commit");
        Assert.That(Catch(receiving, static b => b.GetPacket(0)), Is.TypeOf<ObjectDisposedException>(), "GetPacket");
        Assert.That(Catch(receiving, static b => _ = b[1].Length), Is.TypeOf<ObjectDisposedException>(), "RX indexer");
        Assert.That(Catch(receiving, static b => b.Release()), Is.TypeOf<ObjectDisposedException>(), "Release");
        Assert.That(Catch(receiving, static b => _ = b.Slots), Is.TypeOf<ObjectDisposedException>(), "RX Slots");
    }

    [Test]
    public void Batches_allocate_nothing()
    {
        NetmapRing tx = _master.GetTxRing(0), rx = _slave.GetRxRing(0);
        byte[] frame = Frame(1);
        RoundTrip(tx, rx, frame);   // warm up: JIT
        // The least of three measurements: an allocation per frame shows in every one, while the
        // runtime's own one-off work on this thread (starting its tiered-compilation worker, whose
        // Thread object is allocated by the thread that triggers it) shows in one at most.
        long allocated = long.MaxValue;
        (long sent, long received) = (0, 0);
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int round = 0; round < 10_000; round++)
            {
                (int s, int r) = RoundTrip(tx, rx, frame);
                sent += s;
                received += r;
            }
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.That(received, Is.EqualTo(sent).And.GreaterThan(60_000));
        Assert.That(allocated, Is.Zero);
    }

    /// <summary>One batch sent, every packet received with batches (until none is left), released, synced back.</summary>
    private (int Sent, int Received) RoundTrip(NetmapRing tx, NetmapRing rx, ReadOnlySpan<byte> frame)
    {
        NetmapTxBatch batch = tx.Reserve(64);
        int sent = batch.Count;
        for (int i = 0; i < sent; i++) batch.Write(i, frame);
        batch.Commit();
        _master.TxSync();
        _slave.RxSync();
        int received = 0;
        for (NetmapRxBatch got = rx.Peek(64); !got.IsEmpty; got = rx.Peek(64))
        {
            for (int i = 0; i < got.Count; i++) received += got.GetPacket(i).Length == frame.Length ? 1 : 0;
            got.Release();
        }
        _slave.RxSync();
        _master.TxSync();
        return (sent, received);
    }
}
