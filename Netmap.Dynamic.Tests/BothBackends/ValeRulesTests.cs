using System.Text.Json;
using Netmap.Dynamic.Tests.Fake;
using static Netmap.Dynamic.Tests.BothBackends.KernelFrames;
using static Netmap.Dynamic.Tests.BothBackends.ValeTraffic;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// A VALE switch: a learning bridge that copies frames between ports, each port with its own memory.
/// Every test uses a switch of its own, so the learning table starts empty. Which ring a frame
/// lands on and the learning table's details: <see cref="ValeForwardingTests"/>.
/// </summary>
public sealed class ValeRulesTests(BackendKind kind) : TwoBackendTest(kind)
{
    /// <summary>Ports p0..pN-1 of one switch; disposing the group closes them all.</summary>
    private sealed class ValeGroup(NetmapPort[] ports) : IDisposable
    {
        public NetmapPort[] Ports { get; } = ports;

        public NetmapPort this[int index] => Ports[index];

        public void Dispose()
        {
            foreach (NetmapPort port in Ports) port.Dispose();
        }
    }

    private ValeGroup OpenPorts(int count, string conf = "")
    {
        string sw = UniqueSwitch();
        var ports = new List<NetmapPort>();
        try
        {
            for (int i = 0; i < count; i++) ports.Add(Backend.OpenPort($"{sw}:p{i}{conf}"));
            return new ValeGroup([.. ports]);
        }
        catch
        {
            foreach (NetmapPort port in ports) port.Dispose();
            throw;
        }
    }

    [Test]
    public void Each_vale_port_has_a_region_of_its_own()
    {
        using ValeGroup p = OpenPorts(2);
        Assert.That(p[0].MemId, Is.Not.EqualTo(p[1].MemId));
        Assert.That(p[0].GetRxRing(0).SharesMemoryWith(p[1].GetTxRing(0)), Is.False);
    }

    [Test]
    public void A_vale_tx_sync_completes_at_once_and_the_frame_is_copied_into_the_receivers_buffer()
    {
        using ValeGroup p = OpenPorts(2);
        NetmapRing tx = p[0].GetTxRing(0), rx = p[1].GetRxRing(0);
        uint txBuffer = tx[tx.Head].BufferIndex;
        byte[] frame = Ethernet(Broadcast, Mac(0xa), 1);
        Assert.That(tx.TryWrite(frame), Is.True);

        p[0].TxSync();
        Assert.That(State(tx), Is.EqualTo((1, 1, 0)), "tail = head - 1: the slot is free again at once");
        Assert.That(tx[0].BufferIndex, Is.EqualTo(txBuffer), "the sender keeps its buffer");
        tx.GetBuffer(0).Clear();   // the sender reuses its buffer: the receiver's copy must not change

        p[1].RxSync();
        Assert.That(rx.Space, Is.EqualTo(1));
        ref NetmapSlot slot = ref rx[rx.Head];
        Assert.That((uint)slot.Flags, Is.EqualTo(0x100u), "NS_RFRAGS: one fragment, in the high byte");
        Assert.That(slot.FragmentCount, Is.EqualTo(1));
        Assert.That(rx.GetPacket(rx.Head).ToArray(), Is.EqualTo(frame));
    }

    [Test]
    public void Broadcast_and_multicast_flood_every_other_port_but_never_the_sender()
    {
        // netmap's utils/tests/021: one sender, every other port receives.
        using ValeGroup p = OpenPorts(4);
        Send(p[1], 0, Ethernet(Broadcast, Mac(1), 7));
        Assert.That(Counts(p.Ports), Is.EqualTo(new[] { 1, 0, 1, 1 }));
        Send(p[0], 0, Ethernet([0x01, 0, 0x5e, 0, 0, 1], Mac(3), 9));
        Assert.That(Counts(p.Ports), Is.EqualTo(new[] { 0, 1, 1, 1 }));
    }

