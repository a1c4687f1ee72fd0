using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Fake;

/// <summary>
/// The forwarding of one VALE TX sync, in the kernel's two steps (<c>nm_vale_preflush</c> and
/// <c>nm_vale_flush</c>): the new TX slots are gathered into a batch of fragments, cut every
/// <see cref="BatchSize"/> fragments at a packet boundary; then each batch finds a destination
/// per packet (learning as it goes) and copies the packets queue by queue into the receivers'
/// RX rings. The kernel's queue rules are kept because they are visible to a receiver:
/// <list type="bullet">
/// <item>unicast goes to the receiver's RX ring with the sender's TX ring number (modulo the
/// receiver's RX ring count); broadcast, multicast and unknown unicast go to RX ring 0;</item>
/// <item>a unicast queue also carries the batch's broadcasts, so a receiver of unicast on ring
/// <c>i</c> != 0 gets the broadcasts on ring <c>i</c> and again on ring 0 (on ring 0 twice when
/// its ring count folds <c>i</c> onto 0);</item>
/// <item>a queue takes at most the ring's free slots: packets that do not fit are lost, and a
/// multi-fragment packet that does not fit ends the queue for this batch;</item>
/// <item>a ring no port binds (not in netmap mode) receives nothing.</item>
/// </list>
/// Allocated once per switch: nothing is allocated per frame.
/// </summary>
internal sealed class FakeValeBatch(FakeValeSwitch owner)
{
    /// <summary><c>NM_BDG_BATCH</c> (the default <c>bridge_batch</c>): fragments per batch.</summary>
    public const int BatchSize = 1024;

    private const int Capacity = BatchSize + NetmapConstants.NETMAP_MAX_FRAGS;

    // One entry per fragment (struct nm_bdg_fwd): its buffer in the sender's memory, len and flags,
    // and at the first fragment of each packet the packet's fragment count and destination.
    private readonly uint[] _buffer = new uint[Capacity];
    private readonly int[] _offset = new int[Capacity];   // where the fragment starts in its buffer (nm_get_offset)
    private readonly int[] _length = new int[Capacity];
    private readonly ushort[] _flags = new ushort[Capacity];
    private readonly int[] _fragments = new int[Capacity];
    private readonly int[] _destination = new int[Capacity];

    // Per destination slot: fragments of unicast queued for it; and the order slots first got unicast.
    private readonly int[] _unicastSlots = new int[FakeValeSwitch.MaxPorts];
    private readonly int[] _unicastOrder = new int[FakeValeSwitch.MaxPorts];

    private int _count;
    private FakeValePort _source = null!;
    private FakeKring _tx = null!;

    /// <summary>Forwards the slots <c>[hwcur, rhead)</c> of <paramref name="tx"/> (the kernel's preflush).</summary>
    public void Forward(FakeValePort source, FakeKring tx)
    {
        _source = source;
        _tx = tx;
        _count = 0;
        FakeMemory memory = tx.Adapter.Memory;
        int fragments = 1;
        for (uint k = tx.HwCur; k != tx.RHead; k = tx.Next(k))
        {
            ref netmap_slot slot = ref tx.Slot(k);
            slot.flags &= unchecked((ushort)~(ushort)NetmapSlotFlags.NS_BUF_CHANGED);
            // A buffer index outside the pool reads buffer 0; a len beyond the buffer is sent as an empty fragment.
            uint buffer = slot.buf_idx < (uint)memory.Layout.BufferCount ? slot.buf_idx : 0;
            int offset = tx.OffsetOf(ref slot);
            bool tooLong = slot.len > memory.Layout.BufferSize - offset;
            _buffer[_count] = tooLong ? 0 : buffer;
            _offset[_count] = tooLong ? 0 : offset;
            _length[_count] = tooLong ? 0 : slot.len;
            _flags[_count] = tooLong ? (ushort)0 : slot.flags;
            _count++;
            if ((slot.flags & (ushort)NetmapSlotFlags.NS_MOREFRAG) != 0 && _count < Capacity)
            {
                fragments++;
                continue;
            }
            _fragments[_count - fragments] = fragments;
            fragments = 1;
            if (_count >= BatchSize) Flush();
        }
        if (fragments > 1)
        {
            // The sync ended inside a packet: the kernel sends what it has as a shorter packet.
            fragments--;
            _flags[_count - 1] &= unchecked((ushort)~(ushort)NetmapSlotFlags.NS_MOREFRAG);
            _fragments[_count - fragments] = fragments;
        }
        if (_count > 0) Flush();
    }

    /// <summary><c>nm_vale_flush</c>: destinations first, then one copy pass per destination queue.</summary>
    private void Flush()
    {
        int broadcastFragments = 0, unicastPorts = 0;
        FakeMemory memory = _tx.Adapter.Memory;
        for (int i = 0; i < _count; i += _fragments[i])
        {
            int destination = FindDestination(i, memory);
            _destination[i] = destination;
            if (destination == FakeValeSwitch.Broadcast)
            {
                broadcastFragments += _fragments[i];
            }
            else if (destination != FakeValeSwitch.NoPort)
            {
                if (_unicastSlots[destination] == 0) _unicastOrder[unicastPorts++] = destination;
                _unicastSlots[destination] += _fragments[i];
            }
        }
        int ringNumber = _tx.Number;
        for (int u = 0; u < unicastPorts; u++)
        {
            int slot = _unicastOrder[u];
            FakeValePort port = owner.PortAt(slot)!;
            Deliver(port, ringNumber % port.RxRings, slot, _unicastSlots[slot] + broadcastFragments);
        }
        if (broadcastFragments > 0)
        {
            for (int j = 0; j < owner.ActiveCount; j++)
            {
                int slot = owner.ActiveSlot(j);
                if (slot == _source.Slot || (ringNumber == 0 && _unicastSlots[slot] > 0)) continue;
                Deliver(owner.PortAt(slot)!, 0, FakeValeSwitch.Broadcast, broadcastFragments);
            }
        }
        for (int u = 0; u < unicastPorts; u++) _unicastSlots[_unicastOrder[u]] = 0;
        _count = 0;
    }

