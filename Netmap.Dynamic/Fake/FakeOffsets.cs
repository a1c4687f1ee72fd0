namespace Netmap.Dynamic.Fake;

/// <summary>
/// <c>netmap_offsets_init</c>: what a register with <c>NETMAP_REQ_OPT_OFFSETS</c> does to the rings
/// it binds. The values are checked against the buffer size and the bits; the first registration
/// sets each kring's mask and maximum (and the ring header's <c>offset_mask</c>), a later one must ask
/// for no more than that (else EBUSY) and gets the kring's values; the initial offset is written
/// into every slot of a ring no other port has bound yet.
/// </summary>
internal static class FakeOffsets
{
    /// <summary>Applies <paramref name="offsets"/> to the bound krings; 0 or the kernel's errno. <paramref name="max"/> is the kernel's answer.</summary>
    public static unsafe int Apply(FakeAdapter adapter, FakeKring[] tx, FakeKring[] rx, NetmapBufferOffsets? offsets, out ulong max)
    {
        max = 0;
        if (offsets is null)
            return 0;
        if (!SupportsOffsets(adapter))
            return Errno.EOPNOTSUPP;
        ulong mask = offsets.Mask, initial = (ulong)offsets.Initial;
        max = (ulong)offsets.Max;
        if (max > (ulong)adapter.Memory.Layout.BufferSize || (max & mask) != max || initial > max)
            return Errno.EINVAL;
        foreach (FakeKring kring in tx.Concat(rx))
        {
            if (kring.OffsetMask != 0)
            {
                if ((kring.OffsetMask & mask) != mask || kring.OffsetMax < max)
                    return Errno.EBUSY;   // "cannot increase offset mask and/or max"
                mask = kring.OffsetMask;
                max = kring.OffsetMax;
            }
            else
            {
                kring.OffsetMask = mask;
                kring.OffsetMax = max;
                kring.Ring->offset_mask = mask;
            }
            if (initial == 0 || kring.Users > 1)
                continue;   // the offsets of a ring in use are not changed
            for (uint s = 0; s < kring.SlotCount; s++)
                kring.WriteOffset(ref kring.Slot(s), initial);
        }
        return 0;
    }

    /// <summary><c>NAF_OFFSETS</c>: pipes, VALE ports, the generic adapter and copy monitors have it; zero-copy monitors do not.</summary>
    private static bool SupportsOffsets(FakeAdapter adapter) => adapter is not FakeMonitor { ZeroCopy: true };
}
