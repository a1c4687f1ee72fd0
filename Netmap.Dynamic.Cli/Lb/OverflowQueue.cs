namespace Netmap.Dynamic.Cli.Lb;

/// <summary>
/// Frames waiting for room in one output pipe: a ring of copies, allocated once at start. netmap's
/// lb keeps the frames' buffers instead (extra buffers from the kernel); here a frame is copied in
/// only when its pipe is full, and copied into the pipe's own buffer when room comes back.
/// </summary>
internal sealed class OverflowQueue(int frames, int bufferSize)
{
    private readonly byte[] _data = new byte[(long)frames * bufferSize];
    private readonly ushort[] _lengths = new ushort[frames];
    private readonly int _bufferSize = bufferSize;
    private int _head;
    private int _count;

    public int Count => _count;

    public bool IsFull => _count == _lengths.Length;

    /// <summary>Copies a frame in; false when full.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> frame)
    {
        if (IsFull || frame.Length > _bufferSize)
        {
            return false;
        }
        int tail = (_head + _count) % _lengths.Length;
        frame.CopyTo(_data.AsSpan(tail * _bufferSize, _bufferSize));
        _lengths[tail] = (ushort)frame.Length;
        _count++;
        return true;
    }

    /// <summary>The oldest frame (the queue must not be empty).</summary>
    public ReadOnlySpan<byte> Peek() => _data.AsSpan(_head * _bufferSize, _lengths[_head]);

    public void Dequeue()
    {
        _head = (_head + 1) % _lengths.Length;
        _count--;
    }
}
