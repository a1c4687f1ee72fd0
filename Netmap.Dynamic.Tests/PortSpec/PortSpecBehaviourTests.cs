using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.PortSpec;

public class PortSpecBehaviourTests
{
    [Test]
    public void Parse_fills_the_structured_parts_of_a_vale_pipe()
    {
        NetmapPortSpec s = NetmapPortSpec.Parse("vale0:p1{2-1/rt@3@conf:rings=2,slots=128");
        Assert.Multiple(() =>
        {
            Assert.That(s.Kind, Is.EqualTo(NetmapPortKind.Pipe));
            Assert.That(s.Name, Is.EqualTo("vale0:p1{2"));
            Assert.That(s.SwitchName, Is.EqualTo("vale0"));
            Assert.That(s.ValePortName, Is.EqualTo("p1"));
            Assert.That(s.PipeBase, Is.EqualTo("vale0:p1"));
            Assert.That(s.PipeSide, Is.EqualTo(NetmapPipeSide.Master));
            Assert.That(s.PipeId, Is.EqualTo("2"));
            Assert.That(s.Mode, Is.EqualTo(NetmapRegisterMode.NR_REG_ONE_NIC));
            Assert.That(s.RingId, Is.EqualTo(1));
            Assert.That(s.Flags, Is.EqualTo(NetmapRegisterFlags.NR_MONITOR_RX | NetmapRegisterFlags.NR_MONITOR_TX));
            Assert.That(s.MemId, Is.EqualTo(3));
            Assert.That((s.TxRings, s.RxRings, s.TxSlots, s.RxSlots), Is.EqualTo(((int?)2, (int?)2, (int?)128, (int?)128)));
            Assert.That(s.HostTxRings, Is.Null);
            Assert.That(s.Text, Is.EqualTo("vale0:p1{2-1/rt@3@conf:rings=2,slots=128"));
        });
    }

    [Test]
    public void Slave_pipe_end_and_nic()
    {
        NetmapPortSpec pipe = NetmapPortSpec.Parse("netmap:pipe}3");
        Assert.That((pipe.Kind, pipe.PipeBase, pipe.PipeSide, pipe.PipeId, pipe.SwitchName),
            Is.EqualTo((NetmapPortKind.Pipe, "pipe", (NetmapPipeSide?)NetmapPipeSide.Slave, "3", (string?)null)));
        NetmapPortSpec nic = NetmapPortSpec.Parse("netmap:eth0");
        Assert.That((nic.Kind, nic.Name, nic.Mode, nic.PipeBase), Is.EqualTo((NetmapPortKind.Nic, "eth0", NetmapRegisterMode.NR_REG_ALL_NIC, (string?)null)));
    }

    [Test]
    public void Extmem_and_share_are_parsed_not_resolved()
    {
        NetmapPortSpec s = NetmapPortSpec.Parse("netmap:eth0@share=netmap:eth1-1@extmem:file=/no/such/file,buf-num=1000,buf_size=4096");
        Assert.That(s.SharePort, Is.EqualTo("netmap:eth1-1"));
        Assert.That(s.ExtMem, Is.Not.Null);
        Assert.That((s.ExtMem!.File, s.ExtMem.BufNum, s.ExtMem.BufSize, s.ExtMem.IfNum), Is.EqualTo(("/no/such/file", (int?)1000, (int?)4096, (int?)null)));
        Assert.That(NetmapPortSpec.Parse("netmap:eth0@extmem=/a,b").ExtMem!.File, Is.EqualTo("/a,b"), "the '=' form keeps commas");
    }

