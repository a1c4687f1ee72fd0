using Netmap.Dynamic.Tests.BothBackends;

namespace Netmap.Dynamic.Tests.Native;

/// <summary>
/// VALE control requests (vale-ctl's -l -n -a -d -r -h) and the virtio header length: kernel
/// requests the fake backend does not offer, so these run on the real kernel only. Objectives of
/// netmap's utils/tests 002 and 009-011 and of ctrl-api-test's VALE cases.
/// </summary>
public sealed class ValeControlTests : RealNetmapFixture
{
    [Test]
    public void An_ephemeral_vale_port_is_listed_while_open_and_gone_after_its_last_close()
    {
        string port = $"{Unique("vale_l")}:a";
        using (Library.OpenPort(port))
        {
            NetmapValePort listed = Library.ValeList().Single(p => p.Name == port);
            Assert.That(listed.PortIndex, Is.GreaterThanOrEqualTo(0));
        }
        Assert.That(Library.ValeList().Select(p => p.Name), Does.Not.Contain(port));
    }

    [Test]
    public void A_persistent_port_is_created_attached_listed_detached_and_deleted()
    {
        string sw = Unique("vale_n"), name = Unique("nmp");
        Library.ValeNewInterface(name, new NetmapValeInterfaceOptions { TxSlots = 512, RxSlots = 512 });
        try
        {
            int index = Library.ValeAttach($"{sw}:{name}");
            Assert.That(Library.ValeList().Single(p => p.Name == $"{sw}:{name}").PortIndex, Is.EqualTo(index));
            Assert.That(Library.ValeDetach($"{sw}:{name}"), Is.EqualTo(index));
            Assert.That(Library.ValeList().Select(p => p.Name), Does.Not.Contain($"{sw}:{name}"));
        }
        finally
        {
            Library.ValeDeleteInterface(name);
        }
        Assert.Throws<NetmapPortNotFoundException>(() => Library.GetPortInfo(name));
    }

    [Test]
    public void A_persistent_port_opened_exclusively_cannot_be_opened_again()
    {
        // netmap's utils/tests/002 (which checks only that the opens fail).
        string sw = BothBackends.PersistentPorts.Switch, name = Unique("nmx");
        Library.ValeNewInterface(name);
        Library.ValeAttach($"{sw}:{name}");
        try
        {
            using (NetmapPort holder = Library.OpenPort($"{sw}:{name}/x"))
            {
                // Linux 6.1 answers EINVAL to both.
                Assert.That(Assert.Catch<NetmapException>(() => Library.OpenPort($"{sw}:{name}").Dispose(), "plain open")!.Errno, Is.EqualTo(Errno.EINVAL));
                Assert.That(Assert.Catch<NetmapException>(() => Library.OpenPort($"{sw}:{name}/x").Dispose(), "exclusive open")!.Errno, Is.EqualTo(Errno.EINVAL));
            }
        }
        finally
        {
            // Best effort: after an exclusive open through the switch is closed, the kernel was seen
            // both to have detached the port already (detach: ENXIO) and to still refuse its delete
            // (EBUSY) for a moment; neither is what this test is about.
            try { Library.ValeDetach($"{sw}:{name}"); } catch (NetmapException e) { TestContext.Out.WriteLine($"detach: {e.Message}"); }
            try { Library.ValeDeleteInterface(name); } catch (NetmapException e) { TestContext.Out.WriteLine($"delete: {e.Message}"); }
        }
    }

