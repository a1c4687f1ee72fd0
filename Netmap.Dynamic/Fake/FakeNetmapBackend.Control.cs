using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Fake;

// The control requests beyond register and port info: VALE polling and the option list's checks.
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
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!NetmapPortSpec.TryParse(name, out NetmapPortSpec? spec) || spec.Kind != NetmapPortKind.ValePort)
                throw NetmapException.FromErrno(Errno.EINVAL, operation, name, "not a VALE switch port (valeX:port)");
            if (_registry.FindValePort(spec.Name) is null)
                throw NetmapException.FromErrno(Errno.ENXIO, operation, name, "no such port on the switch");
            throw NetmapException.FromErrno(Errno.EOPNOTSUPP, operation, name,
                $"only a NIC attached to the switch can be polled{(mode is null ? "" : $" ({mode})")}, not a VALE port");
        }
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