    [Test]
    public void Offset_records_the_headroom_and_the_bits_of_ptr_that_hold_it()
    {
        NetmapPortSpec plain = NetmapPortSpec.Parse("vale0:a@offset=128");
        NetmapPortSpec withBits = NetmapPortSpec.Parse("netmap:eth0@offset:initial=128,bits=10");
        Assert.Multiple(() =>
        {
            Assert.That((plain.Offset!.Initial, plain.Offset.MaxOffset, plain.Offset.Bits), Is.EqualTo((128, 128, (int?)null)));
            Assert.That((withBits.Offset!.Initial, withBits.Offset.Bits), Is.EqualTo((128, (int?)10)));
            Assert.That(NetmapPortSpec.Parse("vale0:a").Offset, Is.Null);
            Assert.That(NetmapPortSpec.Parse("netmap:eth0@offset:initial=1023,bits=10").Offset!.Initial, Is.EqualTo(1023), "the largest value 10 bits hold");
            Assert.That(NetmapPortSpec.Parse("netmap:eth0@offset:initial=4096,bits=64").Offset!.Bits, Is.EqualTo(64));
            Assert.That(plain, Is.Not.EqualTo(NetmapPortSpec.Parse("vale0:a@offset=64")));
            Assert.That(NetmapPortSpec.Vale("vale0", "a").Offset(128).Build(), Is.EqualTo(plain));
            Assert.That(NetmapPortSpec.Nic("eth0").Offset(128, 10).Build(), Is.EqualTo(withBits));
        });
    }

    [TestCase("netmap:eth0", "netmap:eth0")]
    [TestCase("netmap:eth0-1/R", "netmap:eth0-1/R")]
    [TestCase("netmap:eth0^", "netmap:eth0^")]
    [TestCase("netmap:eth0^3/Tx", "netmap:eth0^3/xT")]
    [TestCase("vale0:a*@7", "vale0:a*@7")]
    [TestCase("netmap:eth0@1@conf:rings=4,tx-rings=2", "netmap:eth0@1@conf:tx_rings=2,rx_rings=4")]
    [TestCase("netmap:eth0@conf:host-rings=1@conf:slots=8", "netmap:eth0@conf:host_tx_rings=1,host_rx_rings=1,tx_slots=8,rx_slots=8")]
    [TestCase("netmap:eth0@conf:", "netmap:eth0")]
    [TestCase("netmap:p{1@share:port=vale0:x@extmem=/f", "netmap:p{1@share=vale0:x@extmem=/f")]
    [TestCase("vale0:a@offset:initial=64", "vale0:a@offset=64")]
    [TestCase("vale0:a@offset:bits=16,initial=64@conf:rings=2", "vale0:a@conf:tx_rings=2,rx_rings=2@offset:initial=64,bits=16")]
    public void ToString_is_canonical_and_round_trips(string text, string canonical)
    {
        NetmapPortSpec s = NetmapPortSpec.Parse(text);
        Assert.That(s.ToString(), Is.EqualTo(canonical));
        NetmapPortSpec again = NetmapPortSpec.Parse(canonical);
        Assert.That(again, Is.EqualTo(s));
        Assert.That(again.GetHashCode(), Is.EqualTo(s.GetHashCode()));
        Assert.That(again.ToString(), Is.EqualTo(canonical));
    }

    [Test]
    public void Equality_is_about_meaning()
    {
        Assert.That(NetmapPortSpec.Parse("netmap:eth0/Rx"), Is.EqualTo(NetmapPortSpec.Parse("netmap:eth0/xR")));
        Assert.That(NetmapPortSpec.Parse("netmap:eth0-1"), Is.Not.EqualTo(NetmapPortSpec.Parse("netmap:eth0-2")));
        Assert.That(NetmapPortSpec.Parse("netmap:eth0@conf:rings=0"), Is.Not.EqualTo(NetmapPortSpec.Parse("netmap:eth0")), "0 was asked for explicitly");
        Assert.That(NetmapPortSpec.Parse("netmap:eth0") == NetmapPortSpec.Parse("netmap:eth0"), Is.True);
    }

