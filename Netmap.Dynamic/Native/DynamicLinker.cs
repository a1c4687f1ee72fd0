using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Native;

/// <summary>
/// Loads native libraries and keeps the dynamic linker's own error text for each failure.
/// <see cref="NativeLibrary.TryLoad(string, out IntPtr)"/> reports only true/false, so this calls
/// the process's <c>dlopen</c>/<c>dlerror</c> (from libc, or libdl on older glibc) when it can,
/// and falls back to <see cref="NativeLibrary"/> otherwise. Handles are ordinary <c>dlopen</c>
/// handles: <see cref="NativeLibrary.TryGetExport"/> and <see cref="NativeLibrary.Free"/> accept them.
/// Never throws.
/// </summary>
internal sealed unsafe class DynamicLinker : IDisposable
{
    private const int RTLD_NOW = 2;

    private readonly delegate* unmanaged<byte*, int, nint> _dlopen;
    private readonly delegate* unmanaged<byte*> _dlerror;
    private nint _libraryHandle;

    private DynamicLinker(nint libraryHandle, delegate* unmanaged<byte*, int, nint> dlopen, delegate* unmanaged<byte*> dlerror)
    {
        _libraryHandle = libraryHandle;
        _dlopen = dlopen;
        _dlerror = dlerror;
    }

    /// <summary>Drops the reference on the library dlopen came from (it stays loaded: the runtime uses it).</summary>
    public void Dispose()
    {
        nint handle = Interlocked.Exchange(ref _libraryHandle, 0);
        if (handle != 0)
            NativeLibrary.Free(handle);
    }

    /// <summary>Whether the linker's error text is available (dlopen/dlerror were found).</summary>
    public bool HasErrorText => _dlopen != null && _dlerror != null;

    /// <summary>Finds dlopen/dlerror in the libc already in the process (glibc 2.34+, musl, FreeBSD) or libdl.</summary>
    public static DynamicLinker Create()
    {
        string[] candidates = OperatingSystem.IsFreeBSD() ? ["libc.so.7"] : ["libc.so.6", "libc.so", "libdl.so.2"];
        foreach (string name in candidates)
        {
            // The libc of the running process is always loaded: this handle only adds a reference.
            if (!NativeLibrary.TryLoad(name, out nint handle))
                continue;
            if (NativeLibrary.TryGetExport(handle, "dlopen", out nint open) && NativeLibrary.TryGetExport(handle, "dlerror", out nint error))
                return new DynamicLinker(handle, (delegate* unmanaged<byte*, int, nint>)open, (delegate* unmanaged<byte*>)error);
            NativeLibrary.Free(handle);
        }
        return new DynamicLinker(0, null, null);
    }

    /// <summary>
    /// The address of export <paramref name="name"/>, or 0 after adding the name to
    /// <paramref name="missing"/>: a function table resolves every entry and names all that are missing.
    /// </summary>
    public static nint Export(nint handle, string name, List<string> missing)
    {
        if (NativeLibrary.TryGetExport(handle, name, out nint address))
            return address;
        missing.Add(name);
        return 0;
    }

    /// <summary>
    /// Loads <paramref name="nameOrPath"/> (a path, or a bare name for the system search) and
    /// returns the handle, or 0 with the linker's message in <paramref name="error"/>.
    /// </summary>
    public nint TryLoad(string nameOrPath, out string error)
    {
        if (nameOrPath.Length == 0 || nameOrPath.Contains('\0', StringComparison.Ordinal))
        {
            error = "not a valid file name";
            return 0;
        }

        if (!HasErrorText)
        {
            if (NativeLibrary.TryLoad(nameOrPath, out nint handle))
            {
                error = "";
                return handle;
            }
            error = "could not be loaded (the dynamic linker's message is unavailable: dlerror was not found)";
            return 0;
        }

        byte[] utf8 = NativeText.ToUtf8z(nameOrPath);
        fixed (byte* name = utf8)
        {
            _dlerror(); // clear any stale message of this thread
            nint handle = _dlopen(name, RTLD_NOW);
            if (handle != 0)
            {
                error = "";
                return handle;
            }
            byte* message = _dlerror();
            error = message == null ? "could not be loaded (no message from the dynamic linker)" : Marshal.PtrToStringUTF8((nint)message) ?? "";
            return 0;
        }
    }
}
