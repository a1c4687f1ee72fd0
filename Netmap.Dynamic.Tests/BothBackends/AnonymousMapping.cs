using System.Runtime.InteropServices;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// Anonymous shared memory a test maps itself, as an application would for <c>@extmem</c>: with
/// <c>MAP_HUGETLB</c> where the kernel has hugepages to give, plain pages otherwise (the netmap VM's
/// kernel has no hugetlbfs). Linux only; elsewhere the test is ignored.
/// </summary>
internal sealed partial class AnonymousMapping : IDisposable
{
    private const int PROT_READ = 1, PROT_WRITE = 2;
    private const int MAP_SHARED = 0x01, MAP_ANONYMOUS = 0x20, MAP_HUGETLB = 0x40000;
    private const long HugePage = 2 * 1024 * 1024;

    private AnonymousMapping(nint address, long length, string kind)
    {
        Address = address;
        Length = length;
        Kind = kind;
    }

    public nint Address { get; }
    public long Length { get; }

    /// <summary>"hugepages" or "plain pages".</summary>
    public string Kind { get; }

    public static AnonymousMapping Create(long length)
    {
        if (!OperatingSystem.IsLinux())
            Assert.Ignore("anonymous mappings with MAP_HUGETLB are a Linux feature");
        long huge = (length + HugePage - 1) / HugePage * HugePage;
        nint at = mmap(0, (nuint)huge, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
        if (at != -1)
            return new AnonymousMapping(at, huge, "hugepages");
        at = mmap(0, (nuint)length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (at == -1)
            Assert.Fail($"mmap of {length} anonymous bytes failed: errno {Marshal.GetLastSystemError()}");
        return new AnonymousMapping(at, length, "plain pages");
    }

    public void Dispose() => munmap(Address, (nuint)Length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint mmap(nint addr, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int munmap(nint addr, nuint length);
}