    [TestCase("netmap:eth0-4095", NetmapPortSpecErrorCode.RingOutOfRange, 12, "4095")]
    [TestCase("netmap:eth0-", NetmapPortSpecErrorCode.ExpectedRingNumber, 11, "-")]
    [TestCase("netmap:br-lan", NetmapPortSpecErrorCode.ExpectedRingNumber, 10, "lan")]
    [TestCase("netmap:eth0/", NetmapPortSpecErrorCode.EmptyFlags, 11, "/")]
    [TestCase("netmap:eth0/Q", NetmapPortSpecErrorCode.UnknownFlag, 12, "Q")]
    [TestCase("netmap:eth0@70000", NetmapPortSpecErrorCode.MemIdOutOfRange, 12, "70000")]
    [TestCase("netmap:eth0@conf:rings=70000", NetmapPortSpecErrorCode.NumberOutOfRange, 23, "70000")]
    [TestCase("netmap:eth0@conf:rings=4x", NetmapPortSpecErrorCode.InvalidNumber, 23, "4x")]
    [TestCase("netmap:eth0@conf:rings", NetmapPortSpecErrorCode.MissingKeyValue, 17, "rings")]
    [TestCase("netmap:eth0@conf:rings=4,", NetmapPortSpecErrorCode.UnknownKey, 24, ",")]
    [TestCase("netmap:eth0@bogus=1", NetmapPortSpecErrorCode.UnknownOption, 12, "bogus")]
    [TestCase("netmap:eth0@offset=", NetmapPortSpecErrorCode.MissingOptionValue, 18, "=")]
    [TestCase("netmap:eth0@offset:bits=8", NetmapPortSpecErrorCode.MissingMandatoryKey, 12, "offset")]
    [TestCase("netmap:eth0@offset=-4", NetmapPortSpecErrorCode.InvalidNumber, 19, "-4")]
    [TestCase("netmap:eth0@offset=64x", NetmapPortSpecErrorCode.InvalidNumber, 19, "64x")]
    [TestCase("netmap:eth0@offset=3000000000", NetmapPortSpecErrorCode.NumberOutOfRange, 19, "3000000000")]
    [TestCase("netmap:eth0@offset:initial=64,bits=65", NetmapPortSpecErrorCode.NumberOutOfRange, 35, "65")]
    [TestCase("netmap:eth0@offset:initial=256,bits=8", NetmapPortSpecErrorCode.OffsetExceedsBits, 27, "256")]
    [TestCase("netmap:eth0@offset:initial=64,depth=2", NetmapPortSpecErrorCode.UnknownKey, 30, "depth")]
    [TestCase("netmap:eth0@offset=64@offset=64", NetmapPortSpecErrorCode.DuplicateOption, 22, "offset")]
    [TestCase("netmap:eth0 x", NetmapPortSpecErrorCode.InvalidNameCharacter, 11, " ")]
    [TestCase("valentine:eth0", NetmapPortSpecErrorCode.AmbiguousSwitchName, 0, "valentine")]
    [TestCase("netmap:vale0:a", NetmapPortSpecErrorCode.ValeNameAfterNetmapPrefix, 7, "vale0:a")]
    [TestCase("eth0", NetmapPortSpecErrorCode.UnknownPrefix, 0, "eth0")]
    [TestCase("", NetmapPortSpecErrorCode.UnknownPrefix, 0, "")]
    [TestCase("netmap:eth0@extmem=/a@extmem=/b", NetmapPortSpecErrorCode.DuplicateOption, 22, "extmem")]
    [TestCase("netmap:eth0@share=eth1", NetmapPortSpecErrorCode.UnknownPrefix, 18, "eth1")]
    public void Errors_say_where_what_and_why(string text, NetmapPortSpecErrorCode code, int position, string offending)
    {
        Assert.That(NetmapPortSpec.TryParse(text, out NetmapPortSpec? spec, out NetmapPortSpecError error), Is.False);
        Assert.That(spec, Is.Null);
        Assert.That((error.Code, error.Position, error.OffendingText), Is.EqualTo((code, position, offending)));
        NetmapPortSpecException e = Assert.Throws<NetmapPortSpecException>(() => NetmapPortSpec.Parse(text))!;
        Assert.That(e, Is.InstanceOf<FormatException>());
        Assert.That((e.Code, e.Position, e.OffendingText, e.Spec), Is.EqualTo((code, position, offending, text)));
        Assert.That(e.Reason, Is.Not.Empty);
        Assert.That(e.Message, Does.Contain(e.Reason).And.Contain($"position {position}"));
    }

    [Test]
    public void Null_is_rejected_without_exception_by_TryParse()
    {
        Assert.That(NetmapPortSpec.TryParse(null, out _), Is.False);
        Assert.That(NetmapPortSpec.TryParse(null, out _, out NetmapPortSpecError e), Is.False);
        Assert.That(e.Code, Is.EqualTo(NetmapPortSpecErrorCode.NullSpec));
        Assert.Throws<ArgumentNullException>(() => NetmapPortSpec.Parse(null!));
    }

