using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Cli.Shared;

/// <summary>
/// Ctrl+C and SIGTERM for the long-running commands (pkt-gen, bridge, capture, replay): the first signal
/// cancels <see cref="Token"/> so the command stops cleanly and prints its summary; a second one
/// is left to the runtime, which ends the process the usual way.
/// </summary>
internal sealed class InterruptSignals : IDisposable
{
    private readonly CancellationTokenSource _interrupt = new();
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;

    public InterruptSignals()
    {
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
    }

    public CancellationToken Token => _interrupt.Token;

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _interrupt.Dispose();
    }

    private void Interrupt(PosixSignalContext context)
    {
        if (_interrupt.IsCancellationRequested)
        {
            return;
        }
        context.Cancel = true;
        _interrupt.Cancel();
    }
}
