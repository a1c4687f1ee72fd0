using Netmap.Dynamic.Interop;
using static Netmap.Dynamic.Tests.BothBackends.KernelFrames;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// Zero copy: rings of one memory allocator may trade buffers (swap <c>buf_idx</c> and set
/// <c>NS_BUF_CHANGED</c>). Pipes of one parent name live in the parent's allocator, so two pipes
/// make a forwarding path: source → [p{1 | p}1] → swap → [p{2 | p}2] → sink.
/// </summary>
public sealed class ZeroCopyRulesTests(BackendKind kind) : TwoBackendTest(kind)
{
    private sealed record Path(NetmapPort Source, NetmapPort Inbound, NetmapPort Outbound, NetmapPort Sink) : IDisposable
    {
        public void Dispose()
        {
            Source.Dispose();
            Inbound.Dispose();
            Outbound.Dispose();
            Sink.Dispose();
        }
    }

    private Path OpenPath()
    {
        string parent = Unique("zc");
        var opened = new List<NetmapPort>();
        try
        {
            foreach (string spec in new[] { $"netmap:{parent}{{1", $"netmap:{parent}}}1", $"netmap:{parent}{{2", $"netmap:{parent}}}2" })
                opened.Add(Backend.OpenPort(spec));
            return new Path(opened[0], opened[1], opened[2], opened[3]);
        }
        catch
        {
            foreach (NetmapPort port in opened) port.Dispose();
            throw;
        }
    }

    [Test]
    public void Both_ends_of_every_pipe_of_one_parent_name_share_one_allocator()
    {
        using Path p = OpenPath();
        Assert.That(new[] { p.Inbound.MemId, p.Outbound.MemId, p.Sink.MemId }, Is.All.EqualTo(p.Source.MemId));
        Assert.That(p.Source.GetTxRing(0).SharesMemoryWith(p.Inbound.GetRxRing(0)), Is.True, "the two ends of one pipe");
        Assert.That(p.Inbound.GetRxRing(0).SharesMemoryWith(p.Outbound.GetTxRing(0)), Is.True, "two pipes of one parent");
    }

    [Test]
    public void TryForward_swaps_buffers_advances_both_rings_and_the_sink_reads_every_frame_in_order()
    {
        using Path p = OpenPath();
        NetmapRing rx = p.Inbound.GetRxRing(0), tx = p.Outbound.GetTxRing(0), sink = p.Sink.GetRxRing(0);
        const int frames = 1000;
        int received = 0;
        for (int sent = 0; sent < frames;)
        {
            while (sent < frames && p.Source.GetTxRing(0).TryWrite(Numbered(sent, 64))) sent++;
            p.Source.TxSync();
            p.Inbound.RxSync();
            int rxHead = rx.Head, txHead = tx.Head, available = rx.Space;
            uint rxBuffer = rx[rxHead].BufferIndex, txBuffer = tx[txHead].BufferIndex;
            Assert.That(NetmapZeroCopy.TryForward(rx, tx), Is.True);
            using (Assert.EnterMultipleScope())
            {
                Assert.That((tx[txHead].BufferIndex, rx[rxHead].BufferIndex), Is.EqualTo((rxBuffer, txBuffer)), "buffers traded");
                Assert.That(tx[txHead].Length, Is.EqualTo(64), "the frame's length goes with its buffer");
                Assert.That(tx[txHead].Flags & NetmapSlotFlags.NS_BUF_CHANGED, Is.EqualTo(NetmapSlotFlags.NS_BUF_CHANGED));
                Assert.That(rx[rxHead].Flags & NetmapSlotFlags.NS_BUF_CHANGED, Is.EqualTo(NetmapSlotFlags.NS_BUF_CHANGED));
                Assert.That((rx.Head, rx.Cur, tx.Head, tx.Cur), Is.EqualTo((rx.Next(rxHead), rx.Next(rxHead), tx.Next(txHead), tx.Next(txHead))), "both rings advance by one");
            }
            uint forwarded = 1;
            while (NetmapZeroCopy.TryForward(rx, tx)) forwarded++;
            Assert.That(forwarded, Is.EqualTo(available), "it stops when the RX ring is empty");
            p.Outbound.TxSync();
            p.Inbound.RxSync();
            p.Sink.RxSync();
            while (sink.TryRead(out ReadOnlySpan<byte> frame))
                Assert.That(NumberOf(frame), Is.EqualTo(received++));
            p.Sink.RxSync();
            p.Outbound.TxSync();
        }
        Assert.That(received, Is.EqualTo(frames));
    }

