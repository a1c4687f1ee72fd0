namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// VALE polling mode (<c>NETMAP_REQ_VALE_POLLING_ENABLE</c>/<c>_DISABLE</c>, <c>vale-ctl -C</c>): kernel
/// threads that poll a NIC attached to a switch. ctrl-api-test 18 (vale_polling_enable_disable). The
/// fake attaches no NIC to a switch, so the rules about a polled NIC run on the kernel only; the
/// refusals for everything else run on both.
/// </summary>
public sealed class ValePollingTests(BackendKind kind) : TwoBackendTest(kind)
{
    private void Enable(string name, NetmapValePollingMode mode = NetmapValePollingMode.SingleCpu, int firstCpu = 0, int cpuCount = 1)
    {
        if (IsNative) Library.ValeEnablePolling(name, mode, firstCpu, cpuCount);
        else Fake.ValeEnablePolling(name, mode, firstCpu, cpuCount);
    }

    private void Disable(string name)
    {
        if (IsNative) Library.ValeDisablePolling(name);
        else Fake.ValeDisablePolling(name);
    }

    private static int ErrnoOf(TestDelegate action) => Assert.Catch<NetmapException>(action)!.Errno;

    [Test]
    public void A_vale_port_cannot_be_polled_only_a_nic_attached_to_a_switch_can_EOPNOTSUPP()
    {
        string name = $"{UniqueSwitch()}:a";
        using NetmapPort port = Backend.OpenPort(name);
        Assert.That(ErrnoOf(() => Enable(name)), Is.EqualTo(Errno.EOPNOTSUPP));
        Assert.That(ErrnoOf(() => Disable(name)), Is.EqualTo(Errno.EOPNOTSUPP));
    }

    [Test]
    public void Polling_a_name_that_is_no_switch_port_is_EINVAL()
    {
        Assert.That(ErrnoOf(() => Enable(Unique("nmnone"))), Is.EqualTo(Errno.EINVAL));
    }

    [Test]
    public void Polling_a_port_the_switch_does_not_have_is_ENXIO()
    {
        Assert.That(ErrnoOf(() => Enable($"{UniqueSwitch()}:{Unique("nmnone")}")), Is.EqualTo(Errno.ENXIO));
    }

    [Test]
    public void A_nic_attached_to_a_switch_is_polled_until_polling_is_disabled_and_cannot_be_detached_meanwhile()
    {
        if (!IsNative) Assert.Ignore("The fake backend attaches no NIC to a VALE switch (NETMAP_REQ_VALE_ATTACH): this rule runs on the kernel only.");
        string suffix = Unique("");
        using KernelTestLink veth = KernelTestLink.TryCreate(Backend, $"nmp{suffix}a", $"nmp{suffix}b", 77, 1, out string? reason)
            ?? throw new IgnoreException($"no veth pair: {reason}");
        string name = $"{UniqueSwitch()}:{veth.Nic}";
        Library.ValeAttach(name);
        try
        {
            Assert.That(ErrnoOf(() => Enable(name, cpuCount: 0)), Is.EqualTo(Errno.EINVAL), "no polling thread");
            Assert.That(ErrnoOf(() => Enable(name, cpuCount: 2)), Is.EqualTo(Errno.EINVAL), "single-CPU mode takes one CPU");
            Assert.That(ErrnoOf(() => Enable(name, NetmapValePollingMode.MultiCpu, firstCpu: 1, cpuCount: 1)), Is.EqualTo(Errno.EINVAL),
                "multi-CPU mode polls rings [first, first + count): the NIC has one");

            Enable(name);
            Assert.That(ErrnoOf(() => Enable(name)), Is.EqualTo(Errno.EFAULT), "already polled");
            Assert.That(ErrnoOf(() => Library.ValeDetach(name)), Is.EqualTo(Errno.EBUSY), "a polled NIC stays attached");
            Disable(name);
            Assert.That(ErrnoOf(() => Disable(name)), Is.EqualTo(Errno.EFAULT), "not polled any more");
        }
        finally
        {
            Library.ValeDetach(name);
        }
    }
}