    [Test]
    public void A_persistent_port_cannot_be_created_twice_nor_deleted_while_attached()
    {
        // netmap's utils/tests/009 and 011.
        string swA = Unique("vale_a"), name = Unique("nmd");
        Library.ValeNewInterface(name);
        try
        {
            NetmapException twice = Assert.Catch<NetmapException>(() => Library.ValeNewInterface(name))!;
            Library.ValeAttach($"{swA}:{name}");
            NetmapException attached = Assert.Catch<NetmapException>(() => Library.ValeDeleteInterface(name))!;
            Assert.That(attached.Errno, Is.EqualTo(Errno.EBUSY), "delete while attached");
            Assert.Catch<NetmapException>(() => Library.ValeNewInterface(name), "nor created again while attached");
            Library.ValeDetach($"{swA}:{name}");
            TestContext.Out.WriteLine($"create twice: errno {twice.Errno}");
        }
        finally
        {
            Library.ValeDeleteInterface(name);
        }
        Library.ValeNewInterface(name);   // deleted means gone: the name can be created anew
        Library.ValeDeleteInterface(name);
    }

    [Test]
    public void A_persistent_port_attaches_to_a_switch_once()
    {
        // netmap's utils/tests/010 expects a second attach to the same switch to fail.
        string swA = Unique("vale_a"), name = Unique("nma");
        Library.ValeNewInterface(name);
        try
        {
            Library.ValeAttach($"{swA}:{name}");
            NetmapException again = Assert.Catch<NetmapException>(() => Library.ValeAttach($"{swA}:{name}"))!;
            Assert.That(again.Errno, Is.EqualTo(Errno.EBUSY));
            Library.ValeDetach($"{swA}:{name}");
        }
        finally
        {
            Library.ValeDeleteInterface(name);
        }
    }

    [Test]
    public void A_persistent_port_attached_to_a_second_switch_loses_its_first_attachment_and_cannot_be_deleted_again()
    {
        // netmap's utils/tests/009 and 010 expect a second switch to take the port and both detaches
        // and the delete to work. Linux 6.1 takes the second attach, but the first attachment is then
        // listed under the port's bare name and cannot be detached (ENXIO), so the port is never free
        // to delete (EBUSY). It stays until the module is unloaded: the first switch is this run's
        // shared switch for such leftovers (PersistentPorts).
        string swA = BothBackends.PersistentPorts.Switch, swB = Unique("vale_b"), name = Unique("nm2");
        Library.ValeNewInterface(name);
        Library.ValeAttach($"{swA}:{name}");
        Library.ValeAttach($"{swB}:{name}");
        try
        {
            string[] listed = [.. Library.ValeList().Select(p => p.Name)];
            Assert.That(listed, Does.Contain($"{swB}:{name}").And.Contain(name).And.Not.Contain($"{swA}:{name}"));
            Assert.That(Assert.Catch<NetmapException>(() => Library.ValeDetach($"{swA}:{name}"))!.Errno, Is.EqualTo(Errno.ENXIO), "the first attachment");
            Assert.That(Assert.Catch<NetmapException>(() => Library.ValeDeleteInterface(name))!.Errno, Is.EqualTo(Errno.EBUSY), "delete while attached twice");
        }
        finally
        {
            Library.ValeDetach($"{swB}:{name}");
        }
        Assert.That(Assert.Catch<NetmapException>(() => Library.ValeDeleteInterface(name))!.Errno, Is.EqualTo(Errno.EBUSY),
            "still attached to the first switch, for good");
    }

    [Test]
    public void A_persistent_port_that_was_opened_stays_attached_under_its_bare_name_once_closed()
    {
        // What the objective tests of persistent ports (utils/tests 005, 013, 016, 019, 022, 026) leave
        // behind on Linux 6.1: after an open and close the port can be neither detached nor deleted.
        string sw = BothBackends.PersistentPorts.Switch, name = Unique("nmo");
        Library.ValeNewInterface(name);
        Library.ValeAttach($"{sw}:{name}");
        Library.OpenPort($"{sw}:{name}").Dispose();

        Assert.That(Library.ValeList().Select(p => p.Name), Does.Contain(name).And.Not.Contain($"{sw}:{name}"));
        Assert.That(Assert.Catch<NetmapException>(() => Library.ValeDetach($"{sw}:{name}"))!.Errno, Is.EqualTo(Errno.ENXIO));
        Assert.That(Assert.Catch<NetmapException>(() => Library.ValeDeleteInterface(name))!.Errno, Is.EqualTo(Errno.EBUSY));
    }

