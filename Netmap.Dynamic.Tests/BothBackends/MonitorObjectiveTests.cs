namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// The monitor objectives of netmap's utils/tests that <see cref="MonitorTests"/>' rules do not name:
/// a copy monitor leaves the frame to the port it watches, a zero-copy RX monitor on VALE (015), and
/// monitors of persistent VALE ports (013, 016, 019, 026), which the fake cannot create (kernel only).
/// </summary>
public sealed class MonitorObjectiveTests(BackendKind kind) : TwoBackendTest(kind)
{
    private static byte[] Frame(byte tag) => KernelFrames.Ethernet(KernelFrames.Broadcast, KernelFrames.Mac(1), tag, 274);

    private static void Send(NetmapPort port, byte[] frame)
    {
        Assert.That(port.GetTxRing(port.FirstTxRing).TryWrite(frame), Is.True);
        port.TxSync();
    }

    /// <summary>The frames waiting on RX ring 0, read and released.</summary>
    private static List<byte[]> Drain(NetmapPort port)
    {
        port.RxSync();
        NetmapRing rx = port.GetRxRing(port.FirstRxRing);
        var frames = new List<byte[]>();
        while (rx.TryRead(out ReadOnlySpan<byte> frame)) frames.Add(frame.ToArray());
        port.RxSync();
        return frames;
    }

    [TestCase("pipe", "r")]
    [TestCase("pipe", "t")]
    [TestCase("vale", "r")]
    [TestCase("vale", "t")]
    public void A_copy_monitor_takes_a_copy_and_the_port_it_watches_still_gets_the_frame(string kind, string direction)
    {
        // utils/tests 012, 014, 018, 020 check the monitor; here also that the frame still arrives.
        string name = kind == "pipe" ? Unique("cpm") : UniqueSwitch();
        (string a, string b) = kind == "pipe" ? ($"netmap:{name}{{1", $"netmap:{name}}}1") : ($"{name}:a", $"{name}:b");
        using NetmapPort sender = Backend.OpenPort(a);
        using NetmapPort receiver = Backend.OpenPort(b);
        using NetmapPort monitor = Backend.OpenPort(direction == "r" ? $"{b}/r" : $"{a}/t");
        byte[] frame = Frame(7);

        Send(sender, frame);

        Assert.That(Drain(monitor), Is.EqualTo(new[] { frame }), "the monitor's copy");
        Assert.That(Drain(receiver), Is.EqualTo(new[] { frame }), "the watched traffic still arrives");
    }

    [Test]
    public void On_VALE_a_zero_copy_RX_monitor_takes_a_received_frame_once_the_receiver_gives_it_back()
    {
        // utils/tests/015.
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a");
        using NetmapPort b = Backend.OpenPort($"{sw}:b");
        using NetmapPort m = Backend.OpenPort($"{sw}:b/z");
        byte[] frame = Frame(8);
        Send(a, frame);

        Assert.That(Drain(b), Is.EqualTo(new[] { frame }), "the receiver reads it first");
        m.RxSync();
        NetmapRing r = m.GetRxRing(0);
        Assert.That(r.Space, Is.EqualTo(1));
        Assert.That((r.GetPacket(r.Head).ToArray(), r[r.Head].Flags & Interop.NetmapSlotFlags.NS_TXMON),
            Is.EqualTo((frame, Interop.NetmapSlotFlags.None)));
    }

    [TestCase(false, false, TestName = "{m}(copy, RX: 013)")]
    [TestCase(true, false, TestName = "{m}(zero-copy, RX: 016)")]
    [TestCase(false, true, TestName = "{m}(copy, TX: 019)")]
    [TestCase(true, true, TestName = "{m}(zero-copy, TX: 026)")]
    public void A_monitor_of_a_persistent_vale_port_sees_its_traffic(bool zeroCopy, bool transmit)
    {
        if (!IsNative) Assert.Ignore("The fake backend has no persistent VALE ports (NETMAP_REQ_VALE_NEWIF): this objective runs on the kernel only.");
        string sw = PersistentPorts.Switch;
        string[] names = [Unique("nmm"), Unique("nmm")];
        var created = new List<string>();
        try
        {
            foreach (string name in names)
            {
                Library.ValeNewInterface(name);
                created.Add(name);
                Library.ValeAttach($"{sw}:{name}");
            }
            string sender = $"{sw}:{names[0]}", receiver = $"{sw}:{names[1]}";
            using NetmapPort s = Backend.OpenPort(sender);
            using NetmapPort r = Backend.OpenPort(receiver);
            // As the scripts do: the monitor names the persistent port's own interface (netmap:v0/r); through
            // the switch (vale0:v0/r) the kernel's monitor finds no parent (EINVAL).
            string watched = $"netmap:{names[transmit ? 0 : 1]}";
            using NetmapPort m = Backend.OpenPort($"{watched}/{(zeroCopy ? "z" : transmit ? "t" : "r")}");
            byte[] frame = Frame(9);

            Send(s, frame);
            Assert.That(Drain(r), Is.EqualTo(new[] { frame }), "the receiver gets the frame");

            List<byte[]> seen = Drain(m);
            Assert.That(seen, Is.EqualTo(new[] { frame }), $"the {(zeroCopy ? "zero-copy" : "copy")} monitor of {watched}");
        }
        finally
        {
            // Best effort: a persistent port that was opened can be neither detached nor deleted any
            // more on Linux 6.1 (see PersistentPorts).
            foreach (string name in created)
            {
                try { Library.ValeDetach($"{sw}:{name}"); } catch (NetmapException e) { TestContext.Out.WriteLine($"detach: {e.Message}"); }
                try { Library.ValeDeleteInterface(name); } catch (NetmapException e) { TestContext.Out.WriteLine($"delete: {e.Message}"); }
            }
        }
    }
}
