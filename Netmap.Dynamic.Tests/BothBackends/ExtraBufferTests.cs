using static Netmap.Dynamic.Tests.BothBackends.KernelFrames;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// Extra buffers (<c>nr_extra_bufs</c>, <see cref="NetmapPortOptions.ExtraBuffers"/>): buffers of a
/// port's region outside every ring, which the kernel lists from <c>ni_bufs_head</c> and frees from
/// that list when the registration goes. The objectives of netmap's utils/tests 004-006 (sending from
/// extra buffers over ephemeral VALE ports, persistent VALE ports and a pipe), the pool's safety, and
/// the list going back to the kernel on close.
/// </summary>
public sealed class ExtraBufferTests(BackendKind kind) : TwoBackendTest(kind)
{
    private const int Asked = 12;   // utils/tests' e_buf_num
    private const int FrameLength = 274;   // utils/tests' default len

    private static NetmapPortOptions Extra(int count = Asked) => new() { ExtraBuffers = count };

    /// <summary>A 274-byte broadcast frame filled with 'c' after its header, numbered at offset 14.</summary>
    private static byte[] Filled(int tag)
    {
        byte[] frame = Ethernet(Broadcast, Mac(1), tag, FrameLength);
        frame.AsSpan(18).Fill((byte)'c');
        return frame;
    }

