namespace Netmap.Dynamic;

/// <summary>
/// Bare option headers added to a register's option list (<see cref="NetmapPortOptions.RawOptions"/>):
/// <paramref name="Count"/> options of type <paramref name="Type"/>, the last one pointing at itself
/// when <paramref name="Loop"/> is set. They carry nothing the kernel can act on; tests use them to
/// hold both backends to the kernel's checks of an option list (ctrl-api-test 19-22).
/// </summary>
internal sealed record RawRegisterOptions(ushort Type, int Count = 1, bool Loop = false)
{
    /// <summary>Most raw options one request carries (the shim's <c>NMSHIM_RAW_OPTIONS_MAX</c>).</summary>
    public const int MaxCount = 256;
}