    [Test]
    public void Persistent_ports_attached_to_one_switch_exchange_frames()
    {
        // netmap's utils/tests/022: what one persistent port sends, the others receive.
        string sw = BothBackends.PersistentPorts.Switch;   // the ports stay once opened (PersistentPorts)
        string[] names = [Unique("nmq"), Unique("nmq"), Unique("nmq")];
        var ports = new List<NetmapPort>();
        try
        {
            foreach (string name in names)
            {
                Library.ValeNewInterface(name);
                Library.ValeAttach($"{sw}:{name}");
                ports.Add(Library.OpenPort($"{sw}:{name}"));
            }
            byte[] frame = KernelFrames.Ethernet(KernelFrames.Broadcast, KernelFrames.Mac(0x42), 4, 274);
            Assert.That(ports[0].GetTxRing(0).TryWrite(frame), Is.True);
            ports[0].TxSync();
            foreach (NetmapPort receiver in ports.Skip(1))
            {
                Assert.That(receiver.Poll(NetmapPollEvents.Receive, Guard), Is.EqualTo(NetmapPollEvents.Receive), receiver.Name);
                Assert.That(receiver.GetRxRing(0).TryRead(out ReadOnlySpan<byte> got), Is.True);
                Assert.That(got.ToArray(), Is.EqualTo(frame));
            }
        }
        finally
        {
            foreach (NetmapPort port in ports) port.Dispose();
            foreach (string name in names)
            {
                try { Library.ValeDetach($"{sw}:{name}"); } catch (NetmapException) { }
                try { Library.ValeDeleteInterface(name); } catch (NetmapException) { }
            }
        }
    }

    [Test]
    public void The_virtio_header_length_of_an_open_vale_port_takes_12_0_and_10()
    {
        // ctrl-api-test's vale_ephemeral_port_hdr_manipulation.
        string port = $"{Unique("vale_h")}:eph";
        using NetmapPort open = Library.OpenPort(port);
        foreach (int length in new[] { 12, 0, 10 })
        {
            Library.SetVirtioHeaderLength(port, length);
            Assert.That(Library.GetVirtioHeaderLength(port), Is.EqualTo(length));
        }
        Assert.Catch<NetmapException>(() => Library.SetVirtioHeaderLength(port, 7), "only 0, 10 and 12 exist");
    }

    [TestCase(false)]
    [TestCase(true)]
    [Category(NicTests.Category)]
    public void A_nic_attaches_to_a_switch_with_or_without_its_host_stack_and_detaches(bool withHostStack)
    {
        // ctrl-api-test's vale_attach_detach and vale_attach_detach_host_rings, on a veth this test
        // creates (or the NIC pair NETMAP_TEST_NIC_PAIR names).
        string suffix = Unique("");
        using KernelTestLink? veth = KernelTestLink.TryCreate(Library, $"nmw{suffix}a", $"nmw{suffix}b", 250, 1, out string? reason);
        if (veth is null) Assert.Ignore($"no NIC: {reason}");
        string sw = Unique("vale_v"), attached = $"{sw}:{veth.Nic}";

        int index = Library.ValeAttach(attached, withHostStack);
        IReadOnlyList<string> listed = [.. Library.ValeList().Where(p => p.Name.StartsWith(sw + ":", StringComparison.Ordinal)).Select(p => p.Name)];
        Assert.That(listed, Does.Contain(attached));
        Assert.That(listed, Has.Count.EqualTo(withHostStack ? 2 : 1), "the host stack joins as a second port");
        Assert.That(Library.ValeDetach(attached), Is.EqualTo(index));
        Assert.That(Library.ValeList().Select(p => p.Name), Has.None.StartsWith(sw + ":"));
    }
}
