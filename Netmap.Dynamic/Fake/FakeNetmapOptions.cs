namespace Netmap.Dynamic.Fake;

/// <summary>Settings of a <see cref="FakeNetmapBackend"/>. The defaults are what the real kernel does.</summary>
public sealed class FakeNetmapOptions
{
    /// <summary>
    /// Layout of the private allocator of every VALE port and of every pipe parent. Null (the
    /// default): each allocator is sized for the port that creates it, as the kernel sizes it
    /// (<see cref="FakeMemoryLayout.ForPrivateAllocator"/>). A layout here makes every private
    /// allocator that size instead (to test what happens when one runs out, for example).
    /// </summary>
    public FakeMemoryLayout? PrivateLayout { get; init; }

    /// <summary>Layout of the allocator shared by the fake NICs (<c>nr_mem_id</c> 1) and pipes on them.</summary>
    public FakeMemoryLayout GlobalLayout { get; init; } = FakeMemoryLayout.Global;

    /// <summary>Slots per ring of a VALE port or a new pipe parent when the request does not say (kernel default 1024).</summary>
    public int DefaultSlots { get; init; } = 1024;
}
