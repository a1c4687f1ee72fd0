using Netmap.Dynamic.Interop;
using static Netmap.Dynamic.Tests.BothBackends.KernelFrames;
using static Netmap.Dynamic.Tests.BothBackends.ValeTraffic;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// How a VALE switch forwards (<c>nm_vale_flush</c>, <c>netmap_vale_learning</c>): which RX ring a
/// frame lands on, what the learning table remembers, and what is lost when a ring is full.
/// </summary>
public sealed class ValeForwardingTests(BackendKind kind) : TwoBackendTest(kind)
{
    private static readonly byte[] s_macA = Mac(0x0a);
    private static readonly byte[] s_macB = Mac(0x0b);

    // Two addresses in the same bucket of the switch's 1024-entry hash table (bucket 387).
    private static readonly byte[] s_bucketMate1 = [0x02, 0, 0, 0, 0, 0x10];
    private static readonly byte[] s_bucketMate2 = [0x02, 0, 0, 0, 0x0a, 0x51];

    [Test]
    public void Unicast_arrives_on_the_rx_ring_numbered_like_the_senders_tx_ring()
    {
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a@conf:rings=2");
        using NetmapPort b = Backend.OpenPort($"{sw}:b@conf:rings=2");
        Send(b, 0, Ethernet(Broadcast, s_macB, 1));   // the switch learns b
        Send(a, 1, Ethernet(s_macB, s_macA, 2));
        Assert.That(PerRing(b), Is.EqualTo(new[] { 0, 1 }));
        Send(a, 0, Ethernet(s_macB, s_macA, 3));
        Assert.That(PerRing(b), Is.EqualTo(new[] { 1, 0 }));
    }

    [Test]
    public void Unicast_from_a_ring_the_receiver_lacks_wraps_around_its_rx_rings()
    {
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a@conf:rings=3");
        using NetmapPort b = Backend.OpenPort($"{sw}:b@conf:rings=2");
        Send(b, 0, Ethernet(Broadcast, s_macB, 1));
        Send(a, 2, Ethernet(s_macB, s_macA, 2));
        Assert.That(PerRing(b), Is.EqualTo(new[] { 1, 0 }), "TX ring 2 → RX ring 2 mod 2");
    }

    [Test]
    public void Broadcast_and_unknown_unicast_arrive_on_rx_ring_zero_whatever_the_senders_ring()
    {
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a@conf:rings=2");
        using NetmapPort b = Backend.OpenPort($"{sw}:b@conf:rings=2");
        Send(a, 1, Ethernet(Broadcast, s_macA, 1));
        Send(a, 1, Ethernet(s_macB, s_macA, 2));   // b is not learned yet: flooded
        Assert.That(PerRing(b), Is.EqualTo(new[] { 2, 0 }));
    }

    [Test]
    public void A_broadcast_sent_in_the_same_sync_as_unicast_on_ring_i_also_arrives_on_ring_i()
    {
        // The switch queues a sync's broadcasts into every unicast queue as well as into ring 0 of
        // every port: a port receiving unicast on ring 1 gets the broadcast twice, on ring 1 and ring 0.
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a@conf:rings=2");
        using NetmapPort b = Backend.OpenPort($"{sw}:b@conf:rings=2");
        using NetmapPort c = Backend.OpenPort($"{sw}:c");
        Send(b, 0, Ethernet(Broadcast, s_macB, 1));
        Count(c);
        Write(a, 1, Ethernet(s_macB, s_macA, 2));
        Write(a, 1, Ethernet(Broadcast, s_macA, 3));
        a.TxSync();
        Assert.That(Tags(b, 1), Is.EqualTo(new[] { 2, 3 }), "unicast and broadcast, in order");
        Assert.That(Tags(b, 0), Is.EqualTo(new[] { 3 }));
        Assert.That(Tags(c, 0), Is.EqualTo(new[] { 3 }), "a port without unicast gets the broadcast once");
    }

    [Test]
    public void A_ring_no_port_binds_receives_nothing()
    {
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a@conf:rings=2");
        using NetmapPort b1 = Backend.OpenPort($"{sw}:b-1@conf:rings=2");   // binds only ring 1 of b
        Send(b1, 1, Ethernet(Broadcast, s_macB, 1));
        Send(a, 1, Ethernet(Broadcast, s_macA, 2));   // for b's ring 0: nobody binds it
        Send(a, 1, Ethernet(s_macB, s_macA, 3));        // for b's ring 1
        using NetmapPort b0 = Backend.OpenPort($"{sw}:b-0");
        b0.RxSync();
        b1.RxSync();
        Assert.That((b0.GetRxRing(0).Space, Tags(b1, 1)), Is.EqualTo((0, new[] { 3 })));
    }

