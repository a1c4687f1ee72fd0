namespace Netmap.Dynamic.Tests.DataPlane;

/// <summary>The values of the offsets and external memory options, checked where they are made.</summary>
public sealed class RegisterOptionValuesTests
{
    [TestCase(-1, 0, 0)]
    [TestCase(64, 32, 0)]      // max below initial
    [TestCase(0, 64, 65)]      // more bits than ptr has
    [TestCase(0, 256, 8)]      // 256 does not fit in 8 bits
    public void Offsets_that_the_kernel_would_refuse_are_refused_when_made(int initial, int max, int bits) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new NetmapBufferOffsets(initial, max, bits));

    [Test]
    public void Offsets_bits_give_the_kernels_mask()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new NetmapBufferOffsets(0, 255, 8).Mask, Is.EqualTo(0xffUL));
            Assert.That(new NetmapBufferOffsets(0, 64).Mask, Is.EqualTo(ulong.MaxValue), "0 bits: all of ptr");
            Assert.That(new NetmapBufferOffsets(0, 64, 64).Mask, Is.EqualTo(ulong.MaxValue));
        });
    }

    [Test]
    public void External_memory_needs_each_pool_rounded_up_to_whole_pages()
    {
        long page = Environment.SystemPageSize;
        NetmapExternalMemoryLayout layout = new(3, 1000, 2, 5000, 10, 2048);
        long expected = RoundUp(3000, page) + RoundUp(10000, page) + (10 * 2048);
        Assert.That(layout.RequiredBytes, Is.EqualTo(expected));
        Assert.That(NetmapExternalMemoryLayout.Default.RequiredBytes, Is.EqualTo(RoundUp(2048, page) + RoundUp(81920, page) + (4098L * 2048)));
    }

    [Test]
    public void A_layout_without_room_for_a_ring_or_the_reserved_buffers_is_refused()
    {
        nint page = Environment.SystemPageSize;
        Assert.Throws<ArgumentException>(() => NetmapExternalMemory.FromAddress(page * 16, 1 << 24, new NetmapExternalMemoryLayout(1, 1024, 1, 100, 100, 2048)));
        Assert.Throws<ArgumentException>(() => NetmapExternalMemory.FromAddress(page * 16, 1 << 24, new NetmapExternalMemoryLayout(1, 1024, 2, 4096, 2, 2048)));
    }

    [Test]
    public void Spec_pool_numbers_not_given_take_the_kernels_defaults()
    {
        NetmapExternalMemoryLayout layout = NetmapExternalMemoryLayout.From(NetmapPortSpec.Parse("vale0:a@extmem:file=/f,buf_num=100,ring_size=4096").ExtMem!);
        Assert.That(layout, Is.EqualTo(NetmapExternalMemoryLayout.Default with { BufferCount = 100, RingSize = 4096 }));
    }

    private static long RoundUp(long bytes, long page) => (bytes + page - 1) / page * page;
}