    /// <summary>
    /// Sends <paramref name="frames"/> the way utils/functional's <c>-e</c> does: each frame is written
    /// into an extra buffer, which is swapped into the TX slot at head; the slot's own buffer takes the
    /// extra buffer's place in the pool. Returns the buffer indexes that went out.
    /// </summary>
    private static uint[] SendFromExtraBuffers(NetmapPort port, IReadOnlyList<byte[]> frames)
    {
        NetmapRing tx = port.GetTxRing(port.FirstTxRing);
        NetmapExtraBuffers pool = port.ExtraBuffers;
        var sent = new uint[frames.Count];
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.That(pool.TryRent(out uint buffer), Is.True, "a free extra buffer");
            frames[i].CopyTo(pool.GetBuffer(buffer));
            uint old = pool.SwapWithSlot(tx, tx.Head, buffer, frames[i].Length);
            pool.Return(old);
            sent[i] = buffer;
            tx.Advance(1);
        }
        port.TxSync();
        return sent;
    }

    /// <summary>Every buffer a port's bound rings name now.</summary>
    private static HashSet<uint> SlotBuffers(NetmapPort port)
    {
        var buffers = new HashSet<uint>();
        for (int r = port.FirstTxRing; r < port.LastTxRing; r++) AddSlots(port.GetTxRing(r), buffers);
        for (int r = port.FirstRxRing; r < port.LastRxRing; r++) AddSlots(port.GetRxRing(r), buffers);
        return buffers;
    }

    private static void AddSlots(NetmapRing ring, HashSet<uint> buffers)
    {
        for (int s = 0; s < ring.SlotCount; s++) buffers.Add(ring[s].BufferIndex);
    }

    /// <summary>Rents every free buffer of the pool (and so learns which they are).</summary>
    private static uint[] RentAll(NetmapExtraBuffers pool)
    {
        var all = new List<uint>();
        while (pool.TryRent(out uint buffer)) all.Add(buffer);
        return [.. all];
    }

    [Test]
    public void A_port_gets_the_extra_buffers_it_asks_for_and_none_of_them_is_in_a_ring()
    {
        using NetmapPort port = Backend.OpenPort($"{UniqueSwitch()}:v0", Extra());
        NetmapExtraBuffers pool = port.ExtraBuffers;
        Assert.That((pool.Count, pool.Available, pool.BufferSize), Is.EqualTo((Asked, Asked, port.BufferSize)));

        uint[] buffers = RentAll(pool);
        Assert.That(buffers, Has.Length.EqualTo(Asked).And.Unique);
        Assert.That(buffers, Has.All.GreaterThanOrEqualTo(2u), "indexes 0 and 1 are reserved");
        Assert.That(buffers.Intersect(SlotBuffers(port)), Is.Empty, "no ring slot names an extra buffer");
        Assert.That(pool.Available, Is.Zero);
        foreach (uint buffer in buffers) pool.Return(buffer);
    }

    [Test]
    public void A_port_that_asks_for_none_has_an_empty_pool()
    {
        using NetmapPort port = Backend.OpenPort($"{UniqueSwitch()}:v0");
        Assert.That((port.ExtraBuffers.Count, port.ExtraBuffers.TryRent(out _)), Is.EqualTo((0, false)));
    }

    [Test]
    public void A_vale_port_created_with_extra_buffers_has_room_for_them_in_its_allocator()
    {
        string sw = UniqueSwitch();
        using NetmapPort plain = Backend.OpenPort($"{sw}:a");
        using NetmapPort extra = Backend.OpenPort($"{sw}:b", Extra());
        // netmap_mem_private_new adds the extra buffers to the buffer pool; a pool holds whole pages
        // (two 2048-byte buffers each), and 12 is even.
        Assert.That(extra.RegionSize - plain.RegionSize, Is.EqualTo(Asked * 2048L));
    }

    [Test]
    public void A_port_asking_for_more_extra_buffers_than_are_free_gets_what_is_free()
    {
        string port = $"{UniqueSwitch()}:v0";
        using NetmapPort first = Backend.OpenPort(port);
        using NetmapPort greedy = Backend.OpenPort(port, Extra(1_000_000));
        Assert.That(greedy.ExtraBuffers.Count, Is.GreaterThan(0).And.LessThan(1_000_000), "granted, fewer than asked, no error");
        using NetmapPort late = Backend.OpenPort(port, Extra());
        Assert.That(late.ExtraBuffers.Count, Is.Zero, "nothing is left for the next registration");
    }

    [Test]
    public void Frames_sent_from_extra_buffers_reach_every_other_port_of_an_ephemeral_switch()
    {
        // utils/tests/004: v0 sends with extra buffers, v1 and v2 receive.
        string sw = UniqueSwitch();
        using NetmapPort v1 = Backend.OpenPort($"{sw}:v1");
        using NetmapPort v2 = Backend.OpenPort($"{sw}:v2");
        using NetmapPort v0 = Backend.OpenPort($"{sw}:v0", Extra());
        byte[][] frames = [Filled(1), Filled(2), Filled(3)];

        SendFromExtraBuffers(v0, frames);

        Assert.That(Received(v1), Is.EqualTo(frames));
        Assert.That(Received(v2), Is.EqualTo(frames));
        Assert.That(v0.ExtraBuffers.Available, Is.EqualTo(Asked), "each swap left a buffer in the pool");
    }

    [Test]
    public void Frames_sent_from_extra_buffers_reach_every_other_persistent_port_of_a_switch()
    {
        // utils/tests/005: the same with persistent ports created and attached first.
        if (!IsNative) Assert.Ignore("The fake backend has no persistent VALE ports (NETMAP_REQ_VALE_NEWIF): this objective runs on the kernel only.");
        string sw = PersistentPorts.Switch;
        string[] names = [Unique("nmv"), Unique("nmv"), Unique("nmv")];
        var created = new List<string>();
        try
        {
            foreach (string name in names)
            {
                Library.ValeNewInterface(name);
                created.Add(name);
                Library.ValeAttach($"{sw}:{name}");
            }
            using NetmapPort v0 = Backend.OpenPort($"{sw}:{names[0]}");
            using NetmapPort v1 = Backend.OpenPort($"{sw}:{names[1]}");
            byte[][] frames = [Filled(4), Filled(5)];
            using (NetmapPort v2 = Backend.OpenPort($"{sw}:{names[2]}", Extra()))
            {
                Assert.That(v2.ExtraBuffers.Count, Is.EqualTo(Asked));
                SendFromExtraBuffers(v2, frames);
            }
            Assert.That(Received(v0), Is.EqualTo(frames));
            Assert.That(Received(v1), Is.EqualTo(frames));
        }
        finally
        {
            // Best effort: a persistent port that was opened can be neither detached nor deleted any
            // more on Linux 6.1 (see PersistentPorts).
            foreach (string name in created)
            {
                try { Library.ValeDetach($"{sw}:{name}"); } catch (NetmapException e) { TestContext.Out.WriteLine($"detach: {e.Message}"); }
                try { Library.ValeDeleteInterface(name); } catch (NetmapException e) { TestContext.Out.WriteLine($"delete: {e.Message}"); }
            }
        }
    }

    [Test]
    public void Frames_sent_from_extra_buffers_cross_a_pipe_in_those_very_buffers()
    {
        // utils/tests/006: pipeA}1 sends with extra buffers, pipeA{1 receives; a pipe shares the
        // slots, so the receiver reads the extra buffers themselves.
        string pipe = Unique("pipe");
        using NetmapPort master = Backend.OpenPort($"netmap:{pipe}{{1");
        using NetmapPort slave = Backend.OpenPort($"netmap:{pipe}}}1", Extra());
        byte[][] frames = [Filled(6), Filled(7), Filled(8)];

        uint[] sent = SendFromExtraBuffers(slave, frames);

        master.RxSync();
        NetmapRing rx = master.GetRxRing(0);
        Assert.That(rx.Space, Is.EqualTo(frames.Length));
        for (int i = 0; i < frames.Length; i++)
        {
            int slot = (rx.Head + i) % rx.SlotCount;
            Assert.That(rx[slot].BufferIndex, Is.EqualTo(sent[i]), $"frame {i} arrived in the extra buffer it was written to");
            Assert.That(rx.GetPacket(slot).ToArray(), Is.EqualTo(frames[i]));
        }
    }

    [Test]
    public void A_window_of_received_frames_kept_in_extra_buffers_is_sent_later_without_a_copy()
    {
        // What netmap's dedup does: received frames stay in a window of extra buffers (the RX slot
        // gets an empty extra buffer in exchange), and leave later by being swapped into TX slots.
        string pipe = Unique("win");
        using NetmapPort sender = Backend.OpenPort($"netmap:{pipe}{{1");
        using NetmapPort forwarder = Backend.OpenPort($"netmap:{pipe}}}1", Extra(4));
        byte[][] frames = [Numbered(10, 90), Numbered(11, 91), Numbered(12, 92)];
        NetmapRing senderTx = sender.GetTxRing(0);
        foreach (byte[] frame in frames) Assert.That(senderTx.TryWrite(frame), Is.True);
        sender.TxSync();

        forwarder.RxSync();
        NetmapRing rx = forwarder.GetRxRing(0);
        NetmapExtraBuffers pool = forwarder.ExtraBuffers;
        var window = new List<(uint Buffer, int Length)>();
        while (!rx.IsEmpty)
        {
            Assert.That(pool.TryRent(out uint empty), Is.True);
            int length = rx[rx.Head].Length;
            window.Add((pool.SwapWithSlot(rx, rx.Head, empty, 0), length));
            rx.Advance(1);
        }
        forwarder.RxSync();   // the RX slots go back to the kernel with the empty buffers
        Assert.That(window.Select(w => pool.GetBuffer(w.Buffer)[..w.Length].ToArray()), Is.EqualTo(frames), "the window holds the frames");

        NetmapRing tx = forwarder.GetTxRing(0);
        foreach ((uint buffer, int length) in window)
        {
            pool.Return(pool.SwapWithSlot(tx, tx.Head, buffer, length));
            tx.Advance(1);
        }
        forwarder.TxSync();
        sender.RxSync();
        NetmapRing returned = sender.GetRxRing(0);
        var got = new List<byte[]>();
        while (returned.TryRead(out ReadOnlySpan<byte> frame)) got.Add(frame.ToArray());
        Assert.That(got, Is.EqualTo(frames), "the frames went out of the window unchanged");
        Assert.That(pool.Available, Is.EqualTo(pool.Count));
    }

    [Test]
    public void The_pool_refuses_buffers_it_does_not_hold()
    {
        using NetmapPort port = Backend.OpenPort($"{UniqueSwitch()}:v0", Extra(2));
        NetmapExtraBuffers pool = port.ExtraBuffers;
        NetmapRing tx = port.GetTxRing(0);
        uint ringBuffer = tx[0].BufferIndex, slot1 = tx[1].BufferIndex;
        Assert.That(pool.TryRent(out uint held), Is.True);

        pool.Return(held);
        Assert.Throws<ArgumentException>(() => pool.Return(held), "returned twice");
        Assert.Throws<ArgumentException>(() => pool.Return(ringBuffer), "a ring's buffer was never handed out");
        Assert.Throws<ArgumentException>(() => pool.Return(uint.MaxValue), "outside the region");
        Assert.Throws<ArgumentException>(() => pool.GetBuffer(held), "a free buffer is not the caller's");
        Assert.Throws<ArgumentException>(() => pool.SwapWithSlot(tx, 0, held, 60), "a free buffer cannot go into a slot");
        Assert.That(pool.Available, Is.EqualTo(2));

        Assert.That(pool.TryRent(out uint mine), Is.True);
        Assert.That(pool.TryRent(out uint other), Is.True);
        tx[1].BufferIndex = other;   // a corrupt slot naming a buffer the pool owns
        Assert.Throws<InvalidOperationException>(() => pool.SwapWithSlot(tx, 1, mine, 60));
        Assert.That((pool.IsHeld(mine), pool.IsHeld(other)), Is.EqualTo((true, true)), "the refused swap changed nothing");
        tx[1].BufferIndex = slot1;   // the slot's own buffer again, for the kernel to free with the ring
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.SwapWithSlot(tx, 1, mine, port.BufferSize + 1));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void The_buffers_a_port_owns_at_close_go_back_to_the_kernel_for_the_next_registration(bool leaveByException)
    {
        // A holder keeps the VALE port (and so its allocator and ring 0) alive. A second registration
        // swaps some extra buffers into TX slots and closes, normally or through an exception: the
        // kernel frees the buffers its pool owned then (the slots' old buffers among them), and a
        // third registration, given the lowest free buffers, gets exactly those.
        string port = $"{UniqueSwitch()}:v0";
        using NetmapPort holder = Backend.OpenPort(port);
        uint[] ownedAtClose = [];
        try
        {
            using NetmapPort user = Backend.OpenPort(port, Extra());
            NetmapExtraBuffers pool = user.ExtraBuffers;
            NetmapRing tx = user.GetTxRing(0);
            uint[] rented = RentAll(pool);
            var owned = new HashSet<uint>(rented);
            for (int s = 0; s < 4; s++)
            {
                uint old = pool.SwapWithSlot(tx, s, rented[s], 0);
                owned.Remove(rented[s]);
                owned.Add(old);
            }
            Assert.That(pool.Available, Is.Zero, "every buffer is held; the port returns them all the same");
            ownedAtClose = [.. owned];
            if (leaveByException) throw new InvalidOperationException("the application failed");
        }
        catch (InvalidOperationException) when (leaveByException)
        {
        }

        using NetmapPort next = Backend.OpenPort(port, Extra());
        Assert.That(RentAll(next.ExtraBuffers), Is.EquivalentTo(ownedAtClose));
    }

    [Test]
    public void The_pool_of_a_disposed_port_is_unusable()
    {
        NetmapPort port = Backend.OpenPort($"{UniqueSwitch()}:v0", Extra(1));
        NetmapExtraBuffers pool = port.ExtraBuffers;
        Assert.That(pool.TryRent(out uint held), Is.True);
        port.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pool.TryRent(out _));
        Assert.Throws<ObjectDisposedException>(() => pool.GetBuffer(held));
    }

    private static byte[][] Received(NetmapPort port)
    {
        port.RxSync();
        NetmapRing rx = port.GetRxRing(0);
        var frames = new List<byte[]>();
        while (rx.TryRead(out ReadOnlySpan<byte> frame)) frames.Add(frame.ToArray());
        port.RxSync();
        return [.. frames];
    }
}
