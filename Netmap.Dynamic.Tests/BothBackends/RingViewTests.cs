using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// The ring view's protocol rules and bounds checks, over the memory of either backend (the same
/// <see cref="NetmapRing"/> code runs over both). Tests that write nonsense into a slot or a ring
/// header put the kernel's values back before the port closes.
/// </summary>
public sealed unsafe class RingViewTests(BackendKind kind) : TwoBackendTest(kind)
{
    private NetmapPort _master = null!;
    private NetmapPort _slave = null!;

    [SetUp]
    public void SetUp()
    {
        (_master, _slave) = OpenPipe("r", "@conf:slots=8");
    }

    [TearDown]
    public void TearDown()
    {
        _master?.Dispose();
        _slave?.Dispose();
    }

    [Test]
    public void A_ring_of_n_slots_holds_n_minus_1_and_wraps_around()
    {
        NetmapRing tx = _master.GetTxRing(0), rx = _slave.GetRxRing(0);
        Assert.That(tx.SlotCount, Is.EqualTo(8));
        int sent = 0, received = 0;
        for (int round = 0; round < 5; round++)
        {
            int fitted = 0;
            while (tx.TryWrite([(byte)sent, (byte)(sent >> 8)])) { sent++; fitted++; }
            Assert.That(fitted, Is.EqualTo(7), "N-1 frames fit every time round");
            Assert.That(tx.Space, Is.Zero);
            Assert.That(tx.IsEmpty, Is.True);
            _master.TxSync();
            _slave.RxSync();
            Assert.That(rx.Space, Is.EqualTo(7));
            while (rx.TryRead(out ReadOnlySpan<byte> frame))
            {
                Assert.That(frame[0] | (frame[1] << 8), Is.EqualTo(received), "order kept across the wrap");
                received++;
            }
            _slave.RxSync();
            _master.TxSync();
        }
        Assert.That(received, Is.EqualTo(35));
        Assert.That(tx.Head, Is.EqualTo(35 % 8), "head wrapped modulo num_slots");
    }

