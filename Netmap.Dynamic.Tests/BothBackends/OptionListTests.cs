namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// How the kernel checks a register's option list before it looks at any option (<c>nmreq_copyin</c>)
/// and after the register (<c>nmreq_checkoptions</c>), and the message the library gives for each
/// refusal. ctrl-api-test 19 (unsupported_option), 20 (infinite_options), 21 (infinite_options2),
/// 22 (invalid_valid_options3), and the duplicate option of its extmem tests. The options are bare
/// headers (<see cref="RawRegisterOptions"/>) chained after those the library sends.
/// </summary>
public sealed class OptionListTests(BackendKind kind) : TwoBackendTest(kind)
{
    private const ushort Offsets = 5;   // NETMAP_REQ_OPT_OFFSETS
    private const ushort OptionMax = 6;  // NETMAP_REQ_OPT_MAX: the first type the kernel does not know

    private NetmapException Refused(RawRegisterOptions raw, NetmapBufferOffsets? offsets = null) =>
        Assert.Catch<NetmapException>(() => Backend.OpenPort($"{UniqueSwitch()}:a",
            new NetmapPortOptions { Offsets = offsets, RawOptions = raw }).Dispose())!;

    [Test]
    public void An_option_of_a_type_the_kernel_does_not_know_fails_the_register_with_EOPNOTSUPP()
    {
        NetmapException e = Refused(new RawRegisterOptions(1234));
        Assert.That(e.Errno, Is.EqualTo(Errno.EOPNOTSUPP));
        Assert.That(e.Message, Does.Contain("does not support option type 1234"));
    }

    [Test]
    public void An_option_list_that_never_ends_is_EMSGSIZE()
    {
        NetmapException e = Refused(new RawRegisterOptions((ushort)(OptionMax + 1), Loop: true));
        Assert.That(e.Errno, Is.EqualTo(Errno.EMSGSIZE));
        Assert.That(e.Message, Does.Contain("never ends"));
    }

    [Test]
    public void An_endless_list_of_a_known_option_is_EINVAL_because_the_option_comes_twice()
    {
        NetmapException e = Refused(new RawRegisterOptions(Offsets, Loop: true));
        Assert.That(e.Errno, Is.EqualTo(Errno.EINVAL));
        Assert.That(e.Message, Does.Contain("appears twice"));
    }

    [Test]
    public void More_options_than_the_kernels_request_buffer_holds_are_EMSGSIZE()
    {
        NetmapException e = Refused(new RawRegisterOptions(OptionMax, Count: 200));
        Assert.That(e.Errno, Is.EqualTo(Errno.EMSGSIZE));
        Assert.That(e.Message, Does.Contain("does not fit"));
    }

    [Test]
    public void As_many_unknown_options_as_the_buffer_holds_pass_its_check_and_fail_as_unsupported()
    {
        Assert.That(Refused(new RawRegisterOptions(OptionMax, Count: 100)).Errno, Is.EqualTo(Errno.EOPNOTSUPP));
    }

    [Test]
    public void An_option_given_twice_is_EINVAL()
    {
        // The library's own offsets option and a second one of the same type.
        NetmapException e = Refused(new RawRegisterOptions(Offsets), new NetmapBufferOffsets(0, 64));
        Assert.That(e.Errno, Is.EqualTo(Errno.EINVAL));
        Assert.That(e.Message, Does.Contain("OFFSETS (5)"));
    }

    [Test]
    public void An_option_of_type_zero_is_EINVAL()
    {
        Assert.That(Refused(new RawRegisterOptions(0)).Errno, Is.EqualTo(Errno.EINVAL));
    }

    [Test]
    public void A_refused_register_leaves_the_port_free_to_open()
    {
        string name = $"{UniqueSwitch()}:a";
        Assert.Catch<NetmapException>(() => Backend.OpenPort(name, new NetmapPortOptions { RawOptions = new RawRegisterOptions(1234) }).Dispose());
        using NetmapPort port = Backend.OpenPort(name + "/x");
        Assert.That(port.TxSlots, Is.GreaterThan(0));
    }
}
