using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Fake;

// The control requests beyond register and port info: VALE polling, null ports, the option list.
public sealed partial class FakeNetmapBackend
{
    /// <summary>
    /// <c>NETMAP_REQ_VALE_POLLING_ENABLE</c> as the kernel answers it where the fake can: only a NIC
    /// attached to a switch can be polled, and the fake attaches none, so a VALE port is
    /// <c>EOPNOTSUPP</c> and a name that is no switch port <c>EINVAL</c> (ENXIO for a switch port that
    /// does not exist).
    /// </summary>
    public void ValeEnablePolling(string name, NetmapValePollingMode mode = NetmapValePollingMode.SingleCpu, int firstCpu = 0, int cpuCount = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegative(firstCpu);
        ArgumentOutOfRangeException.ThrowIfNegative(cpuCount);
        RefusePolling(name, "vale polling enable", mode.ToString());
    }

    /// <summary><c>NETMAP_REQ_VALE_POLLING_DISABLE</c>, answered as <see cref="ValeEnablePolling"/>.</summary>
    public void ValeDisablePolling(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        RefusePolling(name, "vale polling disable", null);
    }

    private void RefusePolling(string name, string operation, string? mode)
    {
        lock (_registry)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!NetmapPortSpec.TryParse(name, out NetmapPortSpec? spec) || spec.Kind != NetmapPortKind.ValePort)
                throw NetmapException.FromErrno(Errno.EINVAL, operation, name, "not a VALE switch port (valeX:port)");
            if (_switches.GetValueOrDefault(spec.SwitchName!)?.Find(spec.Name) is null)
                throw NetmapException.FromErrno(Errno.ENXIO, operation, name, "no such port on the switch");
            throw NetmapException.FromErrno(Errno.EOPNOTSUPP, operation, name,
                $"only a NIC attached to the switch can be polled{(mode is null ? "" : $" ({mode})")}, not a VALE port");
        }
    }

    /// <summary>
    /// <c>netmap_get_null_na</c>: a new null port in the allocator the request names (EINVAL without
    /// one, or for an id no allocator has), with the rings and slots it asked for.
    /// </summary>
    private FakeNullPort NewNullPort(FakePortRequest request)
    {
        if (request.MemId == 0)
            throw NetmapException.FromErrno(Errno.EINVAL, "register", request.Name, "a null port must use an existing allocator: name one with @N");
        FakeMemory memory = FindMemory(request.MemId)
            ?? throw NetmapException.FromErrno(Errno.EINVAL, "register", request.Name, $"no memory allocator has id {request.MemId}");
        var port = new FakeNullPort("null:" + request.Name, request.TxRings ?? 0, request.RxRings ?? 0,
            request.TxSlots ?? 0, request.RxSlots ?? 0, privateMemory: memory.MemId != 1);
        Activate(port, memory);
        return port;
    }

    /// <summary>The live allocator with id <paramref name="memId"/> (1, the global one, always exists in the kernel).</summary>
    private FakeMemory? FindMemory(ushort memId)
    {
        if (memId == 1) return GlobalMemory();
        IEnumerable<FakeAdapter> adapters = _switches.Values
            .SelectMany(s => Enumerable.Range(0, s.ActiveCount).Select(i => (FakeAdapter)s.PortAt(s.ActiveSlot(i))!))
            .Concat(_pipes.Values.SelectMany(p => new FakeAdapter[] { p.Master, p.Slave }))
            .Concat(_monitors);
        return adapters.Where(a => a.HasRings).Select(a => a.Memory).FirstOrDefault(m => m.MemId == memId)
            ?? _pipeParents.Values.Select(p => p.Memory).FirstOrDefault(m => m.MemId == memId);
    }

    /// <summary>
    /// The option list's checks around a register (<c>nmreq_copyin</c> before it,
    /// <c>nmreq_checkoptions</c> after): throws what the kernel answers, closing the port it had opened.
    /// </summary>
    private NetmapPort OpenCheckingOptions(FakePortRequest request, PortRegisterOptions extra, RawRegisterOptions? raw)
    {
        int error = FakeOptionList.Check(extra.Memory is not null, extra.Offsets is not null, raw, out string? option);
        if (error != 0) throw FakeOptionList.Refusal(error, request.Name, option);
        NetmapPort port = Open(request with { Extra = extra });
        if (!FakeOptionList.LeavesUnsupported(raw)) return port;
        port.Dispose();
        throw FakeOptionList.Refusal(Errno.EOPNOTSUPP, request.Name, RegisterOptionErrors.RawName(raw!.Type));
    }
}
