namespace Netmap.Dynamic.Tests.Errors;

public class NetmapExceptionTests
{
    [TestCase(Errno.ENXIO, typeof(NetmapPortNotFoundException))]
    [TestCase(Errno.ENOENT, typeof(NetmapPortNotFoundException))]
    [TestCase(Errno.EACCES, typeof(NetmapPermissionException))]
    [TestCase(Errno.EPERM, typeof(NetmapPermissionException))]
    [TestCase(Errno.EBUSY, typeof(NetmapBusyException))]
    [TestCase(Errno.EINVAL, typeof(NetmapException))]
    public void FromErrno_picks_the_specific_type(int errno, Type expected)
    {
        NetmapException e = NetmapException.FromErrno(errno, "register", "vale0:a");
        Assert.That(e.GetType(), Is.EqualTo(expected));
        Assert.That(e.Errno, Is.EqualTo(errno));
        Assert.That(e.Operation, Is.EqualTo("register"));
        Assert.That(e.PortName, Is.EqualTo("vale0:a"));
        Assert.That(e.Message, Does.Contain(Errno.Name(errno)).And.Contain("vale0:a"));
    }

    [Test]
    public void Unknown_errno_gets_a_numeric_name()
    {
        Assert.That(Errno.Name(4242), Is.EqualTo("errno 4242"));
        Assert.That(NetmapException.FromErrno(4242, "txsync", null, "ring 0").Message, Does.Contain("errno 4242").And.Contain("ring 0"));
    }
}
