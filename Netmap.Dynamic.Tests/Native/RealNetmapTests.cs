using System.Buffers.Binary;

namespace Netmap.Dynamic.Tests.Native;

/// <summary>
/// Runs only on a host where the probe says Available (netmap module loaded, /dev/netmap
/// accessible); elsewhere every test is reported as ignored with the probe's message.
/// Run exactly these: <c>dotnet test --filter TestCategory=RealNetmap</c> (see docs/native.md).
/// Port and switch names carry a random suffix so runs never meet each other's ports.
/// </summary>
[Category("RealNetmap")]
[NonParallelizable]
public sealed class RealNetmapTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);
    private NetmapLibrary _library = null!;
    private string _id = "";

    [OneTimeSetUp]
    public void RequireNetmap()
    {
        if (!NetmapLibrary.TryLoad(out NetmapLibrary? library, out NetmapProbeResult result))
            Assert.Ignore($"netmap is not available here ({result.Status}): {result.Message}");
        _library = library;
        _id = Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [OneTimeTearDown]
    public void Release() => _library?.Dispose();

    [Test]
    public void PipeMovesAHundredThousandFramesWithTheirContent()
    {
        using NetmapPort master = _library.OpenPort($"netmap:nd{_id}{{1");
        using NetmapPort slave = _library.OpenPort($"netmap:nd{_id}}}1");
        Assert.That(slave.MemId, Is.EqualTo(master.MemId), "both ends of a pipe share one allocator");
        Assert.That(_library.Backend.MappedRegions, Is.EqualTo(1), "and this library maps it once");

        NetmapRing tx = master.GetTxRing(master.FirstTxRing);
        NetmapRing rx = slave.GetRxRing(slave.FirstRxRing);
        const int total = 100_000;
        int sent = 0, received = 0;
        byte[] frame = new byte[60];
        while (received < total)
        {
            while (sent < total && tx.Space > 0)
            {
                BinaryPrimitives.WriteInt32LittleEndian(frame, sent);
                frame[59] = (byte)sent;
                Assert.That(tx.TryWrite(frame), Is.True);
                sent++;
            }
            master.TxSync();
            Assert.That(slave.Poll(NetmapPollEvents.Receive, Guard), Is.EqualTo(NetmapPollEvents.Receive));
            while (rx.TryRead(out ReadOnlySpan<byte> packet))
            {
                Assert.That(packet.Length, Is.EqualTo(60));
                Assert.That(BinaryPrimitives.ReadInt32LittleEndian(packet), Is.EqualTo(received));
                Assert.That(packet[59], Is.EqualTo((byte)received));
                received++;
            }
            slave.RxSync();
        }
        Assert.That(received, Is.EqualTo(total));
    }

    [Test]
    public void TwoValePortsOnAFreshSwitchExchangeABroadcast()
    {
        string sw = $"vale{_id}";
        using NetmapPort a = _library.OpenPort($"{sw}:a");
        using NetmapPort b = _library.OpenPort($"{sw}:b");
        byte[] frame = new byte[64];
        frame.AsSpan(0, 6).Fill(0xff);   // broadcast: flooded to b
        frame[6] = 0x02;
        frame[63] = 0x5a;

        Assert.That(a.GetTxRing(0).TryWrite(frame), Is.True);
        a.TxSync();
        Assert.That(b.Poll(NetmapPollEvents.Receive, Guard), Is.EqualTo(NetmapPollEvents.Receive));
        Assert.That(b.GetRxRing(0).TryRead(out ReadOnlySpan<byte> got), Is.True);
        Assert.That(got.ToArray(), Is.EqualTo(frame));
        Assert.That(_library.ValeList().Select(p => p.Name), Is.SupersetOf(new[] { $"{sw}:a", $"{sw}:b" }));
    }

    [Test]
    public void HostRingsOfAVeth()
    {
        string? veth = Environment.GetEnvironmentVariable("NETMAP_TEST_VETH");
        if (string.IsNullOrEmpty(veth))
            Assert.Ignore("Set NETMAP_TEST_VETH to one end of an up veth pair (ip link add nmv0 type veth peer name nmv1; ip link set nmv0 up; ip link set nmv1 up).");
        using NetmapPort host = _library.OpenPort($"netmap:{veth}^");

        Assert.Multiple(() =>
        {
            Assert.That(host.HostTxRingCount, Is.GreaterThan(0));
            Assert.That(host.FirstTxRing, Is.EqualTo(host.TxRingCount), "only the host rings are bound");
            Assert.That(host.LastTxRing, Is.EqualTo(host.TxRingCount + host.HostTxRingCount));
        });
        NetmapPortInfo info = _library.GetPortInfo(veth);
        Assert.That(info.TxRings, Is.EqualTo(host.TxRingCount));
    }

    [Test]
    public void PortInfoMatchesTheOpenPort()
    {
        using NetmapPort port = _library.OpenPort($"netmap:ni{_id}{{2@conf:rings=2,slots=512");
        NetmapPortInfo info = _library.GetPortInfo($"ni{_id}{{2");

        Assert.Multiple(() =>
        {
            Assert.That(info.MemId, Is.EqualTo(port.MemId));
            Assert.That(info.TxRings, Is.EqualTo(port.TxRingCount));
            Assert.That(info.TxSlots, Is.EqualTo(port.TxSlots));
            Assert.That(info.MemorySize, Is.EqualTo(port.RegionSize));
        });
        Assert.Throws<NetmapPortNotFoundException>(() => _library.GetPortInfo($"nosuch{_id}"));
    }

    [Test]
    public void ValeNewifAttachListDetachDelif()
    {
        string sw = $"vale{_id}x", ifName = $"nmdt{_id}";
        _library.ValeNewInterface(ifName, new NetmapValeInterfaceOptions { TxSlots = 512, RxSlots = 512 });
        try
        {
            int index = _library.ValeAttach($"{sw}:{ifName}");
            NetmapValePort listed = _library.ValeList().Single(p => p.Name == $"{sw}:{ifName}");
            Assert.That(listed.PortIndex, Is.EqualTo(index));
            Assert.That(_library.ValeDetach($"{sw}:{ifName}"), Is.EqualTo(index));
            Assert.That(_library.ValeList().Select(p => p.Name), Does.Not.Contain($"{sw}:{ifName}"));
        }
        finally
        {
            _library.ValeDeleteInterface(ifName);
        }
        Assert.Throws<NetmapPortNotFoundException>(() => _library.GetPortInfo(ifName));
    }

    [Test]
    public async Task PollWakesOnTrafficAndOnDispose()
    {
        using NetmapPort master = _library.OpenPort($"netmap:pw{_id}{{1");
        NetmapPort slave = _library.OpenPort($"netmap:pw{_id}}}1");
        ValueTask<NetmapPollEvents> waiting = slave.WaitAsync(NetmapPollEvents.Receive);
        Assert.That(master.GetTxRing(0).TryWrite(new byte[60]), Is.True);
        master.TxSync();
        Assert.That(await waiting.AsTask().WaitAsync(Guard), Is.EqualTo(NetmapPollEvents.Receive));

        slave.GetRxRing(0).Advance(slave.GetRxRing(0).Space);
        slave.RxSync();
        Task<Exception?> blocked = Task.Factory.StartNew(() =>
        {
            try { slave.Poll(NetmapPollEvents.Receive, Timeout.InfiniteTimeSpan); return null; }
            catch (Exception e) { return e; }
        }, TaskCreationOptions.LongRunning);
        NativePortDriverTests.WaitUntilBlockedInPoll(((Dynamic.Native.NativePortDriver)slave.Driver).FileDescriptor, blocked);
        slave.Dispose();
        Assert.That(await blocked.WaitAsync(Guard), Is.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public void ZeroCopyForwardBetweenPipeEnds()
    {
        // src -> [zc{1 | zc}1] -> forwarder swaps buffers -> [zc{2 | zc}2] -> sink; one allocator for all.
        using NetmapPort src = _library.OpenPort($"netmap:zc{_id}{{1");
        using NetmapPort inbound = _library.OpenPort($"netmap:zc{_id}}}1");
        using NetmapPort outbound = _library.OpenPort($"netmap:zc{_id}{{2");
        using NetmapPort sink = _library.OpenPort($"netmap:zc{_id}}}2");
        Assume.That(outbound.MemId, Is.EqualTo(inbound.MemId), "pipes of one parent name share an allocator");

        const int frames = 1000;
        for (int i = 0; i < frames; i++)
        {
            byte[] frame = new byte[64];
            BinaryPrimitives.WriteInt32LittleEndian(frame, i);
            Assert.That(src.GetTxRing(0).TryWrite(frame), Is.True);
            src.TxSync();
            inbound.RxSync();
            NetmapRing rx = inbound.GetRxRing(0), tx = outbound.GetTxRing(0);
            Assert.That(rx.IsEmpty, Is.False);
            NetmapZeroCopy.SwapBuffers(rx, rx.Head, tx, tx.Head);
            rx.Advance(1);
            tx.Advance(1);
            outbound.TxSync();
            inbound.RxSync();
            sink.RxSync();
            Assert.That(sink.GetRxRing(0).TryRead(out ReadOnlySpan<byte> got), Is.True);
            Assert.That(BinaryPrimitives.ReadInt32LittleEndian(got), Is.EqualTo(i));
            sink.RxSync();
        }
    }
}
