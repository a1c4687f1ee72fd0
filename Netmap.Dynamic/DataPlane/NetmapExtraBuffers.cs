using System.Diagnostics.CodeAnalysis;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic;

/// <summary>
/// The extra packet buffers a port asked for (<see cref="NetmapPortOptions.ExtraBuffers"/>,
/// <c>nr_extra_bufs</c>): buffers of the port's region that belong to no slot, for an application
/// that keeps frames aside (a window of recent frames as netmap's <c>dedup</c> does, a reorder
/// buffer) by swapping them out of ring slots instead of copying them.
/// </summary>
/// <remarks>
/// <para>The pool always owns the same number of buffers, <see cref="Count"/>: each is either
/// <em>free</em> (in the pool) or <em>held</em> (handed out by <see cref="TryRent"/> or taken out of
/// a slot by <see cref="SwapWithSlot"/>). Only held buffers can be read, written, swapped into a slot
/// or returned, so an index outside the region, a buffer returned twice or a buffer the pool never
/// handed out throws instead of corrupting the kernel's allocator.</para>
/// <para>The kernel hands the buffers over as a list threaded through their first four bytes from
/// <c>netmap_if.ni_bufs_head</c>. The port reads that list when it opens (checking every index and
/// that no buffer appears twice), clears <c>ni_bufs_head</c>, and on <see cref="NetmapPort.Dispose"/>
/// writes a new list of every buffer the pool owns — free and held, whichever buffers a swap left
/// it with — so the kernel frees exactly those. That happens on every path that disposes the port,
/// an exception unwinding a <c>using</c> included. If the process dies instead, the kernel frees no
/// extra buffer: they are lost until the allocator goes (with its last port, for pipes and VALE
/// ports), never freed while a ring still uses them.</para>
/// <para>Used by one thread at a time, like the port's rings; no member allocates.</para>
/// </remarks>
public sealed unsafe class NetmapExtraBuffers
{
    private readonly PortLifetime? _lifetime;
    private readonly byte* _buffers;
    private readonly uint _bufferSize;
    private readonly uint _bufferLimit;
    private readonly uint[] _free;       // a stack of free buffer indexes
    private readonly ulong[] _owned;     // one bit per buffer index of the region: the pool's buffers
    private readonly ulong[] _held;      // the owned buffers handed out
    private int _freeCount;

    /// <summary>A pool with no buffers (none asked for or granted).</summary>
    internal NetmapExtraBuffers()
    {
        _free = [];
        _owned = [];
        _held = [];
    }

    private NetmapExtraBuffers(PortLifetime lifetime, byte* buffers, uint bufferSize, uint bufferLimit, uint[] free, ulong[] owned)
    {
        _lifetime = lifetime;
        _buffers = buffers;
        _bufferSize = bufferSize;
        _bufferLimit = bufferLimit;
        _free = free;
        _freeCount = free.Length;
        _owned = owned;
        _held = new ulong[owned.Length];
    }

    /// <summary>
    /// Takes over the kernel's list of <paramref name="granted"/> buffers from <c>ni_bufs_head</c>
    /// (then set to 0), with buffer addresses from <paramref name="ring"/>, any ring the port binds.
    /// Throws <see cref="NetmapException"/> (EINVAL) when the list names a buffer outside the region,
    /// names one twice or ends early.
    /// </summary>
    internal static NetmapExtraBuffers TakeFromKernel(PortLifetime lifetime, netmap_if* nifp, uint granted, in NetmapRing ring)
    {
        byte* buffers = ring.BuffersUnchecked;
        uint size = ring.BufferSizeUnchecked, limit = ring.BufferLimitUnchecked;
        if (granted > limit)
            throw Corrupt(lifetime.PortName, $"{granted} extra buffers cannot lie in a region of {limit} buffers");
        var free = new uint[granted];
        var seen = new ulong[(limit + 63) / 64];
        uint index = nifp->ni_bufs_head;
        for (int i = 0; i < free.Length; i++)
        {
            if (index < 2 || index >= limit)
                throw Corrupt(lifetime.PortName, $"extra buffer {i} of {granted} has index {index}, outside the region's buffers [2, {limit})");
            if ((seen[index / 64] & (1UL << (int)(index % 64))) != 0)
                throw Corrupt(lifetime.PortName, $"the extra buffer list names buffer {index} twice");
            seen[index / 64] |= 1UL << (int)(index % 64);
            free[i] = index;
            index = *(uint*)(buffers + ((long)index * size));
        }
        // From here on the pool, not the list, says what the port owns: a list left in the netmap_if
        // would have the kernel follow buffers the application has since filled with frames.
        nifp->ni_bufs_head = 0;
        return new NetmapExtraBuffers(lifetime, buffers, size, limit, free, seen);
    }

    /// <summary>Buffers the pool owns: what the kernel granted (it may be fewer than asked for).</summary>
    public int Count => _free.Length;

    /// <summary>Free buffers in the pool now (<see cref="Count"/> minus the held ones).</summary>
    public int Available => _freeCount;

    /// <summary>Bytes in every buffer (<c>nr_buf_size</c>).</summary>
    public int BufferSize => (int)_bufferSize;

    /// <summary>Hands out a free buffer; false (nothing changes) when none is free.</summary>
    public bool TryRent(out uint bufferIndex)
    {
        ThrowIfClosed();
        if (_freeCount == 0)
        {
            bufferIndex = 0;
            return false;
        }
        bufferIndex = _free[--_freeCount];
        SetHeld(bufferIndex, true);
        return true;
    }

