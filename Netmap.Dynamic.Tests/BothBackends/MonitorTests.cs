using System.Buffers.Binary;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// Rules of monitor ports (<c>/t</c>, <c>/r</c>, <c>/z</c>), as netmap_monitor.c implements them and
/// the kernel showed them: a monitor opens on a port in netmap mode, has one TX ring (that sends
/// nothing) and an RX ring per ring of its parent; a copy monitor gets a copy of each frame when it
/// passes (TX at the sender's sync, RX on arrival), a zero-copy monitor takes each frame's buffer
/// once the port is done with it.
/// </summary>
public sealed class MonitorTests(BackendKind kind) : TwoBackendTest(kind)
{
    [Test]
    public void A_monitor_of_a_port_that_is_not_in_netmap_mode_is_refused_with_EINVAL()
    {
        string pipe = Unique("mo");
        NetmapException alone = Assert.Throws<NetmapException>(() => Backend.OpenPort($"netmap:{pipe}{{1/t"))!;
        using NetmapPort slave = Backend.OpenPort($"netmap:{pipe}}}1");
        NetmapException peerOnly = Assert.Throws<NetmapException>(() => Backend.OpenPort($"netmap:{pipe}{{1/r"))!;
        Assert.That((alone.Errno, peerOnly.Errno), Is.EqualTo((Errno.EINVAL, Errno.EINVAL)), "the other end being open does not count");
    }

    [Test]
    public void A_copy_monitor_has_its_own_memory_one_TX_ring_and_an_RX_ring_for_each_ring_of_its_parent()
    {
        string pipe = Unique("mo");
        using NetmapPort a = Backend.OpenPort($"netmap:{pipe}{{1@conf:tx_rings=2,rx_rings=3,slots=256");
        using NetmapPort b = Backend.OpenPort($"netmap:{pipe}}}1");
        using NetmapPort m = Backend.OpenPort($"netmap:{pipe}{{1/rt");
        using NetmapPort sized = Backend.OpenPort($"netmap:{pipe}{{1/t@conf:tx_slots=4,rx_slots=16");
        using NetmapPort one = Backend.OpenPort($"netmap:{pipe}{{1-1/t");

        Assert.Multiple(() =>
        {
            Assert.That(m.MemId, Is.Not.EqualTo(a.MemId));
            Assert.That((m.TxRingCount, m.RxRingCount, m.HostTxRingCount, m.HostRxRingCount), Is.EqualTo((1, 3, 0, 0)));
            Assert.That((m.TxSlots, m.RxSlots), Is.EqualTo((256, 256)), "the parent's slots by default");
            Assert.That((sized.TxSlots, sized.RxSlots), Is.EqualTo((4, 16)), "or what @conf asks");
            Assert.That((one.FirstTxRing, one.LastTxRing, one.FirstRxRing, one.LastRxRing), Is.EqualTo((0, 1, 1, 2)),
                "ring pair 1: the monitor's only TX ring stands in for TX ring 1");
        });
    }

    [Test]
    public void A_TX_monitor_sees_each_frame_at_the_senders_sync_flagged_NS_TXMON()
    {
        (NetmapPort a, NetmapPort b) = Pipe(out string pipe);
        using (a)
        using (b)
        using (NetmapPort m = Backend.OpenPort($"netmap:{pipe}{{1/t"))
        {
            byte[][] frames = [Frame(1), Frame(2), Frame(3)];
            Send(a, frames);
            NetmapRing r = m.GetRxRing(0);
            Assert.That(r.Tail, Is.Zero, "nothing before the monitor's own sync");

            m.RxSync();

            Assert.That(r.Tail, Is.EqualTo(3));
            for (int i = 0; i < 3; i++)
            {
                Assert.That(r.GetPacket(i).ToArray(), Is.EqualTo(frames[i]), $"frame {i}");
                Assert.That(r[i].Flags, Is.EqualTo(NetmapSlotFlags.NS_TXMON));
            }
        }
    }

