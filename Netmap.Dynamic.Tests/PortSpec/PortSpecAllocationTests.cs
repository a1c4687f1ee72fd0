namespace Netmap.Dynamic.Tests.PortSpec;

/// <summary>
/// Parsing must not allocate more than the result it returns. The bound is measured, not
/// guessed: allocating the very same result directly (the spec object, its extmem object and a
/// fresh copy of each of its strings) is what the result costs; the parse may allocate at most
/// that. A failed TryParse returns no object, so it must allocate nothing.
/// </summary>
public class PortSpecAllocationTests
{
    [TestCase("netmap:eth0")]
    [TestCase("netmap:eth0-1/R@3")]
    [TestCase("vale0:a")]
    [TestCase("vale0:p1{2-1/rt@3@conf:rings=2,slots=128")]
    [TestCase("netmap:p}1@share=netmap:eth1@extmem:file=/dev/shm/m,buf-num=100@conf:host-rings=1")]
    [TestCase("vale0:a@offset:initial=64,bits=10")]
    public void A_parse_allocates_no_more_than_its_result(string text)
    {
        for (int i = 0; i < 3; i++)   // warm up: JIT, static tables
        {
            NetmapPortSpec.TryParse(text, out _, out _);
            CopyOf(NetmapPortSpec.Parse(text));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        bool ok = NetmapPortSpec.TryParse(text, out NetmapPortSpec? spec, out _);
        long parseBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(ok, Is.True);

        before = GC.GetAllocatedBytesForCurrentThread();
        NetmapPortSpec copy = CopyOf(spec!);
        long resultBytes = GC.GetAllocatedBytesForCurrentThread() - before;

        TestContext.Out.WriteLine($"{text}: parse {parseBytes} B, result {resultBytes} B");
        Assert.That(copy, Is.EqualTo(spec));
        Assert.That(parseBytes, Is.LessThanOrEqualTo(resultBytes), $"parse allocated {parseBytes} B, the result is {resultBytes} B");
    }

    [TestCase("netmap:eth0-4095")]
    [TestCase("netmap:eth0@conf:rings=4x")]
    [TestCase("valentine:eth0")]
    [TestCase("netmap:eth0@share=eth1")]
    public void A_failed_TryParse_allocates_nothing(string text)
    {
        NetmapPortSpec.TryParse(text, out _, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool ok = NetmapPortSpec.TryParse(text, out _, out NetmapPortSpecError error);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(ok, Is.False);
        Assert.That(bytes, Is.Zero);
        Assert.That(error.Code, Is.Not.EqualTo(NetmapPortSpecErrorCode.None));
    }

    /// <summary>The same result, allocated directly: one object per object, one fresh string per string.</summary>
    private static NetmapPortSpec CopyOf(NetmapPortSpec s)
    {
        NetmapExtMemOption? extMem = s.ExtMem is null ? null
            : new NetmapExtMemOption(Copy(s.ExtMem.File)!, s.ExtMem.IfNum, s.ExtMem.IfSize, s.ExtMem.RingNum, s.ExtMem.RingSize, s.ExtMem.BufNum, s.ExtMem.BufSize);
        return new NetmapPortSpec(Copy(s.Text)!, s.Kind, Copy(s.Name)!, Copy(s.SwitchName), Copy(s.ValePortName), Copy(s.PipeBase), s.PipeSide, Copy(s.PipeId),
            s.Mode, s.RingId, s.Flags, s.MemId, s.TxRings, s.RxRings, s.HostTxRings, s.HostRxRings, s.TxSlots, s.RxSlots,
            Copy(s.SharePort), extMem, s.Offset is null ? null : new NetmapOffsetOption(s.Offset.Initial, s.Offset.Bits));
    }

    private static string? Copy(string? s) => s is null ? null : new string(s.AsSpan());
}