    [Test]
    public void Two_addresses_in_one_bucket_of_the_learning_table_evict_each_other()
    {
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a");
        using NetmapPort b = Backend.OpenPort($"{sw}:b");
        using NetmapPort c = Backend.OpenPort($"{sw}:c");
        Send(b, 0, Ethernet(Broadcast, s_bucketMate1, 1));
        Send(c, 0, Ethernet(Broadcast, s_bucketMate2, 2));   // same bucket: b's entry is gone
        Counts(a, b, c);
        Send(a, 0, Ethernet(s_bucketMate1, s_macA, 3));
        Assert.That(Counts(a, b, c), Is.EqualTo(new[] { 0, 1, 1 }), "unknown again: flooded");
        Send(a, 0, Ethernet(s_bucketMate2, s_macA, 4));
        Assert.That(Counts(a, b, c), Is.EqualTo(new[] { 0, 0, 1 }), "the newer address is known");
    }

    [Test]
    public void Frames_for_a_departed_port_are_dropped_until_a_new_port_takes_its_place()
    {
        // The table keeps naming the departed port's slot; the next port to attach gets that slot.
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a");
        using NetmapPort c = Backend.OpenPort($"{sw}:c");
        using (NetmapPort b = Backend.OpenPort($"{sw}:b"))
            Send(b, 0, Ethernet(Broadcast, s_macB, 1));
        Counts(a, c);
        Send(a, 0, Ethernet(s_macB, s_macA, 2));
        Assert.That(Count(c), Is.Zero, "not flooded: dropped");
        using NetmapPort d = Backend.OpenPort($"{sw}:d");
        Send(a, 0, Ethernet(s_macB, s_macA, 3));
        Assert.That((Count(c), Tags(d, 0)), Is.EqualTo((0, new[] { 3 })));
    }

    [Test]
    public void NS_NO_LEARN_does_not_keep_a_source_from_being_learned()
    {
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a");
        using NetmapPort b = Backend.OpenPort($"{sw}:b");
        using NetmapPort c = Backend.OpenPort($"{sw}:c");
        NetmapRing tx = b.GetTxRing(0);
        int slot = tx.Head;
        Write(b, 0, Ethernet(Broadcast, s_macB, 1));
        tx[slot].Flags |= NetmapSlotFlags.NS_NO_LEARN;
        b.TxSync();
        Counts(a, c);
        Send(a, 0, Ethernet(s_macB, s_macA, 2));
        Assert.That(Counts(b, c), Is.EqualTo(new[] { 1, 0 }), "b was learned: netmap.h defines NS_NO_LEARN, the learning bridge never reads it");
    }

    [Test]
    public void A_port_teaches_the_switch_an_address_again_only_after_sending_from_another()
    {
        // Each port remembers the last source it taught; sending from it again teaches nothing,
        // even when another port has taken the address over in the meantime.
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a");
        using NetmapPort b = Backend.OpenPort($"{sw}:b");
        using NetmapPort c = Backend.OpenPort($"{sw}:c");
        Send(b, 0, Ethernet(Broadcast, s_macB, 1));
        Send(c, 0, Ethernet(Broadcast, s_macB, 2));   // c takes b's address over
        Send(b, 0, Ethernet(Broadcast, s_macB, 3));   // b's last source: not learned again
        Counts(a, b, c);
        Send(a, 0, Ethernet(s_macB, s_macA, 4));
        Assert.That(Counts(b, c), Is.EqualTo(new[] { 0, 1 }));
        Send(b, 0, Ethernet(Broadcast, s_bucketMate1, 5));
        Send(b, 0, Ethernet(Broadcast, s_macB, 6));   // a new source in between: learned again
        Counts(a, b, c);
        Send(a, 0, Ethernet(s_macB, s_macA, 7));
        Assert.That(Counts(b, c), Is.EqualTo(new[] { 1, 0 }));
    }

    [Test]
    public void A_multi_fragment_packet_arrives_in_as_many_slots_each_carrying_the_fragment_count()
    {
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a");
        using NetmapPort b = Backend.OpenPort($"{sw}:b");
        WriteFragment(a, Ethernet(Broadcast, s_macA, 1), more: true);
        WriteFragment(a, [1, 2, 3, 4, 5], more: true);
        WriteFragment(a, [6, 7], more: false);
        a.TxSync();
        Assert.That(Slots(b), Is.EqualTo(new[] { (60, 0x320), (5, 0x320), (2, 0x300) }), "(len, flags): 3 fragments, NS_MOREFRAG on all but the last");
    }

