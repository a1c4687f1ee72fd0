namespace Netmap.Dynamic.Cli.PktGen;

/// <summary>
/// pkt-gen frames longer than one netmap buffer (<c>-l 9000</c> on 2048-byte buffers): each frame
/// spans several slots joined by <c>NS_MOREFRAG</c>, written with <see cref="NetmapRing.TryWritePacket"/>
/// and read back whole with <see cref="NetmapRing.TryPeekPacket"/>. The sender and receiver loops call
/// these for such sizes; a frame is built in (and checked from) one scratch buffer allocated per run,
/// never per frame.
/// </summary>
internal static class MultiSlotFrames
{
    /// <summary>True when frames of <paramref name="size"/> bytes do not fit one buffer of <paramref name="port"/>.</summary>
    public static bool Needed(NetmapPort port, int size) => size > port.BufferSize;

    /// <summary>A scratch frame for <paramref name="port"/> when its frames of <paramref name="size"/> bytes span slots, else null.</summary>
    public static byte[]? ScratchFor(NetmapPort port, int size) => Needed(port, size) ? new byte[size] : null;

    /// <summary>Slots one frame of <paramref name="size"/> bytes takes on <paramref name="port"/> (offsets not counted).</summary>
    public static int SlotsPerFrame(NetmapPort port, int size) => Math.Max(1, (size + port.BufferSize - 1) / port.BufferSize);

    /// <summary>Writes up to <paramref name="budget"/> frames into <paramref name="ring"/>; returns how many.</summary>
    public static long Write(NetmapRing ring, FrameBuilder builder, byte[] scratch, long budget, ref ulong sequence)
    {
        long written = 0;
        while (written < budget)
        {
            builder.Write(scratch, sequence);
            if (!ring.TryWritePacket(scratch))
                break;
            sequence++;
            written++;
        }
        return written;
    }

    /// <summary>
    /// Reads up to <paramref name="budget"/> whole frames from <paramref name="ring"/> and adds their bytes
    /// to <paramref name="bytes"/>; with a <paramref name="checker"/> (--verify) each is copied whole and
    /// checked. Returns how many frames.
    /// </summary>
    public static long Read(NetmapRing ring, FrameChecker? checker, byte[] scratch, long budget, ref SequenceTracker tracker, ref long corrupt, ref long bytes)
    {
        long read = 0;
        while (read < budget && ring.TryPeekPacket(out NetmapPacket packet))
        {
            bytes += packet.Length;
            if (checker is not null)
            {
                if (packet.Length == scratch.Length)
                {
                    packet.CopyTo(scratch);
                    if (checker.TryCheck(scratch, out ulong sequence))
                        tracker.Observe(sequence);
                    else
                        corrupt++;
                }
                else
                {
                    corrupt++;
                }
            }
            ring.Advance(packet.SlotCount);
            read++;
        }
        return read;
    }
}
