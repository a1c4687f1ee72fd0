using System.Text.Json;
using Netmap.Dynamic.Fake;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.Fake;

/// <summary>VALE: the kernel's exp6 replayed, plus flooding to several ports and drops.</summary>
public class FakeValeTests
{
    private static readonly byte[] s_broadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

    private static byte[] Mac(byte last) => [0x02, 0, 0, 0, 0, last];

    private static byte[] Frame(byte[] destination, byte[] source, byte tag, int length = 60)
    {
        byte[] frame = new byte[length];
        destination.CopyTo(frame, 0);
        source.CopyTo(frame, 6);
        if (length >= 14) (frame[12], frame[13]) = ((byte)0x88, (byte)0xb5);
        for (int i = 14; i < length; i++) frame[i] = (byte)(tag + i);
        return frame;
    }

    private static (uint, uint, uint) State(NetmapRing ring) => (ring.Head, ring.Cur, ring.Tail);

    [Test]
    public void Exp6_learning_bridge_copies_and_completes_tx_at_once()
    {
        JsonElement facts = KernelFacts.Root.GetProperty("exp6_vale");
        using var backend = new FakeNetmapBackend();
        using NetmapPort a = backend.OpenPort("vale0:a");
        using NetmapPort b = backend.OpenPort("vale0:b");
        Assert.That(State(a.GetTxRing(0)), Is.EqualTo(facts.GetProperty("a_tx_initial").State()));
        Assert.That(State(b.GetRxRing(0)), Is.EqualTo(facts.GetProperty("b_rx_initial").State()));

        byte[] macA = Mac(0x0a), macB = Mac(0x0b);
        Step(facts.GetProperty("broadcast_a_to_all"), a, b, Frame(s_broadcast, macA, 1));
        Step(facts.GetProperty("unicast_unknown_dst_from_a"), a, b, Frame(Mac(0x99), macA, 2));
        Step(facts.GetProperty("unicast_from_b_to_a_learned"), b, a, Frame(macA, macB, 3));
        Step(facts.GetProperty("unicast_from_a_to_b_learned"), a, b, Frame(macB, macA, 4));
        Step(facts.GetProperty("unicast_from_a_to_own_mac"), a, b, Frame(macA, macA, 5));
    }

    /// <summary>One exp6 step: sender sends one frame; the other port's RX and the sender's own RX are checked.</summary>
    private static void Step(JsonElement facts, NetmapPort sender, NetmapPort receiver, byte[] frame)
    {
        NetmapRing tx = sender.GetTxRing(0);
        NetmapRing rx = receiver.GetRxRing(0);
        uint txSlot = tx.Head;
        Assert.That(txSlot, Is.EqualTo(facts.U("tx_slot")));
        Assert.That(tx[txSlot].BufferIndex, Is.EqualTo(facts.U("tx_buf_idx")));
        Assert.That(tx.TryWrite(frame), Is.True);
        Assert.That(State(tx), Is.EqualTo(facts.GetProperty("tx_before_txsync").State()));
        sender.TxSync();
        Assert.That(State(tx), Is.EqualTo(facts.GetProperty("tx_after_txsync").State()), "VALE TX completes at once: tail = head - 1");
        Assert.That(tx[txSlot].BufferIndex, Is.EqualTo(facts.U("tx_slot_buf_idx_after")));
        Assert.That((uint)tx[txSlot].Flags, Is.EqualTo(facts.Hex("tx_slot_flags_after")));

        receiver.RxSync();
        Assert.That(State(rx), Is.EqualTo(facts.GetProperty("rx_after_rxsync").State()));
        Assert.That(rx.Space, Is.EqualTo(facts.U("rx_frames_available")));
        if (facts.GetProperty("received").GetBoolean())
        {
            JsonElement slotFacts = facts.GetProperty("rx_slot");
            ref NetmapSlot slot = ref rx[rx.Head];
            Assert.That(rx.Head, Is.EqualTo(slotFacts.U("i")));
            Assert.That(slot.BufferIndex, Is.EqualTo(slotFacts.U("buf_idx")), "the receiver's own buffer: copied");
            Assert.That((uint)slot.Length, Is.EqualTo(facts.U("rx_len")));
            Assert.That((uint)slot.Flags, Is.EqualTo(slotFacts.Hex("flags")), "NS_RFRAGS = 1 in the high byte");
            Assert.That(slot.FragmentCount, Is.EqualTo(1));
            Assert.That(rx.GetPacket(rx.Head).ToArray(), Is.EqualTo(frame));
            rx.Advance(1);
        }
        sender.RxSync();
        Assert.That(sender.GetRxRing(0).Space, Is.EqualTo(facts.U("sender_own_rx_frames_available")), "never back to the sender");
    }