    /// <summary>The destination slot of the packet starting at fragment <paramref name="i"/>, Broadcast or NoPort.</summary>
    private int FindDestination(int i, FakeMemory memory)
    {
        if (_source.Faults.TryConsumeDrop(_source.Name)) return FakeValeSwitch.NoPort;   // test hook: lost in flight
        int start;
        if (_length[i] > 0) start = i;
        else if ((_flags[i] & (ushort)NetmapSlotFlags.NS_MOREFRAG) != 0) start = i + 1;   // an empty first fragment: look at the next
        else return FakeValeSwitch.NoPort;
        int destination = owner.Lookup(memory.Buffer(_buffer[start]).Slice(_offset[start], _length[start]), _source);
        if (destination == FakeValeSwitch.Broadcast || destination == FakeValeSwitch.NoPort) return destination;
        return destination == _source.Slot || owner.PortAt(destination) is null ? FakeValeSwitch.NoPort : destination;
    }

    /// <summary>
    /// Copies the batch's packets for <paramref name="slot"/> (and its broadcasts) into RX ring
    /// <paramref name="ring"/> of <paramref name="port"/>, as many as its free slots allow.
    /// </summary>
    private void Deliver(FakeValePort port, int ring, int slot, int needed)
    {
        FakeKring rx = port.Rx[ring];
        if (rx.Users == 0)
        {
            port.ReceiveDrops += CountPackets(slot);   // the ring is not in netmap mode
            return;
        }
        int room = (int)Math.Min((uint)needed, rx.RxFreeSlots());
        FakeMemory source = _tx.Adapter.Memory, target = port.Memory;
        uint j = rx.HwTail;
        bool full = false;
        for (int i = 0; i < _count; i += _fragments[i])
        {
            int destination = _destination[i];
            if (destination != slot && destination != FakeValeSwitch.Broadcast) continue;
            int fragments = _fragments[i];
            if (full || fragments > room)
            {
                full = true;   // the kernel stops this queue at the first packet that does not fit
                port.ReceiveDrops++;
                continue;
            }
            room -= fragments;
            for (int f = i; f < i + fragments; f++)
            {
                ref netmap_slot rs = ref rx.Slot(j);
                uint buffer = rs.buf_idx < (uint)target.Layout.BufferCount ? rs.buf_idx : 0;
                CopyFragment(f, source, target, rx, ref rs, buffer);
                rs.flags = (ushort)((fragments << NetmapConstants.NS_PORT_SHIFT)
                    | (f + 1 < i + fragments ? (int)NetmapSlotFlags.NS_MOREFRAG : 0));
                j = rx.Next(j);
            }
        }
        if (j == rx.HwTail) return;
        rx.HwTail = j;
        port.NotifyPorts();
    }

    /// <summary>
    /// Copies fragment <paramref name="f"/> into the receiver's slot as <c>nm_vale_flush</c> does: the
    /// copy starts on the 64-byte boundary below the source (so up to 63 bytes of the sender's
    /// headroom come along), and the packet lands at the receiver's offset rounded down to 64 plus
    /// the source's misalignment (plus 64 when the receiver's own misalignment is smaller). That
    /// position becomes the slot's offset; a fragment that would not fit is delivered empty.
    /// </summary>
    private void CopyFragment(int f, FakeMemory source, FakeMemory target, FakeKring rx, ref netmap_slot rs, uint buffer)
    {
        const int Align = 64;   // NM_BUF_ALIGN
        int bufferSize = target.Layout.BufferSize;
        int sourceOffset = _offset[f], length = _length[f];
        int sourceMisalignment = sourceOffset & (Align - 1);
        int receiverOffset = rx.OffsetOf(ref rs);
        int alignedStart = receiverOffset & ~(Align - 1);
        if ((receiverOffset & (Align - 1)) < sourceMisalignment) alignedStart += Align;
        int offset = alignedStart + sourceMisalignment;
        if (offset > bufferSize || length > bufferSize - offset)
        {
            length = 0;   // "dropping packet/fragment": an empty slot at the receiver's own offset
            offset = receiverOffset;
        }
        else
        {
            source.Buffer(_buffer[f]).Slice(sourceOffset - sourceMisalignment, length + sourceMisalignment)
                .CopyTo(target.Buffer(buffer)[alignedStart..]);
        }
        rs.len = (ushort)length;
        rx.WriteOffset(ref rs, (ulong)offset);
    }

    private int CountPackets(int slot)
    {
        int packets = 0;
        for (int i = 0; i < _count; i += _fragments[i])
            if (_destination[i] == slot || _destination[i] == FakeValeSwitch.Broadcast) packets++;
        return packets;
    }
}
