using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Fake;

/// <summary>
/// One emulated memory allocator: a native region (one <see cref="NativeMemory.AlignedAlloc"/>)
/// with the kernel's layout and free lists for its three pools. All methods run under the
/// backend's registry lock (allocation happens only at open and close).
/// </summary>
internal sealed unsafe class FakeMemory : IDisposable
{
    private readonly FakeAllocatorTable _allocators;
    private readonly bool[] _interfaceUsed;
    private readonly bool[] _ringUsed;
    private readonly bool[] _bufferUsed;
    private int _lowestFreeBuffer = 2;

    public FakeMemory(FakeAllocatorTable allocators, ushort memId, FakeMemoryLayout layout)
    {
        _allocators = allocators;
        MemId = memId;
        Layout = layout;
        Size = layout.TotalSize;
        // Not zeroed: the pools are zeroed object by object as they are handed out, so that the
        // (large, mostly unused) buffer pool costs only address space, as a lazily mapped region does.
        Base = (byte*)NativeMemory.AlignedAlloc((nuint)Size, 4096);
        _interfaceUsed = new bool[layout.InterfaceCount];
        _ringUsed = new bool[layout.RingCount];
        _bufferUsed = new bool[layout.BufferCount];
        _allocators.OnRegionAllocated(Size);
    }

    /// <summary>
    /// An allocator laid out in memory the application owns (<c>@extmem</c>): nothing is allocated,
    /// the pools are zeroed as their objects are handed out, and <see cref="Dispose"/> frees nothing.
    /// </summary>
    public FakeMemory(FakeAllocatorTable allocators, ushort memId, FakeMemoryLayout layout, byte* external)
    {
        _allocators = allocators;
        MemId = memId;
        Layout = layout;
        Size = layout.TotalSize;
        Base = external;
        IsExternal = true;
        _interfaceUsed = new bool[layout.InterfaceCount];
        _ringUsed = new bool[layout.RingCount];
        _bufferUsed = new bool[layout.BufferCount];
    }

    /// <summary>True for an allocator in application memory (<c>@extmem</c>).</summary>
    public bool IsExternal { get; }

    public ushort MemId { get; }
    public FakeMemoryLayout Layout { get; }
    public byte* Base { get; private set; }
    public long Size { get; }

    /// <summary>Identity object for <see cref="PortLifetime.MemoryIdentity"/>.</summary>
    public object Identity { get; } = new();

    /// <summary>Adapters whose rings live here; the region is freed when it drops to 0.</summary>
    public int Users { get; set; }

    /// <summary>
    /// Offset of a fresh, zeroed netmap_if object listing <paramref name="rings"/> rings, or -1 when
    /// the pool is exhausted or such a netmap_if is larger than the pool's objects (the kernel's ENOMEM).
    /// </summary>
    public long AllocateInterface(int rings) =>
        rings > Layout.MaxListedRingsPerInterface ? -1 : Allocate(_interfaceUsed, 0, Layout.InterfaceSize);

    public void FreeInterface(long offset) => _interfaceUsed[offset / Layout.InterfaceSize] = false;

    /// <summary>
    /// Offset of a fresh, zeroed ring object for <paramref name="slots"/> slots, or -1 when the pool is
    /// exhausted or such a ring is larger than the pool's objects (the kernel's ENOMEM).
    /// </summary>
    public long AllocateRing(uint slots) =>
        slots > Layout.MaxSlots ? -1 : Allocate(_ringUsed, Layout.RingPoolOffset, Layout.RingSize);

    public void FreeRing(long offset) => _ringUsed[(offset - Layout.RingPoolOffset) / Layout.RingSize] = false;

    /// <summary>Fills <paramref name="indexes"/> with the lowest free buffer indexes, ascending; false when too few are free.</summary>
    public bool AllocateBuffers(Span<uint> indexes)
    {
        int found = 0;
        for (int i = _lowestFreeBuffer; i < _bufferUsed.Length && found < indexes.Length; i++)
        {
            if (!_bufferUsed[i]) indexes[found++] = (uint)i;
        }
        if (found < indexes.Length) return false;
        foreach (uint index in indexes) _bufferUsed[index] = true;
        _lowestFreeBuffer = (int)indexes[^1] + 1;
        return true;
    }

    /// <summary>Returns a buffer to the pool; indexes that are reserved, out of range or already free are ignored.</summary>
    public void FreeBuffer(uint index)
    {
        if (index < 2 || index >= (uint)_bufferUsed.Length || !_bufferUsed[index]) return;
        _bufferUsed[index] = false;
        if (index < _lowestFreeBuffer) _lowestFreeBuffer = (int)index;
    }

    /// <summary>True when <paramref name="index"/> names a usable (non-reserved) buffer of this region.</summary>
    public bool IsValidBuffer(uint index) => index >= 2 && index < (uint)Layout.BufferCount;

    /// <summary>The bytes of buffer <paramref name="index"/> (which the caller has validated).</summary>
    public Span<byte> Buffer(uint index) =>
        new(Base + Layout.BufferPoolOffset + ((long)index * Layout.BufferSize), Layout.BufferSize);

    public void Dispose()
    {
        if (Base == null) return;
        if (!IsExternal)
        {
            NativeMemory.AlignedFree(Base);
            _allocators.OnRegionFreed(Size);
        }
        Base = null;
    }

    private long Allocate(bool[] used, long poolOffset, int objectSize)
    {
        for (int i = 0; i < used.Length; i++)
        {
            if (used[i]) continue;
            used[i] = true;
            long offset = poolOffset + ((long)i * objectSize);
            new Span<byte>(Base + offset, objectSize).Clear();
            return offset;
        }
        return -1;
    }
}