    [Test]
    public void A_packet_still_open_at_the_end_of_a_tx_sync_is_sent_cut_short()
    {
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a");
        using NetmapPort b = Backend.OpenPort($"{sw}:b");
        WriteFragment(a, Ethernet(Broadcast, s_macA, 1), more: true);
        WriteFragment(a, [1, 2, 3], more: true);
        a.TxSync();
        Assert.That(Slots(b), Is.EqualTo(new[] { (60, 0x220), (3, 0x200) }));
    }

    [Test]
    public void A_packet_that_does_not_fit_the_receivers_ring_ends_what_that_sync_delivers_to_it()
    {
        // b's ring has room for 7 slots: 5 frames fit, the 3-fragment packet does not, and the
        // single frame after it is lost too although it would fit.
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a");
        using NetmapPort b = Backend.OpenPort($"{sw}:b@conf:slots=8");
        for (int i = 0; i < 5; i++) Write(a, 0, Ethernet(Broadcast, s_macA, 10 + i));
        WriteFragment(a, Ethernet(Broadcast, s_macA, 20), more: true);
        WriteFragment(a, [1], more: true);
        WriteFragment(a, [2], more: false);
        Write(a, 0, Ethernet(Broadcast, s_macA, 30));
        a.TxSync();
        Assert.That(Tags(b, 0), Is.EqualTo(new[] { 10, 11, 12, 13, 14 }));
        Assert.That(a.GetTxRing(0).Space, Is.EqualTo(a.GetTxRing(0).SlotCount - 1), "the sender sees everything sent");
    }

    [Test]
    public void A_slot_longer_than_its_buffer_is_forwarded_as_an_empty_frame_and_dropped()
    {
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a");
        using NetmapPort b = Backend.OpenPort($"{sw}:b");
        NetmapRing tx = a.GetTxRing(0);
        int slot = tx.Head;
        Write(a, 0, Ethernet(Broadcast, s_macA, 1));
        tx[slot].Length = (ushort)(tx.BufferSize + 1);
        Write(a, 0, Ethernet(Broadcast, s_macA, 2));
        a.TxSync();
        Assert.That(Tags(b, 0), Is.EqualTo(new[] { 2 }));
    }

    [Test]
    public void A_ninth_vale_switch_is_ENOMEM()
    {
        var ports = new List<NetmapPort>();
        try
        {
            // The kernel has eight switches in all. Switches this run already holds for good (a
            // persistent port once opened keeps its switch until the module is unloaded) count
            // against them, so open new switches until the kernel refuses one: it must refuse
            // by the ninth, and with ENOMEM.
            NetmapException? refused = null;
            for (int i = 0; i < 9 && refused is null; i++)
            {
                try { ports.Add(Backend.OpenPort($"{UniqueSwitch()}:p")); }
                catch (NetmapException e) { refused = e; }
            }
            Assert.That(refused, Is.Not.Null, "nine new switches were all created");
            Assert.That(refused!.Errno, Is.EqualTo(Errno.ENOMEM));
            Assert.That(ports, Is.Not.Empty, "no switch was free to begin with: the rule was not exercised");
            ports[0].Dispose();
            Assert.DoesNotThrow(() => Backend.OpenPort($"{UniqueSwitch()}:p").Dispose(), "a switch goes with its last port");
        }
        finally
        {
            foreach (NetmapPort port in ports) port.Dispose();
        }
    }

    private static void WriteFragment(NetmapPort port, byte[] data, bool more)
    {
        NetmapRing tx = port.GetTxRing(0);
        int slot = tx.Head;
        Write(port, 0, data);
        if (more) tx[slot].Flags |= NetmapSlotFlags.NS_MOREFRAG;
    }

    /// <summary>(len, flags) of every slot waiting on RX ring 0 of <paramref name="port"/>, released.</summary>
    private static (int Length, int Flags)[] Slots(NetmapPort port)
    {
        port.RxSync();
        NetmapRing rx = port.GetRxRing(0);
        var slots = new List<(int, int)>();
        for (int i = rx.Head; i != rx.Tail; i = rx.Next(i)) slots.Add((rx[i].Length, (int)rx[i].Flags));
        rx.Advance(rx.Space);
        port.RxSync();
        return [.. slots];
    }
}