    [Test]
    public void An_RX_monitor_sees_a_frame_as_it_arrives_before_the_receiver_syncs()
    {
        (NetmapPort a, NetmapPort b) = Pipe(out string pipe);
        using (a)
        using (b)
        using (NetmapPort m = Backend.OpenPort($"netmap:{pipe}}}1/r"))
        {
            Send(a, Frame(1), Frame(2));
            m.RxSync();

            NetmapRing r = m.GetRxRing(0);
            Assert.Multiple(() =>
            {
                Assert.That(b.GetRxRing(0).Tail, Is.Zero, "the receiver has not synced");
                Assert.That(r.Tail, Is.EqualTo(2));
                Assert.That(r.GetPacket(1).ToArray(), Is.EqualTo(Frame(2)));
                Assert.That(r[0].Flags, Is.EqualTo(NetmapSlotFlags.None), "received, not transmitted");
            });
        }
    }

    [Test]
    public void A_monitor_of_both_directions_sees_the_ports_traffic_in_the_order_it_passed()
    {
        (NetmapPort a, NetmapPort b) = Pipe(out string pipe);
        using (a)
        using (b)
        using (NetmapPort m = Backend.OpenPort($"netmap:{pipe}{{1/rt"))
        {
            Send(a, Frame(1));
            Send(b, Frame(2));
            a.RxSync();
            Send(a, Frame(3));
            Send(b, Frame(4));
            Send(a, Frame(5));
            m.RxSync();

            NetmapRing r = m.GetRxRing(0);
            Assert.That(r.Tail, Is.EqualTo(5));
            for (int i = 0; i < 5; i++)
            {
                bool sent = i % 2 == 0;
                Assert.That(r.GetPacket(i).ToArray(), Is.EqualTo(Frame((byte)(i + 1))), $"frame {i + 1}");
                Assert.That(r[i].Flags, Is.EqualTo(sent ? NetmapSlotFlags.NS_TXMON : NetmapSlotFlags.None), $"frame {i + 1} direction");
            }
        }
    }

    [Test]
    public void A_copy_monitor_keeps_a_frame_as_it_was_when_it_passed()
    {
        (NetmapPort a, NetmapPort b) = Pipe(out string pipe);
        using (a)
        using (b)
        using (NetmapPort m = Backend.OpenPort($"netmap:{pipe}}}1/r"))
        {
            Send(a, Frame(1));
            b.RxSync();
            b.GetRxRing(0).GetBuffer(0)[20] = 0xEE;   // the receiver changes the frame in place
            m.RxSync();
            Assert.That(m.GetRxRing(0).GetPacket(0).ToArray(), Is.EqualTo(Frame(1)));
        }
    }

    [Test]
    public void A_monitor_with_too_few_free_slots_keeps_the_newest_frames_of_a_burst()
    {
        (NetmapPort a, NetmapPort b) = Pipe(out string pipe);
        using (a)
        using (b)
        using (NetmapPort m = Backend.OpenPort($"netmap:{pipe}{{1/t@conf:slots=8"))
        {
            Send(a, [.. Enumerable.Range(1, 12).Select(i => Frame((byte)i))]);
            m.RxSync();
            NetmapRing r = m.GetRxRing(0);
            Assert.That(r.Tail, Is.EqualTo(7), "8 slots hold 7 frames");
            for (int i = 0; i < 7; i++)
                Assert.That(r.GetPacket(i).ToArray(), Is.EqualTo(Frame((byte)(i + 6))), "frames 6 to 12");

            Send(a, Frame(13));
            m.RxSync();
            Assert.That(r.Tail, Is.EqualTo(7), "a full monitor loses what comes");
        }
    }