    [Test]
    public void The_switch_learns_source_addresses_and_sends_known_unicast_to_one_port()
    {
        // netmap's utils/tests/007 with three ports: v2 sends from a source address, all others get
        // it; then v0 sends to that address, and only v2 receives.
        using ValeGroup p = OpenPorts(3);
        Send(p[2], 0, Ethernet(Broadcast, Mac(0x22), 1));
        Assert.That(Counts(p.Ports), Is.EqualTo(new[] { 1, 1, 0 }));
        Send(p[0], 0, Ethernet(Mac(0x22), Mac(0x20), 2));
        Assert.That(Counts(p.Ports), Is.EqualTo(new[] { 0, 0, 1 }), "learned: only v2");
        Send(p[1], 0, Ethernet(Mac(0x20), Mac(0x21), 3));
        Assert.That(Counts(p.Ports), Is.EqualTo(new[] { 1, 0, 0 }), "v0 was learned from its unicast");
    }

    [Test]
    public void Unknown_unicast_floods_and_a_frame_to_the_senders_own_address_goes_nowhere()
    {
        using ValeGroup p = OpenPorts(3);
        Send(p[0], 0, Ethernet(Mac(0x99), Mac(0x10), 1));
        Assert.That(Counts(p.Ports), Is.EqualTo(new[] { 0, 1, 1 }), "unknown destination: flooded");
        Send(p[0], 0, Ethernet(Mac(0x10), Mac(0x10), 2));
        Assert.That(Counts(p.Ports), Is.EqualTo(new[] { 0, 0, 0 }), "the destination is learned on the sender's own port");
    }

    [Test]
    public void A_frame_shorter_than_an_ethernet_header_is_dropped()
    {
        using ValeGroup p = OpenPorts(2);
        Send(p[0], 0, Ethernet(Broadcast, Mac(1), 1, length: 13));
        Assert.That(Counts(p.Ports), Is.EqualTo(new[] { 0, 0 }));
        Assert.That(p[0].GetTxRing(0).Space, Is.EqualTo(p[0].GetTxRing(0).SlotCount - 1), "yet the sender's slot completed");
    }

    [Test]
    public void A_full_receiver_loses_frames_and_the_sender_never_stalls()
    {
        using ValeGroup p = OpenPorts(2, "@conf:slots=64");
        for (int i = 0; i < 150; i++) Send(p[0], 0, Ethernet(Broadcast, Mac(1), i));
        Assert.That(p[0].GetTxRing(0).Space, Is.EqualTo(63), "every TX slot came back");
        p[1].RxSync();
        NetmapRing rx = p[1].GetRxRing(0);
        Assert.That(rx.Space, Is.EqualTo(63), "N-1 frames wait; the switch dropped the rest");
        Assert.That(TagOf(rx.GetPacket(rx.Head)), Is.Zero, "the first frames are the ones kept");
    }

    /// <summary>
    /// exp6 of netmap-kernel-facts.json, replayed: every index and buffer number of each step.
    /// A fresh port has a fresh allocator, so even its buffer indexes are the recorded ones.
    /// </summary>
    [Test]
    public void Two_fresh_ports_answer_step_by_step_as_the_kernel_did_in_exp6()
    {
        JsonElement facts = KernelFacts.Root.GetProperty("exp6_vale");
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a");
        using NetmapPort b = Backend.OpenPort($"{sw}:b");
        Assert.That(State(a.GetTxRing(0)), Is.EqualTo(facts.GetProperty("a_tx_initial").State()));
        Assert.That(State(b.GetRxRing(0)), Is.EqualTo(facts.GetProperty("b_rx_initial").State()));

        byte[] macA = Mac(0x0a), macB = Mac(0x0b);
        Step(facts.GetProperty("broadcast_a_to_all"), a, b, Ethernet(Broadcast, macA, 1));
        Step(facts.GetProperty("unicast_unknown_dst_from_a"), a, b, Ethernet(Mac(0x99), macA, 2));
        Step(facts.GetProperty("unicast_from_b_to_a_learned"), b, a, Ethernet(macA, macB, 3));
        Step(facts.GetProperty("unicast_from_a_to_b_learned"), a, b, Ethernet(macB, macA, 4));
        Step(facts.GetProperty("unicast_from_a_to_own_mac"), a, b, Ethernet(macA, macA, 5));
    }

    /// <summary>One exp6 step: sender sends one frame; the other port's RX and the sender's own RX are checked.</summary>
    private static void Step(JsonElement facts, NetmapPort sender, NetmapPort receiver, byte[] frame)
    {
        NetmapRing tx = sender.GetTxRing(0);
        NetmapRing rx = receiver.GetRxRing(0);
        int txSlot = tx.Head;
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
}