    [Test]
    public void Broadcast_floods_every_other_port_and_learned_unicast_reaches_only_its_port()
    {
        using var backend = new FakeNetmapBackend();
        NetmapPort[] ports = [.. Enumerable.Range(0, 4).Select(i => backend.OpenPort($"vale1:p{i}"))];
        try
        {
            Send(ports[1], Frame(s_broadcast, Mac(1), 7));   // p1 learned
            Assert.That(Received(ports), Is.EqualTo(new[] { 1, 0, 1, 1 }));
            Send(ports[2], Frame(Mac(1), Mac(2), 8));   // to p1 only; p2 learned
            Assert.That(Received(ports), Is.EqualTo(new[] { 0, 1, 0, 0 }));
            Send(ports[0], Frame([0x01, 0, 0x5e, 0, 0, 1], Mac(3), 9));   // multicast floods
            Assert.That(Received(ports), Is.EqualTo(new[] { 0, 1, 1, 1 }));
            Send(ports[3], Frame(Mac(2), Mac(4), 10, length: 13));   // runt: dropped
            Assert.That(Received(ports), Is.EqualTo(new[] { 0, 0, 0, 0 }));
        }
        finally
        {
            foreach (NetmapPort port in ports) port.Dispose();
        }
    }

    [Test]
    public void A_full_receiver_loses_frames_and_the_sender_never_stalls()
    {
        using var backend = new FakeNetmapBackend();
        using NetmapPort a = backend.OpenPort("vale2:a@conf:slots=16");
        using NetmapPort b = backend.OpenPort("vale2:b@conf:slots=16");
        for (int i = 0; i < 40; i++) Send(a, Frame(s_broadcast, Mac(1), (byte)i));
        b.RxSync();
        Assert.That(b.GetRxRing(0).Space, Is.EqualTo(15), "N-1 frames wait; the rest were dropped by the switch");
        Assert.That(b.GetRxRing(0).GetPacket(b.GetRxRing(0).Head)[14], Is.EqualTo((byte)(0 + 14)), "the first frames are the ones kept");
    }

    [Test]
    public void DropFrames_loses_the_next_frames_in_flight()
    {
        using var backend = new FakeNetmapBackend();
        using NetmapPort a = backend.OpenPort("vale3:a");
        using NetmapPort b = backend.OpenPort("vale3:b");
        backend.DropFrames("vale3:a", 2);
        for (int i = 0; i < 5; i++) Send(a, Frame(s_broadcast, Mac(1), (byte)i));
        b.RxSync();
        NetmapRing rx = b.GetRxRing(0);
        Assert.That(rx.Space, Is.EqualTo(3));
        Assert.That(rx.GetPacket(rx.Head)[14], Is.EqualTo((byte)(2 + 14)), "frames 0 and 1 were lost");
        Assert.That(a.GetTxRing(0).Space, Is.EqualTo(a.GetTxRing(0).SlotCount - 1), "the sender saw every frame complete");
        Assert.Throws<NotSupportedException>(() => backend.DropFrames("pipe{1", 1));
    }