    [Test]
    public void Control_characters_are_escaped_in_messages()
    {
        NetmapPortSpecException e = Assert.Throws<NetmapPortSpecException>(() => NetmapPortSpec.Parse("netmap:eth0\n-1"))!;
        Assert.That(e.Message, Does.Not.Contain("\n").And.Contain("\\u000a"));
    }

    [Test]
    public void Builder_writes_what_the_parser_reads()
    {
        NetmapPortSpec s = NetmapPortSpec.Nic("eth0").Ring(2).RxOnly().Build();
        Assert.That(s, Is.EqualTo(NetmapPortSpec.Parse("netmap:eth0-2/R")));
        Assert.That(s.ToString(), Is.EqualTo("netmap:eth0-2/R"));

        NetmapPortSpec v = NetmapPortSpec.Vale("vale0", "a").HostRings().Exclusive().MemId(3).Build();
        Assert.That((v.Kind, v.Name, v.SwitchName, v.Mode, v.Flags, v.MemId),
            Is.EqualTo((NetmapPortKind.ValePort, "vale0:a", (string?)"vale0", NetmapRegisterMode.NR_REG_SW, NetmapRegisterFlags.NR_EXCLUSIVE, (ushort)3)));

        NetmapPortSpec p = NetmapPortSpec.Pipe("p", NetmapPipeSide.Master, "1").Conf(txSlots: 256, rxSlots: 512).Build();
        Assert.That((p.Kind, p.Name, p.TxSlots, p.RxSlots), Is.EqualTo((NetmapPortKind.Pipe, "p{1", (int?)256, (int?)512)));

        NetmapPortSpec all = NetmapPortSpec.Nic("em1").NicAndHostRings().TxOnly().MonitorTx().MonitorRx().ZeroCopyMonitor()
            .Conf(txRings: 2, rxRings: 3, hostTxRings: 1, hostRxRings: 1).Share("netmap:em0").ExtMem("/dev/shm/x", bufNum: 64).Build();
        Assert.That(NetmapPortSpec.Parse(all.ToString()), Is.EqualTo(all));
        Assert.That((all.SharePort, all.ExtMem!.BufNum, all.HostRxRings), Is.EqualTo(("netmap:em0", (int?)64, (int?)1)));
        Assert.That(NetmapPortSpec.Nic("eth0").HostRing(1).Build().Mode, Is.EqualTo(NetmapRegisterMode.NR_REG_ONE_SW));
    }

    [Test]
    public void Builder_is_immutable()
    {
        NetmapPortSpecBuilder b = NetmapPortSpec.Nic("eth0");
        NetmapPortSpec one = b.Ring(1).Build();
        NetmapPortSpec plain = b.Build();
        Assert.That((one.RingId, plain.Mode), Is.EqualTo(((ushort)1, NetmapRegisterMode.NR_REG_ALL_NIC)));
    }

    [Test]
    public void Builder_refuses_what_the_syntax_cannot_carry()
    {
        Assert.Throws<ArgumentException>(() => NetmapPortSpec.Nic("eth0-1").Build(), "a '-' would select a ring");
        Assert.Throws<ArgumentException>(() => NetmapPortSpec.Nic("eth 0").Build());
        Assert.Throws<ArgumentException>(() => NetmapPortSpec.Nic("e@1").Build());
        Assert.Throws<ArgumentException>(() => NetmapPortSpec.Nic("eth0").ExtMem("/a,b", bufNum: 1));
        Assert.Throws<ArgumentException>(() => NetmapPortSpec.Vale("switch0", "a"));
        Assert.Throws<ArgumentOutOfRangeException>(() => NetmapPortSpec.Nic("eth0").Ring(4095));
        Assert.Throws<ArgumentOutOfRangeException>(() => NetmapPortSpec.Nic("eth0").MemId(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => NetmapPortSpec.Nic("eth0").Conf(txRings: 65536));
        Assert.Throws<InvalidOperationException>(() => default(NetmapPortSpecBuilder).Build());
    }
}