    /// <summary>Takes back a held buffer. Throws <see cref="ArgumentException"/> for any other index (returned twice, never handed out, outside the region).</summary>
    public void Return(uint bufferIndex)
    {
        ThrowIfClosed();
        if (!IsHeld(bufferIndex)) ThrowNotHeld(bufferIndex, nameof(bufferIndex));
        SetHeld(bufferIndex, false);
        _free[_freeCount++] = bufferIndex;
    }

    /// <summary>True when <paramref name="bufferIndex"/> is held: handed out by this pool and not returned.</summary>
    public bool IsHeld(uint bufferIndex)
    {
        ThrowIfClosed();
        return Has(_held, bufferIndex);
    }

    /// <summary>The bytes of a held buffer (<see cref="BufferSize"/> of them).</summary>
    public Span<byte> GetBuffer(uint bufferIndex)
    {
        if (!IsHeld(bufferIndex)) ThrowNotHeld(bufferIndex, nameof(bufferIndex));
        return new Span<byte>(_buffers + ((long)bufferIndex * _bufferSize), (int)_bufferSize);
    }

    /// <summary>
    /// Puts the held buffer <paramref name="bufferIndex"/> into slot <paramref name="slotIndex"/> of
    /// <paramref name="ring"/> with length <paramref name="length"/> and <c>NS_BUF_CHANGED</c>, and
    /// returns the buffer the slot had, which the caller now holds in its place (read the slot's
    /// length first if it is a frame to keep). On an RX ring that keeps a received frame and gives
    /// the kernel an empty buffer; on a TX ring it sends a held frame without copying it.
    /// The ring must belong to a port of the same memory region; it is not advanced.
    /// </summary>
    /// <exception cref="ArgumentException">The buffer is not held, the ring maps another region, or
    /// the length is larger than a buffer.</exception>
    /// <exception cref="InvalidOperationException">The slot names a buffer outside the region or one
    /// this pool owns (a corrupt slot): nothing is changed.</exception>
    public uint SwapWithSlot(in NetmapRing ring, int slotIndex, uint bufferIndex, int length)
    {
        ref NetmapSlot slot = ref ring[slotIndex];   // checks the ring's lifetime and the slot index
        ThrowIfClosed();
        if (ring.Owner is not { } owner || !ReferenceEquals(owner.MemoryIdentity, _lifetime!.MemoryIdentity))
            throw new ArgumentException("The ring maps another memory region than this port's extra buffers.", nameof(ring));
        if (!IsHeld(bufferIndex)) ThrowNotHeld(bufferIndex, nameof(bufferIndex));
        if ((uint)length > _bufferSize)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"A buffer holds {_bufferSize} bytes.");
        uint old = slot.BufferIndex;
        if (old < 2 || old >= _bufferLimit || Has(_owned, old))
            throw new InvalidOperationException(
                $"Slot {slotIndex} of {ring} names buffer {old}, which is reserved, outside the region or one of the port's extra buffers (corrupt slot).");
        slot.BufferIndex = bufferIndex;
        slot.Length = (ushort)length;
        slot.Flags |= NetmapSlotFlags.NS_BUF_CHANGED;
        SetHeld(bufferIndex, false);
        Set(_owned, bufferIndex, false);
        Set(_owned, old, true);
        SetHeld(old, true);
        return old;
    }

    /// <summary>
    /// Writes the list of every buffer the pool owns (free and held) into <c>ni_bufs_head</c> for the
    /// kernel to free when the port's file descriptor closes; the pool is unusable afterwards.
    /// Called by <see cref="NetmapPort.Dispose"/> while the region is still mapped.
    /// </summary>
    internal void ReturnToKernel(netmap_if* nifp)
    {
        if (_lifetime is null || _free.Length == 0) return;
        uint head = 0;
        for (int i = 0; i < _freeCount; i++) head = Link(_free[i], head);
        for (uint word = 0; word < (uint)_held.Length; word++)
        {
            for (ulong bits = _held[word]; bits != 0; bits &= bits - 1)
                head = Link((word * 64) + (uint)ulong.TrailingZeroCount(bits), head);
        }
        nifp->ni_bufs_head = head;
        _freeCount = 0;
        Array.Clear(_held);
        Array.Clear(_owned);
    }

    private uint Link(uint index, uint next)
    {
        *(uint*)(_buffers + ((long)index * _bufferSize)) = next;
        return index;
    }

    private void SetHeld(uint index, bool held) => Set(_held, index, held);

    private bool Has(ulong[] bits, uint index) => index < _bufferLimit && (bits[index / 64] & (1UL << (int)(index % 64))) != 0;

    private static void Set(ulong[] bits, uint index, bool value)
    {
        ulong bit = 1UL << (int)(index % 64);
        if (value) bits[index / 64] |= bit;
        else bits[index / 64] &= ~bit;
    }

    private void ThrowIfClosed()
    {
        if (_lifetime is { IsDisposed: true })
            throw new ObjectDisposedException(nameof(NetmapPort), $"Port '{_lifetime.PortName}' is disposed; its extra buffers went back to the kernel.");
    }

    [DoesNotReturn]
    private static void ThrowNotHeld(uint bufferIndex, string parameter) =>
        throw new ArgumentException($"Buffer {bufferIndex} is not held from this pool (returned already, never handed out, or not an extra buffer of this port).", parameter);

    private static NetmapException Corrupt(string port, string detail) => NetmapException.FromErrno(Errno.EINVAL, "extra buffers", port, detail);
}
