using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// Rules of per-slot buffer offsets (NETMAP_REQ_OPT_OFFSETS, <c>@offset</c>): the kernel writes the
/// initial offset into every slot, publishes the offset mask in the ring header, and checks the
/// declared maximum against the buffer size. The ring API reads and writes packets at each slot's
/// offset and refuses offsets that would leave the buffer.
/// </summary>
public sealed unsafe class BufferOffsetTests(BackendKind kind) : TwoBackendTest(kind)
{
    [Test]
    public void Every_slot_of_a_port_opened_with_an_offset_starts_at_that_offset()
    {
        using NetmapPort port = Backend.OpenPort($"netmap:{Unique("of")}{{1@offset=64");
        NetmapRing tx = port.GetTxRing(0), rx = port.GetRxRing(0);

        Assert.Multiple(() =>
        {
            Assert.That((tx.HasOffsets, tx.MaxOffset), Is.EqualTo((true, 64)));
            Assert.That(tx.RawRing->offset_mask, Is.EqualTo(ulong.MaxValue), "no bits given: the whole ptr");
            for (int i = 0; i < tx.SlotCount; i++)
                Assert.That(tx.GetOffset(i), Is.EqualTo(64), $"TX slot {i}");
            Assert.That(rx.GetOffset(0), Is.EqualTo(64), "RX slots too");
            Assert.That(tx.GetBufferAtOffset(0).Length, Is.EqualTo(port.BufferSize - 64));
        });
    }

    [Test]
    public void The_offset_bits_become_the_rings_offset_mask()
    {
        using NetmapPort port = Backend.OpenPort($"netmap:{Unique("of")}{{1@offset:initial=32,bits=10");
        NetmapRing tx = port.GetTxRing(0);
        Assert.That(tx.RawRing->offset_mask, Is.EqualTo(0x3ffUL));
        tx[0].Ptr = 0xabcd_0000_0000_0000UL | 32;   // bits above the mask belong to the program
        Assert.That(tx.GetOffset(0), Is.EqualTo(32));
        tx.SetOffset(0, 16);
        Assert.That(tx[0].Ptr, Is.EqualTo(0xabcd_0000_0000_0000UL | 16), "SetOffset keeps the other bits");
    }

    [Test]
    public void A_packet_written_at_an_offset_crosses_a_pipe_and_is_read_at_that_offset()
    {
        string pipe = Unique("of");
        using NetmapPort a = Backend.OpenPort($"netmap:{pipe}{{1@offset=128");
        using NetmapPort b = Backend.OpenPort($"netmap:{pipe}}}1@offset=128");
        NetmapRing tx = a.GetTxRing(0), rx = b.GetRxRing(0);
        byte[] frame = Frame(100, 4);

        tx.GetBuffer(0).Clear();
        frame.CopyTo(tx.GetBufferAtOffset(0));
        tx[0].Length = (ushort)frame.Length;
        tx.Advance(1);
        a.TxSync();
        b.RxSync();

        Assert.That(rx.GetOffset(0), Is.EqualTo(128));
        Assert.That(rx.GetPacketAtOffset(0).ToArray(), Is.EqualTo(frame));
        Assert.That(rx.GetBuffer(0)[..128].ToArray(), Is.All.EqualTo(0), "the headroom in front is untouched");
    }

    [Test]
    public void VALE_copies_a_packet_from_the_senders_offset_to_the_receivers_offset()
    {
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a@offset=64");
        using NetmapPort b = Backend.OpenPort($"{sw}:b@offset=192");
        byte[] frame = Frame(80, 6);

        Assert.That(a.GetTxRing(0).TryWritePacket(frame), Is.True, "written at the slot's offset, 64");
        a.TxSync();
        b.RxSync();

        NetmapRing rx = b.GetRxRing(0);
        Assert.That(rx.Tail, Is.EqualTo(1));
        Assert.That(rx.GetOffset(0), Is.EqualTo(192));
        Assert.That(rx.GetPacketAtOffset(0).ToArray(), Is.EqualTo(frame));
    }