    [Test]
    public void A_monitor_cannot_transmit_and_a_poll_for_transmit_reports_an_error()
    {
        (NetmapPort a, NetmapPort b) = Pipe(out string pipe);
        using (a)
        using (b)
        using (NetmapPort m = Backend.OpenPort($"netmap:{pipe}{{1/t"))
        {
            Assert.That(m.Poll(NetmapPollEvents.Receive, TimeSpan.Zero), Is.EqualTo(NetmapPollEvents.None), "an idle TX ring is not synced");
            NetmapRing tx = m.GetTxRing(0);
            int tail = tx.Tail;
            Assert.That(tx.TryWrite(Frame(9)), Is.True);
            m.TxSync();
            b.RxSync();
            Assert.Multiple(() =>
            {
                Assert.That(tx.Tail, Is.EqualTo(tail), "the monitor's TX sync does nothing");
                Assert.That(b.GetRxRing(0).Tail, Is.Zero, "nothing reached the peer");
                Assert.That(m.Poll(NetmapPollEvents.Transmit, TimeSpan.Zero), Is.EqualTo(NetmapPollEvents.Transmit | NetmapPollEvents.Error));
            });
        }
    }

    [Test]
    public void A_monitor_stops_seeing_traffic_once_its_port_leaves_netmap_mode()
    {
        (NetmapPort a, NetmapPort b) = Pipe(out string pipe);
        using (a)
        using (NetmapPort m = Backend.OpenPort($"netmap:{pipe}}}1/r"))
        {
            b.Dispose();
            using NetmapPort again = Backend.OpenPort($"netmap:{pipe}}}1");
            Send(a, Frame(1));
            again.RxSync();
            m.RxSync();
            Assert.That(again.GetRxRing(0).Tail, Is.EqualTo(1), "the port itself receives");
            Assert.That(m.GetRxRing(0).Tail, Is.Zero, "the monitor of its earlier registration does not");
        }
    }

