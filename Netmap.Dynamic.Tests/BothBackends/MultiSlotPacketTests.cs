using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// Rules of multi-slot packets (NS_MOREFRAG): a packet longer than a buffer spans slots, each but
/// the last flagged NS_MOREFRAG, and netmap hands a receiver only whole packets.
/// </summary>
public sealed class MultiSlotPacketTests(BackendKind kind) : TwoBackendTest(kind)
{
    [Test]
    public void A_packet_longer_than_a_buffer_crosses_a_pipe_in_slots_joined_by_NS_MOREFRAG()
    {
        string pipe = Unique("ms");
        using NetmapPort tx = Backend.OpenPort($"netmap:{pipe}{{1");
        using NetmapPort rx = Backend.OpenPort($"netmap:{pipe}}}1");
        NetmapRing t = tx.GetTxRing(0), r = rx.GetRxRing(0);
        byte[] packet = Frame((2 * tx.BufferSize) + 100, 3);

        Assert.That(t.TryWritePacket(packet), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(t.Head, Is.EqualTo(3), "three slots taken");
            Assert.That(t[0].Flags & NetmapSlotFlags.NS_MOREFRAG, Is.EqualTo(NetmapSlotFlags.NS_MOREFRAG));
            Assert.That(t[1].Flags & NetmapSlotFlags.NS_MOREFRAG, Is.EqualTo(NetmapSlotFlags.NS_MOREFRAG));
            Assert.That(t[2].Flags & NetmapSlotFlags.NS_MOREFRAG, Is.EqualTo(NetmapSlotFlags.None));
            Assert.That((t[0].Length, t[1].Length, t[2].Length), Is.EqualTo(((ushort)tx.BufferSize, (ushort)tx.BufferSize, (ushort)100)));
        });
        tx.TxSync();
        rx.RxSync();

