namespace Netmap.Dynamic;

/// <summary>
/// The register options both backends resolve the same way before they register a port: buffer
/// offsets (<see cref="NetmapPortOptions.Offsets"/> wins over the spec's <c>@offset</c>) and external
/// memory (<see cref="NetmapPortOptions.ExternalMemory"/> wins over the spec's <c>@extmem</c>, which the
/// port maps itself and releases when it closes).
/// </summary>
internal sealed class PortRegisterOptions
{
    private PortRegisterOptions(NetmapBufferOffsets? offsets, NetmapExternalMemory? memory, bool ownsMemory)
    {
        Offsets = offsets;
        Memory = memory;
        _ownsMemory = ownsMemory;
    }

    private readonly bool _ownsMemory;
    private bool _released;

    /// <summary>The offsets to ask for, or null.</summary>
    public NetmapBufferOffsets? Offsets { get; }

    /// <summary>The memory to register on, counted as used by this port until <see cref="Release"/>; or null.</summary>
    public NetmapExternalMemory? Memory { get; }

    /// <summary>
    /// Resolves the options and takes a use of the external memory (checked against its layout). Every
    /// successful call must be paired with one <see cref="Release"/>, after the port's fd is closed.
    /// </summary>
    public static PortRegisterOptions Resolve(NetmapPortSpec spec, NetmapPortOptions? options)
    {
        NetmapBufferOffsets? offsets = options?.Offsets ?? (spec.Offset is { } o ? NetmapBufferOffsets.From(o) : null);
        NetmapExternalMemory? memory = options?.ExternalMemory;
        bool owns = false;
        if (memory is null && spec.ExtMem is { } ext)
        {
            memory = MapSpecFile(ext, spec.Name);
            owns = true;
        }
        if (memory is not null)
        {
            try
            {
                memory.CheckFits(spec.Name);
                memory.AddPort();
            }
            catch
            {
                if (owns)
                    memory.Dispose();
                throw;
            }
        }
        return new PortRegisterOptions(offsets, memory, owns);
    }

    /// <summary>Gives the external memory back (once): the port's fd must be closed already.</summary>
    public void Release()
    {
        if (_released || Memory is null)
            return;
        _released = true;
        Memory.RemovePort();
        if (_ownsMemory)
            Memory.Dispose();
    }

    /// <summary>Maps a spec's <c>@extmem</c> file; failures become the register's <see cref="NetmapException"/>.</summary>
    private static NetmapExternalMemory MapSpecFile(NetmapExtMemOption ext, string portName)
    {
        try
        {
            return NetmapExternalMemory.MapFile(ext.File, NetmapExternalMemoryLayout.From(ext));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            int errno = e switch
            {
                FileNotFoundException or DirectoryNotFoundException => Errno.ENOENT,
                UnauthorizedAccessException => Errno.EACCES,
                ArgumentException => Errno.EINVAL,
                _ => Errno.EIO,
            };
            throw NetmapException.FromErrno(errno, "register", portName, $"@extmem file '{ext.File}': {e.Message}");
        }
    }
}