    [Test]
    public void A_monitor_of_a_VALE_port_sees_what_it_sends_and_what_it_receives()
    {
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a");
        using NetmapPort b = Backend.OpenPort($"{sw}:b");
        using NetmapPort m = Backend.OpenPort($"{sw}:a/rt");

        Send(a, Frame(1));
        Send(b, Frame(2));
        m.RxSync();

        NetmapRing r = m.GetRxRing(0);
        Assert.That(r.Tail, Is.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That((r.GetPacket(0).ToArray(), r[0].Flags), Is.EqualTo((Frame(1), NetmapSlotFlags.NS_TXMON)));
            Assert.That(r.GetPacket(1).ToArray(), Is.EqualTo(Frame(2)));
            Assert.That(r[1].FragmentCount, Is.EqualTo(1), "the switch's fragment count comes along");
        });
    }

    [Test]
    public void A_monitor_sees_a_multi_slot_packet_with_its_fragment_flags()
    {
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a");
        using NetmapPort b = Backend.OpenPort($"{sw}:b");
        using NetmapPort m = Backend.OpenPort($"{sw}:b/r");
        byte[] jumbo = Frame(5000, 3);

        Assert.That(a.GetTxRing(0).TryWritePacket(jumbo), Is.True);
        a.TxSync();
        m.RxSync();

        NetmapRing r = m.GetRxRing(0);
        Assert.That(r.TryPeekPacket(out NetmapPacket packet), Is.True);
        Assert.That((packet.SlotCount, r[0].FragmentCount), Is.EqualTo((3, 3)));
        byte[] copy = new byte[packet.Length];
        packet.CopyTo(copy);
        Assert.That(copy, Is.EqualTo(jumbo));
    }

    [Test]
    public void A_copy_monitor_takes_offsets_and_a_zero_copy_monitor_refuses_them_with_EOPNOTSUPP()
    {
        (NetmapPort a, NetmapPort b) = Pipe(out string pipe);
        using (a)
        using (b)
        using (NetmapPort copy = Backend.OpenPort($"netmap:{pipe}{{1/t@offset=64"))
        {
            NetmapException e = Assert.Throws<NetmapException>(() => Backend.OpenPort($"netmap:{pipe}{{1/z@offset=64"))!;
            Assert.That(e.Errno, Is.EqualTo(Errno.EOPNOTSUPP));

            Send(a, Frame(1));
            copy.RxSync();
            NetmapRing r = copy.GetRxRing(0);
            Assert.That(r.GetOffset(0), Is.EqualTo(64));
            Assert.That(r.GetPacketAtOffset(0).ToArray(), Is.EqualTo(Frame(1)), "copied to the monitor slot's offset");
        }
    }

    [Test]
    public void A_zero_copy_monitor_shares_its_ports_memory_and_takes_a_sent_frame_only_once_its_slot_is_released()
    {
        (NetmapPort a, NetmapPort b) = Pipe(out string pipe);
        using (a)
        using (b)
        using (NetmapPort m = Backend.OpenPort($"netmap:{pipe}{{1/z"))
        {
            Assert.That(m.MemId, Is.EqualTo(a.MemId));
            NetmapRing tx = a.GetTxRing(0), rx = b.GetRxRing(0), r = m.GetRxRing(0);
            Send(a, Frame(1), Frame(2));
            uint[] sentBuffers = [tx[0].BufferIndex, tx[1].BufferIndex];

            m.RxSync();
            Assert.That(r.Tail, Is.Zero, "a pipe's TX slot is not released at the send");
            b.RxSync();
            rx.Advance(2);
            b.RxSync();
            m.RxSync();
            Assert.That(r.Tail, Is.Zero, "released by the receiver, but the sender has not synced again");

            a.TxSync();   // the sender's tail moves past the released slots: now the monitor takes them
            m.RxSync();
            Assert.That(r.Tail, Is.EqualTo(2));
            Assert.Multiple(() =>
            {
                Assert.That((r[0].BufferIndex, r[1].BufferIndex), Is.EqualTo((sentBuffers[0], sentBuffers[1])), "the very buffers");
                Assert.That(r.GetPacket(1).ToArray(), Is.EqualTo(Frame(2)));
                Assert.That(r[0].Flags, Is.EqualTo(NetmapSlotFlags.NS_TXMON));
                Assert.That(tx[0].BufferIndex, Is.Not.EqualTo(sentBuffers[0]), "the sender got the monitor's buffer");
                Assert.That(tx[0].Flags & NetmapSlotFlags.NS_BUF_CHANGED, Is.EqualTo(NetmapSlotFlags.NS_BUF_CHANGED));
            });
        }
    }

    [Test]
    public void A_zero_copy_monitor_takes_a_received_frame_when_the_receiver_gives_it_back_with_its_changes()
    {
        (NetmapPort a, NetmapPort b) = Pipe(out string pipe);
        using (a)
        using (b)
        using (NetmapPort m = Backend.OpenPort($"netmap:{pipe}}}1/z"))
        {
            NetmapRing rx = b.GetRxRing(0), r = m.GetRxRing(0);
            Send(a, Frame(1));
            b.RxSync();
            uint received = rx[0].BufferIndex;
            rx.GetBuffer(0)[20] = 0xEE;
            m.RxSync();
            Assert.That(r.Tail, Is.Zero, "not while the receiver holds it");

            rx.Advance(1);
            b.RxSync();
            m.RxSync();
            byte[] expected = Frame(1);
            expected[20] = 0xEE;
            Assert.Multiple(() =>
            {
                Assert.That(r.Tail, Is.EqualTo(1));
                Assert.That(r[0].BufferIndex, Is.EqualTo(received));
                Assert.That(r.GetPacket(0).ToArray(), Is.EqualTo(expected), "with the receiver's change");
                Assert.That(r[0].Flags, Is.EqualTo(NetmapSlotFlags.None));
                Assert.That(rx[0].BufferIndex, Is.Not.EqualTo(received), "the receiver's slot has the monitor's old buffer");
            });
        }
    }

    [Test]
    public void On_VALE_a_zero_copy_monitor_takes_a_sent_frame_at_the_senders_sync()
    {
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a");
        using NetmapPort b = Backend.OpenPort($"{sw}:b");
        using NetmapPort m = Backend.OpenPort($"{sw}:a/z");
        NetmapRing tx = a.GetTxRing(0);
        uint sent = tx[0].BufferIndex;

        Send(a, Frame(1));   // a VALE TX sync completes at once: the slot is released in the same sync
        m.RxSync();

        NetmapRing r = m.GetRxRing(0);
        Assert.Multiple(() =>
        {
            Assert.That(r.Tail, Is.EqualTo(1));
            Assert.That((r[0].BufferIndex, r[0].Flags), Is.EqualTo((sent, NetmapSlotFlags.NS_TXMON)));
            Assert.That(r.GetPacket(0).ToArray(), Is.EqualTo(Frame(1)));
            Assert.That(tx[0].Flags & NetmapSlotFlags.NS_BUF_CHANGED, Is.EqualTo(NetmapSlotFlags.NS_BUF_CHANGED));
        });
    }

    [Test]
    public void A_second_zero_copy_monitor_takes_what_the_first_one_gives_back()
    {
        (NetmapPort a, NetmapPort b) = Pipe(out string pipe);
        using (a)
        using (b)
        using (NetmapPort first = Backend.OpenPort($"netmap:{pipe}}}1/z"))
        using (NetmapPort second = Backend.OpenPort($"netmap:{pipe}}}1/z"))
        {
            Send(a, Frame(1));
            b.RxSync();
            b.GetRxRing(0).Advance(1);
            b.RxSync();
            first.RxSync();
            second.RxSync();
            Assert.That((first.GetRxRing(0).Tail, second.GetRxRing(0).Tail), Is.EqualTo((1, 0)));

            first.GetRxRing(0).Advance(1);
            first.RxSync();
            second.RxSync();
            Assert.That(second.GetRxRing(0).Tail, Is.EqualTo(1));
            Assert.That(second.GetRxRing(0).GetPacket(0).ToArray(), Is.EqualTo(Frame(1)));
        }
    }

    [Test]
    [Category(NicTests.Category)]
    public void A_monitor_of_a_NIC_sees_what_it_sends_to_the_wire_and_what_it_receives_from_it()
    {
        using TestHostStack stack = TestHostStack.Create(Backend, Unique("nm"));
        using NetmapPort nic = Backend.OpenPort($"netmap:{stack.Interface}");
        using NetmapPort m = Backend.OpenPort($"netmap:{stack.Interface}/rt");
        Assert.That((m.TxRingCount, m.RxRingCount, m.HostRxRingCount), Is.EqualTo((1, nic.RxRingCount, 1)), "host rings like its parent");

        Send(nic, Frame(1));
        stack.Link.SendFromWire(Frame(2));
        Assert.That(nic.Poll(NetmapPollEvents.Receive, Guard) & NetmapPollEvents.Receive, Is.EqualTo(NetmapPollEvents.Receive));
        m.RxSync();

        List<(byte[] Frame, NetmapSlotFlags Flags)> seen = [];
        TakeTestFrames(m.GetRxRing(0), seen);
        Assert.That(seen, Is.EqualTo(new[] { (Frame(1), NetmapSlotFlags.NS_TXMON), (Frame(2), NetmapSlotFlags.None) }));
    }

    [Test]
    [Category(NicTests.Category)]
    public void A_zero_copy_monitor_of_a_NIC_takes_the_buffers_the_NIC_released_in_both_directions()
    {
        using TestHostStack stack = TestHostStack.Create(Backend, Unique("nm"));
        using NetmapPort nic = Backend.OpenPort($"netmap:{stack.Interface}");
        using NetmapPort m = Backend.OpenPort($"netmap:{stack.Interface}/z");
        Assert.That(m.MemId, Is.EqualTo(nic.MemId), "the NIC's memory");
        NetmapRing tx = nic.GetTxRing(0), rx = nic.GetRxRing(0), r = m.GetRxRing(0);
        uint sent = tx[tx.Head].BufferIndex;

        Send(nic, Frame(1));
        stack.Link.SendFromWire(Frame(2));
        Assert.That(nic.Poll(NetmapPollEvents.Receive, Guard) & NetmapPollEvents.Receive, Is.EqualTo(NetmapPollEvents.Receive));
        // The receiver gives back every slot it got (ours and whatever the stack of a veth adds).
        uint received = NoBuffer;
        for (int i = rx.Head; i != rx.Tail; i = rx.Next(i))
        {
            if (rx.GetPacket(i).SequenceEqual(Frame(2)))
                received = rx[i].BufferIndex;
        }
        Assert.That(received, Is.Not.EqualTo(NoBuffer), "the frame from the wire arrived");
        rx.Advance(rx.Space);

        // The generic adapter completes a transmission when the driver frees the frame: sync until
        // the monitor holds both frames (a TX sync reclaims completed slots), bounded by Guard.
        List<(byte[] Frame, NetmapSlotFlags Flags)> seen = [];
        List<uint> buffers = [];
        DateTime deadline = DateTime.UtcNow + Guard;
        nic.RxSync();
        while (seen.Count < 2 && DateTime.UtcNow < deadline)
        {
            nic.TxSync();
            m.RxSync();
            TakeTestFrames(r, seen, buffers);
        }
        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.EquivalentTo(new[] { (Frame(1), NetmapSlotFlags.NS_TXMON), (Frame(2), NetmapSlotFlags.None) }));
            Assert.That(buffers, Is.EquivalentTo(new[] { sent, received }), "the very buffers the NIC released, swapped, not copied");
        });
    }

    private const uint NoBuffer = uint.MaxValue;

    /// <summary>
    /// Moves the frames of this test (EtherType 0x88b5) from a monitor's ring into <paramref name="seen"/>
    /// with their NS_TXMON flag (and their buffer indexes into <paramref name="buffers"/>), and releases
    /// every slot: the stack of a real interface adds its own frames (IPv6 neighbour discovery).
    /// </summary>
    private static void TakeTestFrames(NetmapRing r, List<(byte[] Frame, NetmapSlotFlags Flags)> seen, List<uint>? buffers = null)
    {
        while (r.TryPeekPacket(out NetmapPacket packet))
        {
            byte[] frame = r.GetPacket(packet.FirstSlot).ToArray();
            if (frame.Length >= 14 && BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)) == 0x88b5)
            {
                seen.Add((frame, r[packet.FirstSlot].Flags & NetmapSlotFlags.NS_TXMON));
                buffers?.Add(r[packet.FirstSlot].BufferIndex);
            }
            r.Advance(packet.SlotCount);
        }
    }

    private (NetmapPort A, NetmapPort B) Pipe(out string name)
    {
        name = Unique("mo");
        NetmapPort a = Backend.OpenPort($"netmap:{name}{{1");
        return (a, Backend.OpenPort($"netmap:{name}}}1"));
    }

    /// <summary>A 60-byte frame that tells its tag by its every payload byte.</summary>
    private static byte[] Frame(byte tag) => Frame(60, tag);

    /// <summary>A broadcast frame of <paramref name="length"/> bytes whose payload tells its tag.</summary>
    private static byte[] Frame(int length, byte tag) => KernelFrames.Ethernet(KernelFrames.Broadcast, KernelFrames.Mac(1), tag, length);

    /// <summary>Writes the frames on TX ring 0 and syncs once.</summary>
    private static void Send(NetmapPort port, params byte[][] frames)
    {
        NetmapRing tx = port.GetTxRing(port.FirstTxRing);
        foreach (byte[] frame in frames)
            Assert.That(tx.TryWrite(frame), Is.True);
        port.TxSync();
    }
}