    [Test]
    public void A_receiver_that_swapped_a_buffer_away_hands_the_new_one_back_to_the_sender()
    {
        using Path p = OpenPath();
        NetmapRing source = p.Source.GetTxRing(0), rx = p.Inbound.GetRxRing(0), tx = p.Outbound.GetTxRing(0);
        source.TryWrite(Numbered(1));
        p.Source.TxSync();
        p.Inbound.RxSync();
        uint outboundBuffer = tx[0].BufferIndex;

        NetmapZeroCopy.SwapBuffers(rx, 0, tx, 0);
        rx.Advance(1);
        tx.Advance(1);
        p.Outbound.TxSync();
        p.Inbound.RxSync();   // releases the slot with NS_BUF_CHANGED: the RX slot goes back to the sender as it is
        p.Source.TxSync();

        Assert.That(source[0].BufferIndex, Is.EqualTo(outboundBuffer), "the sender's slot now names the buffer it was given");
        Assert.That(rx[0].Flags & NetmapSlotFlags.NS_BUF_CHANGED, Is.EqualTo(NetmapSlotFlags.None), "the kernel cleared the flag on the RX slot");
        p.Sink.RxSync();
        Assert.That(p.Sink.GetRxRing(0).TryRead(out ReadOnlySpan<byte> frame), Is.True);
        Assert.That(frame.ToArray(), Is.EqualTo(Numbered(1)));
    }

    [Test]
    public void TryForward_returns_false_and_changes_nothing_when_the_tx_ring_is_full()
    {
        using Path p = OpenPath();
        NetmapRing full = p.Outbound.GetTxRing(0);
        while (full.TryWrite(Numbered(0))) { }
        p.Source.GetTxRing(0).TryWrite(Numbered(1));
        p.Source.TxSync();
        p.Inbound.RxSync();
        NetmapRing rx = p.Inbound.GetRxRing(0);
        int rxHead = rx.Head;
        uint rxBuffer = rx[rxHead].BufferIndex;

        Assert.That(NetmapZeroCopy.TryForward(rx, full), Is.False);
        Assert.That((rx.Head, rx[rxHead].BufferIndex, rx[rxHead].Flags), Is.EqualTo((rxHead, rxBuffer, NetmapSlotFlags.None)));
    }

    [Test]
    public void A_swap_between_ports_of_different_allocators_is_refused()
    {
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a");
        using NetmapPort b = Backend.OpenPort($"{sw}:b");
        Assert.That(b.GetTxRing(0).TryWrite(Ethernet(Broadcast, Mac(0xb), 1)), Is.True);
        b.TxSync();
        a.RxSync();
        Assert.That(a.GetRxRing(0).IsEmpty, Is.False, "a frame to forward");

        ArgumentException? e = Assert.Throws<ArgumentException>(() => NetmapZeroCopy.SwapBuffers(a.GetRxRing(0), 0, b.GetTxRing(0), 0));
        Assert.That(e!.Message, Does.Contain("different memory regions"));
        Assert.Throws<ArgumentException>(() => NetmapZeroCopy.TryForward(a.GetRxRing(0), b.GetTxRing(0)));
    }

    [Test]
    public void A_slot_naming_a_buffer_outside_the_region_is_refused_before_anything_is_swapped()
    {
        using Path p = OpenPath();
        p.Source.GetTxRing(0).TryWrite(Numbered(1));
        p.Source.TxSync();
        p.Inbound.RxSync();
        NetmapRing rx = p.Inbound.GetRxRing(0), tx = p.Outbound.GetTxRing(0);
        int at = rx.Head;
        uint rxBuffer = rx[at].BufferIndex, txBuffer = tx[tx.Head].BufferIndex;
        rx[at].BufferIndex = uint.MaxValue;
        try
        {
            Assert.Throws<InvalidOperationException>(() => NetmapZeroCopy.SwapBuffers(rx, at, tx, tx.Head));
            Assert.Throws<InvalidOperationException>(() => NetmapZeroCopy.TryForward(rx, tx));
            Assert.That((tx[tx.Head].BufferIndex, rx.Head), Is.EqualTo((txBuffer, at)), "nothing swapped, nothing advanced");
            Assert.Throws<ArgumentOutOfRangeException>(() => NetmapZeroCopy.SwapBuffers(rx, 1, tx, 5000));
        }
        finally
        {
            rx[at].BufferIndex = rxBuffer;   // the kernel frees the buffers its slots name when the port closes
        }
    }

    [Test]
    public void TryForward_throws_after_the_port_is_disposed()
    {
        Path p = OpenPath();
        NetmapRing rx = p.Inbound.GetRxRing(0), tx = p.Outbound.GetTxRing(0);
        p.Dispose();
        Assert.Throws<ObjectDisposedException>(() => NetmapZeroCopy.TryForward(rx, tx));
    }
}
