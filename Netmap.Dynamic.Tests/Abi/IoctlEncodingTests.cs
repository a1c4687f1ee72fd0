using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.Abi;

public class IoctlEncodingTests
{
    [Test]
    public void Linux_encoding_packs_direction_size_type_and_number()
    {
        // Taken apart by hand: dir (bits 30-31), size (16-29), type (8-15), nr (0-7).
        uint ctrl = NetmapIoctl.NIOCCTRL;
        Assert.Multiple(() =>
        {
            Assert.That(ctrl >> 30, Is.EqualTo(3u), "read|write");
            Assert.That((ctrl >> 16) & 0x3fff, Is.EqualTo(88u), "sizeof(nmreq_header)");
            Assert.That((ctrl >> 8) & 0xff, Is.EqualTo((uint)'i'));
            Assert.That(ctrl & 0xff, Is.EqualTo(151u));
            Assert.That(NetmapIoctl.NIOCTXSYNC >> 16, Is.Zero, "_IO carries no size or direction");
        });
    }

    [Test]
    public void FreeBsd_encoding_uses_its_own_direction_bits()
    {
        Assert.Multiple(() =>
        {
            Assert.That(NetmapIoctl.FreeBsd.NIOCCTRL & 0xe0000000, Is.EqualTo(0xc0000000u), "IOC_INOUT");
            Assert.That((NetmapIoctl.FreeBsd.NIOCCTRL >> 16) & 0x1fff, Is.EqualTo(88u));
            Assert.That(NetmapIoctl.FreeBsd.NIOCTXSYNC, Is.EqualTo(0x20000000u | ('i' << 8) | 148u), "IOC_VOID");
        });
    }

    [Test]
    public void Sizes_that_do_not_fit_the_field_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IoctlEncoding.LinuxIOWR('i', 1, 1 << 14));
        Assert.Throws<ArgumentOutOfRangeException>(() => IoctlEncoding.FreeBsdIOWR('i', 1, 1 << 13));
        Assert.Throws<ArgumentOutOfRangeException>(() => IoctlEncoding.LinuxIOWR('i', 1, -1));
    }
}