        Assert.That(r.TryPeekPacket(out NetmapPacket got), Is.True);
        Assert.That((got.SlotCount, got.Length), Is.EqualTo((3, packet.Length)));
        byte[] copy = new byte[got.Length];
        got.CopyTo(copy);
        Assert.That(copy, Is.EqualTo(packet));
        Assert.That(got.GetFragment(2).ToArray(), Is.EqualTo(packet[(2 * tx.BufferSize)..]));
        r.Advance(got.SlotCount);
        Assert.That(r.TryPeekPacket(out _), Is.False, "nothing after the one packet");
    }

    [Test]
    public void A_pipe_moves_the_receivers_tail_only_past_whole_packets()
    {
        string pipe = Unique("ms");
        using NetmapPort tx = Backend.OpenPort($"netmap:{pipe}{{1");
        using NetmapPort rx = Backend.OpenPort($"netmap:{pipe}}}1");
        NetmapRing t = tx.GetTxRing(0), r = rx.GetRxRing(0);
        byte[] first = Frame(tx.BufferSize, 1), last = Frame(60, 2);

        first.CopyTo(t.GetBuffer(0));
        t[0].Length = (ushort)first.Length;
        t[0].Flags |= NetmapSlotFlags.NS_MOREFRAG;
        t.Advance(1);
        tx.TxSync();
        rx.RxSync();
        Assert.That(r.Tail, Is.EqualTo(0), "half a packet is not published");
        Assert.That(r.TryPeekPacket(out _), Is.False);

        Assert.That(t.TryWritePacket(last), Is.True);
        tx.TxSync();
        rx.RxSync();
        Assert.That(r.Tail, Is.EqualTo(2), "both slots together once the packet is whole");
        Assert.That(r.TryReadPacket(new byte[first.Length + last.Length], out int length), Is.True);
        Assert.That(length, Is.EqualTo(first.Length + last.Length));
    }

    [Test]
    public void A_jumbo_frame_crosses_VALE_as_one_packet_of_several_slots_each_counting_the_fragments()
    {
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a");
        using NetmapPort b = Backend.OpenPort($"{sw}:b");
        byte[] jumbo = Frame(9000, 9);
        int slots = (jumbo.Length + a.BufferSize - 1) / a.BufferSize;

        Assert.That(a.GetTxRing(0).TryWritePacket(jumbo), Is.True);
        a.TxSync();
        b.RxSync();

        NetmapRing r = b.GetRxRing(0);
        Assert.That(r.TryPeekPacket(out NetmapPacket got), Is.True);
        Assert.That((got.SlotCount, got.Length), Is.EqualTo((slots, jumbo.Length)));
        Assert.Multiple(() =>
        {
            for (int i = 0; i < slots; i++)
            {
                // VALE writes the fragment count into the high byte of every fragment's flags.
                NetmapSlotFlags expected = i + 1 < slots ? NetmapSlotFlags.NS_MOREFRAG : NetmapSlotFlags.None;
                Assert.That((int)r[i].Flags, Is.EqualTo((slots << NetmapConstants.NS_PORT_SHIFT) | (int)expected), $"slot {i} flags");
            }
        });
        byte[] copy = new byte[jumbo.Length];
        Assert.That(r.TryReadPacket(copy, out int length), Is.True);
        Assert.That(copy.AsSpan(0, length).ToArray(), Is.EqualTo(jumbo));
    }

    [Test]
    public void A_packet_that_needs_more_free_slots_than_the_ring_has_is_not_written_at_all()
    {
        string pipe = Unique("ms");
        using NetmapPort tx = Backend.OpenPort($"netmap:{pipe}{{1@conf:slots=4");
        NetmapRing t = tx.GetTxRing(0);
        byte[] fits = Frame(tx.BufferSize + 1, 1);     // two slots
        byte[] tooLong = Frame(tx.BufferSize + 1, 2);  // two more: only one is free

        Assert.That(t.Space, Is.EqualTo(3));
        Assert.That(t.TryWritePacket(fits), Is.True);
        Assert.That(t.TryWritePacket(tooLong), Is.False);
        Assert.Multiple(() =>
        {
            Assert.That(t.Head, Is.EqualTo(2), "head did not move");
            Assert.That(t[2].Flags & NetmapSlotFlags.NS_MOREFRAG, Is.EqualTo(NetmapSlotFlags.None), "no fragment was started");
        });
    }

    [Test]
    public void Reading_a_packet_into_a_buffer_that_is_too_short_throws_and_consumes_nothing()
    {
        string pipe = Unique("ms");
        using NetmapPort tx = Backend.OpenPort($"netmap:{pipe}{{1");
        using NetmapPort rx = Backend.OpenPort($"netmap:{pipe}}}1");
        byte[] packet = Frame(3000, 5);
        Assert.That(tx.GetTxRing(0).TryWritePacket(packet), Is.True);
        tx.TxSync();
        rx.RxSync();
        NetmapRing r = rx.GetRxRing(0);

        Assert.Throws<ArgumentException>(() => r.TryReadPacket(new byte[2999], out _));
        Assert.That(r.Head, Is.EqualTo(0));
        Assert.That(r.TryReadPacket(new byte[3000], out int length), Is.True);
        Assert.That(length, Is.EqualTo(3000));
    }

    [Test]
    public void A_fragment_whose_length_runs_past_its_buffer_throws_instead_of_being_read()
    {
        string pipe = Unique("ms");
        using NetmapPort tx = Backend.OpenPort($"netmap:{pipe}{{1");
        using NetmapPort rx = Backend.OpenPort($"netmap:{pipe}}}1");
        Assert.That(tx.GetTxRing(0).TryWritePacket(Frame(3000, 5)), Is.True);
        tx.TxSync();
        rx.RxSync();
        NetmapRing r = rx.GetRxRing(0);
        r[1].Length = (ushort)(rx.BufferSize + 1);   // what a corrupt or hostile peer could write

        Assert.Throws<InvalidOperationException>(() => r.TryPeekPacket(out _));
    }

    /// <summary>A broadcast frame of <paramref name="length"/> bytes whose payload tells its tag.</summary>
    private static byte[] Frame(int length, byte tag) => KernelFrames.Ethernet(KernelFrames.Broadcast, KernelFrames.Mac(1), tag, length);
}
