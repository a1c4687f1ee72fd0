namespace Netmap.Dynamic;

/// <summary>
/// The <c>@extmem</c> option as written: a file to map as the port's memory region and, optionally,
/// how to divide it into pools. Parsing only records it; the file is opened when the port is opened.
/// A pool number that was not given is null (the kernel's default).
/// </summary>
public sealed record NetmapExtMemOption
{
    internal NetmapExtMemOption(string file, int? ifNum, int? ifSize, int? ringNum, int? ringSize, int? bufNum, int? bufSize)
    {
        File = file;
        IfNum = ifNum;
        IfSize = ifSize;
        RingNum = ringNum;
        RingSize = ringSize;
        BufNum = bufNum;
        BufSize = bufSize;
    }

    /// <summary>Path of the file to map (key <c>file</c>, the default key).</summary>
    public string File { get; }
    /// <summary>Number of <c>netmap_if</c> objects (key <c>if_num</c>).</summary>
    public int? IfNum { get; }
    /// <summary>Size of one <c>netmap_if</c> object (key <c>if_size</c>).</summary>
    public int? IfSize { get; }
    /// <summary>Number of rings (key <c>ring_num</c>).</summary>
    public int? RingNum { get; }
    /// <summary>Size of one ring object (key <c>ring_size</c>).</summary>
    public int? RingSize { get; }
    /// <summary>Number of packet buffers (key <c>buf_num</c>).</summary>
    public int? BufNum { get; }
    /// <summary>Size of one packet buffer (key <c>buf_size</c>).</summary>
    public int? BufSize { get; }

    /// <summary>True when any pool number was given (the spec then needs the <c>@extmem:file=...</c> form).</summary>
    internal bool HasPoolNumbers => IfNum is not null || IfSize is not null || RingNum is not null
        || RingSize is not null || BufNum is not null || BufSize is not null;
}
