namespace Netmap.Dynamic.Cli.Pcap;

/// <summary>
/// Two buffers and a writer thread: the caller fills one while the thread writes the other. A
/// caller that fills its buffer before the thread has written the previous one waits for it
/// (the disk sets the pace then, as it must). A write error reaches the caller at its next
/// <see cref="Submit"/> or <see cref="Complete"/>.
/// </summary>
internal sealed class BackgroundPcapSink : PcapBufferSink
{
    private readonly Stream _output;
    private readonly object _gate = new();   // Monitor.Wait/Pulse need an object lock
    private readonly Thread _thread;
    private byte[] _first;
    private byte[]? _spare;            // the buffer the caller may take next; null while the thread writes it
    private byte[]? _pending;          // handed over, not yet taken by the thread
    private int _pendingLength;
    private bool _completing;
    private Exception? _error;

    public BackgroundPcapSink(Stream output, int bufferSize)
    {
        _output = output;
        _first = new byte[bufferSize];
        _spare = new byte[bufferSize];
        _thread = new Thread(WriteLoop) { IsBackground = true, Name = "pcap writer" };
        _thread.Start();
    }

    public override byte[] TakeEmptyBuffer() => _first;

    public override byte[] Submit(byte[] full, int length)
    {
        lock (_gate)
        {
            while (_spare is null && _error is null)
            {
                Monitor.Wait(_gate);
            }
            ThrowIfFailed();
            byte[] next = _spare!;
            _spare = null;
            _pending = full;
            _pendingLength = length;
            Monitor.PulseAll(_gate);
            return next;
        }
    }

    public override void Complete(byte[] last, int length)
    {
        _first = Submit(last, length);
        lock (_gate)
        {
            _completing = true;
            Monitor.PulseAll(_gate);
        }
        _thread.Join();
        ThrowIfFailed();
        _output.Flush();
    }

    public override void Dispose()
    {
        lock (_gate)
        {
            _completing = true;
            _pending = null;   // an abandoned capture: nothing more to write
            Monitor.PulseAll(_gate);
        }
        _thread.Join();
        _output.Dispose();
    }

    private void WriteLoop()
    {
        while (true)
        {
            byte[] buffer;
            int length;
            lock (_gate)
            {
                while (_pending is null && !_completing)
                {
                    Monitor.Wait(_gate);
                }
                if (_pending is null)
                {
                    return;
                }
                buffer = _pending;
                length = _pendingLength;
                _pending = null;
            }
            try
            {
                _output.Write(buffer, 0, length);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                lock (_gate)
                {
                    _error = e;
                    Monitor.PulseAll(_gate);
                }
                return;
            }
            lock (_gate)
            {
                _spare = buffer;
                Monitor.PulseAll(_gate);
            }
        }
    }

    private void ThrowIfFailed()
    {
        if (_error is not null)
            throw new IOException($"writing the capture failed: {_error.Message}", _error);
    }
}