    [Test]
    public void A_maximum_offset_larger_than_a_buffer_is_refused_at_open_with_EINVAL()
    {
        string pipe = Unique("of");
        NetmapException e = Assert.Throws<NetmapException>(() => Backend.OpenPort($"netmap:{pipe}{{1@offset=4096"))!;
        Assert.That(e.Errno, Is.EqualTo(Errno.EINVAL));
        using NetmapPort stillOpens = Backend.OpenPort($"netmap:{pipe}{{1@offset=2048");   // a whole buffer of headroom is allowed
        Assert.That(stillOpens.GetTxRing(0).GetBufferAtOffset(0).Length, Is.Zero);
    }

    [Test]
    public void Offsets_above_the_declared_maximum_are_refused_by_the_ring_not_cropped_by_the_kernel()
    {
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a", new NetmapPortOptions { Offsets = new NetmapBufferOffsets(initial: 0, max: 256) });
        using NetmapPort b = Backend.OpenPort($"{sw}:b");
        NetmapRing tx = a.GetTxRing(0);
        byte[] frame = Frame(90, 7);

        Assert.That((tx.GetOffset(0), tx.MaxOffset), Is.EqualTo((0, 256)));
        tx.SetOffset(0, 256);
        Assert.Throws<ArgumentOutOfRangeException>(() => tx.SetOffset(0, 257));
        Assert.That(tx.GetOffset(0), Is.EqualTo(256), "the refused offset left the slot as it was");
        Assert.That(tx.TryWritePacket(frame), Is.True, "written at the slot's offset, the maximum");
        a.TxSync();
        b.RxSync();

        // The kernel crops an offset above the maximum when it reads the slot (the packet would be
        // taken from the wrong place); at the maximum it takes the slot's offset as it is.
        NetmapRing rx = b.GetRxRing(0);
        Assert.That(rx.Tail, Is.EqualTo(1));
        Assert.That(rx.GetPacketAtOffset(0).ToArray(), Is.EqualTo(frame));
    }

    [Test]
    public void A_port_opened_without_offsets_reads_every_offset_as_zero_and_refuses_to_set_one()
    {
        using NetmapPort port = Backend.OpenPort($"netmap:{Unique("of")}{{1");
        NetmapRing tx = port.GetTxRing(0);
        tx[0].Ptr = 1000;   // user data in ptr: not an offset on this port

        Assert.Multiple(() =>
        {
            Assert.That((tx.HasOffsets, tx.MaxOffset), Is.EqualTo((false, 0)));
            Assert.That(tx.GetOffset(0), Is.Zero);
            Assert.That(() => tx.SetOffset(0, 8), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("@offset"));
        });
        tx.SetOffset(0, 0);
    }

    [Test]
    public void A_slot_whose_offset_lies_beyond_its_buffer_throws_instead_of_being_read()
    {
        using NetmapPort port = Backend.OpenPort($"netmap:{Unique("of")}{{1@offset=64");
        NetmapRing tx = port.GetTxRing(0);
        tx[0].Ptr = (ulong)port.BufferSize + 1;   // a corrupt or hostile ptr: the mask covers all 64 bits
        tx[1].Length = (ushort)(port.BufferSize - 63);   // offset 64 + len runs one byte past the buffer

        Assert.Multiple(() =>
        {
            Assert.Throws<InvalidOperationException>(() => tx.GetOffset(0));
            Assert.Throws<InvalidOperationException>(() => tx.GetPacketAtOffset(0));
            Assert.Throws<InvalidOperationException>(() => tx.GetPacketAtOffset(1));
        });
    }

    /// <summary>A broadcast frame of <paramref name="length"/> bytes whose payload tells its tag.</summary>
    private static byte[] Frame(int length, byte tag) => KernelFrames.Ethernet(KernelFrames.Broadcast, KernelFrames.Mac(1), tag, length);
}