    [Test]
    public void Vale_ports_and_switches_go_away_with_their_last_user()
    {
        using var backend = new FakeNetmapBackend();
        NetmapPort a = backend.OpenPort("vale5:a");
        Assert.That(backend.GetPortInfo("vale5:a").MemId, Is.EqualTo(a.MemId));
        Assert.That(backend.AllocatedRegions, Is.EqualTo(1));
        a.Dispose();
        Assert.That((backend.AllocatedRegions, backend.RegistryEntries), Is.EqualTo((0, 0)));
        // Port info creates nothing that stays (the kernel makes the port to answer, then drops it).
        Assert.That(backend.GetPortInfo("vale5:a").TxSlots, Is.EqualTo(1024));
        Assert.That((backend.AllocatedRegions, backend.RegistryEntries), Is.EqualTo((0, 0)));
    }

    private static void Send(NetmapPort port, byte[] frame)
    {
        Assert.That(port.GetTxRing(0).TryWrite(frame), Is.True);
        port.TxSync();
    }

    /// <summary>Frames waiting at each port (then released).</summary>
    private static int[] Received(NetmapPort[] ports) => ports.Select(p =>
    {
        p.RxSync();
        NetmapRing rx = p.GetRxRing(0);
        int count = (int)rx.Space;
        rx.Advance(rx.Space);
        p.RxSync();
        return count;
    }).ToArray();

    [Test]
    public void Two_threads_through_a_switch_lose_only_what_a_full_ring_drops_and_keep_order()
    {
        using var backend = new FakeNetmapBackend();
        using NetmapPort a = backend.OpenPort("vale6:a@conf:slots=256");
        using NetmapPort b = backend.OpenPort("vale6:b@conf:slots=256");
        using NetmapPort c = backend.OpenPort("vale6:c@conf:slots=256");   // a bystander that must see nothing after learning
        Send(b, Frame(s_broadcast, Mac(0xb), 0));   // the switch learns b
        Received([a, b, c]);
        const int count = 200_000;
        long received = 0, last = -1;
        bool ordered = true;
        using var done = new CancellationTokenSource();
        Task receiver = Task.Factory.StartNew(() =>
        {
            NetmapRing rx = b.GetRxRing(0);
            while (!done.IsCancellationRequested)
            {
                b.Poll(NetmapPollEvents.Receive, TimeSpan.FromMilliseconds(50));
                while (rx.TryRead(out ReadOnlySpan<byte> frame))
                {
                    long sequence = BitConverter.ToInt64(frame[14..]);
                    ordered &= sequence > last;
                    last = sequence;
                    received++;
                }
            }
        }, TaskCreationOptions.LongRunning);
        NetmapRing tx = a.GetTxRing(0);
        byte[] frame = Frame(Mac(0xb), Mac(0xa), 0);
        for (long i = 0; i < count;)
        {
            BitConverter.TryWriteBytes(frame.AsSpan(14), i);
            if (tx.TryWrite(frame)) i++;
            else a.TxSync();
        }
        a.TxSync();
        done.Cancel();
        Assert.That(receiver.Wait(TimeSpan.FromSeconds(30)), Is.True);
        // The receiver stopped; collect what the switch delivered after its last sync.
        NetmapRing rest = b.GetRxRing(0);
        b.RxSync();
        while (rest.TryRead(out ReadOnlySpan<byte> late))
        {
            long sequence = BitConverter.ToInt64(late[14..]);
            ordered &= sequence > last;
            last = sequence;
            received++;
        }
        Assert.That(ordered, Is.True, "frames keep their order");
        Assert.That(received + backend.ValeReceiveDrops("vale6:b"), Is.EqualTo(count), "every frame is received or counted as dropped");
        Assert.That(received, Is.GreaterThan(0));
        Assert.That(Received([c]), Is.EqualTo(new[] { 0 }), "learned unicast never reached the bystander");
    }
}