    [Test]
    public void Next_wraps_and_advance_moves_head_and_cur_together()
    {
        NetmapRing tx = _master.GetTxRing(0);
        Assert.That(tx.Next(6), Is.EqualTo(7));
        Assert.That(tx.Next(7), Is.Zero);
        tx.Advance(3);
        Assert.That((tx.Head, tx.Cur, tx.Space), Is.EqualTo((3, 3, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => tx.Advance(5), "cannot advance past tail");
        Assert.That(tx.Head, Is.EqualTo(3), "a refused advance changes nothing");
        tx.Advance(4);
        Assert.That(tx.IsEmpty, Is.True);
        tx.Advance(0);
    }

    [Test]
    public void A_negative_slot_index_count_or_cur_is_refused_like_one_past_the_end()
    {
        NetmapRing tx = _master.GetTxRing(0);
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = tx[-1].Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => tx.GetPacket(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => tx.Advance(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => tx.SetCur(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => tx.SetOffset(0, -1));
        Assert.That((tx.Head, tx.Cur, tx.Space), Is.EqualTo((0, 0, 7)), "nothing moved");
    }

    [Test]
    public void SetCur_accepts_only_head_to_tail()
    {
        NetmapRing tx = _master.GetTxRing(0);
        tx.SetCur(7);
        Assert.That((tx.Head, tx.Cur), Is.EqualTo((0, 7)));
        Assert.Throws<ArgumentOutOfRangeException>(() => tx.SetCur(8));
        tx.Advance(2);
        Assert.That(tx.Cur, Is.EqualTo(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => tx.SetCur(1), "behind head");
    }

    [Test]
    public void Slot_index_buffer_index_and_length_are_checked()
    {
        NetmapRing tx = _master.GetTxRing(0);
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = tx[8].BufferIndex);
        Assert.Throws<ArgumentOutOfRangeException>(() => tx.GetBuffer(-1));

        long buffers = (_master.RegionSize - ((byte*)tx.RawRing - _master.RegionBase + tx.RawRing->buf_ofs)) / tx.BufferSize;
        uint own = tx[0].BufferIndex;
        try
        {
            tx[0].BufferIndex = (uint)buffers;   // one past the last buffer in the region
            Assert.Throws<InvalidOperationException>(() => tx.GetBuffer(0));
            Assert.Throws<InvalidOperationException>(() => tx.TryWrite([1, 2, 3]));
            tx[0].BufferIndex = (uint)buffers - 1;   // the last one is fine
            Assert.That(tx.GetBuffer(0).Length, Is.EqualTo(2048));
        }
        finally
        {
            tx[0].BufferIndex = own;
        }

        tx[1].Length = 2049;
        Assert.Throws<InvalidOperationException>(() => tx.GetPacket(1));
        tx[1].Length = 2048;
        Assert.That(tx.GetPacket(1).Length, Is.EqualTo(2048));
        Assert.Throws<ArgumentException>(() => tx.TryWrite(new byte[2049]));
    }

    [Test]
    public void Geometry_is_read_once_so_a_rewritten_header_cannot_widen_the_checks()
    {
        NetmapRing tx = _master.GetTxRing(0);
        (uint slots, uint bufferSize) = (tx.RawRing->num_slots, tx.RawRing->nr_buf_size);
        try
        {
            tx.RawRing->num_slots = 1_000_000;
            tx.RawRing->nr_buf_size = 1 << 20;
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = tx[8]);
            tx[0].Length = 4000;
            Assert.Throws<InvalidOperationException>(() => tx.GetPacket(0));
        }
        finally
        {
            (tx.RawRing->num_slots, tx.RawRing->nr_buf_size) = (slots, bufferSize);
        }
    }

    [Test]
    public void A_default_ring_and_an_unbound_ring_refuse_use()
    {
        NetmapRing none = default;
        Assert.Throws<InvalidOperationException>(() => _ = none.Head);
        Assert.Throws<ArgumentOutOfRangeException>(() => _master.GetTxRing(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => _master.GetRxRing(-1));
        Assert.That(none.ToString(), Does.Contain("unbound"));
    }

    [Test]
    public void Rings_and_ports_throw_after_dispose()
    {
        NetmapRing tx = _master.GetTxRing(0);
        _master.Dispose();
        Assert.That(_master.IsDisposed, Is.True);
        Assert.Throws<ObjectDisposedException>(() => _ = tx.Head);
        Assert.Throws<ObjectDisposedException>(() => tx.TryWrite([1]));
        Assert.Throws<ObjectDisposedException>(() => _ = tx[0]);
        Assert.Throws<ObjectDisposedException>(_master.TxSync);
        Assert.Throws<ObjectDisposedException>(_master.RxSync);
        Assert.Throws<ObjectDisposedException>(() => _master.Poll(NetmapPollEvents.Receive, TimeSpan.Zero));
        Assert.Throws<ObjectDisposedException>(() => _master.GetTxRing(0));
        Assert.Throws<ObjectDisposedException>(() => _master.WaitAsync(NetmapPollEvents.Receive));
        Assert.That(tx.ToString(), Does.Contain("disposed"));
        Assert.DoesNotThrow(_master.Dispose, "Dispose twice is harmless");
    }

    [Test]
    public void Ring_and_port_describe_themselves()
    {
        Assert.That(_master.GetTxRing(0).ToString(), Does.Contain("TX0").And.Contain(_master.Name).And.Contain("tail 7"));
        Assert.That(_master.ToString(), Does.Contain(_master.Name));
        Assert.That(_master.Spec.PipeSide, Is.EqualTo(NetmapPipeSide.Master));
        Assert.That(_master.GetTxRing(0).IsTransmit, Is.True);
        Assert.That(_master.GetRxRing(0).IsTransmit, Is.False);
    }

    [Test]
    public void Slot_flags_and_fragment_count_map_the_C_field()
    {
        NetmapRing tx = _master.GetTxRing(0);
        ref NetmapSlot slot = ref tx[2];
        slot.Flags = NetmapSlotFlags.NS_REPORT | (NetmapSlotFlags)0x300;
        slot.Ptr = 0xdead;
        netmap_slot raw = netmap_ring.slot(ref *tx.RawRing, 2);
        Assert.That((raw.flags, raw.ptr), Is.EqualTo(((ushort)0x302, 0xdeadUL)));
        Assert.That(slot.FragmentCount, Is.EqualTo(3));
        Assert.That(sizeof(NetmapSlot), Is.EqualTo(sizeof(netmap_slot)));
    }
}
