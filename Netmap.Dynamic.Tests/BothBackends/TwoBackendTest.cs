using System.Globalization;
using Netmap.Dynamic.Fake;
using Netmap.Dynamic.Native;
using Netmap.Dynamic.Tests.Native;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// Base of the two-backend suite: every derived fixture runs twice, once on the fake backend
/// (always) and once on the real kernel (category <c>RealNetmap</c>; ignored with the probe's
/// message where netmap is not available). A rule of the kernel is written once and so holds the
/// fake to the kernel and the kernel to the fake.
/// </summary>
/// <remarks>
/// The fake gets a fresh <see cref="FakeNetmapBackend"/> per test; the native fixture loads
/// <see cref="NetmapLibrary"/> once and keeps ports of different tests apart by name:
/// <see cref="Unique"/> gives names no other test (or run) uses, for pipes, VALE switches and
/// ports alike. Tests dispose every port they open; <see cref="TearDownBackend"/> then checks
/// that the backend holds no port of this test any more.
/// </remarks>
[TestFixture(BackendKind.Fake)]
[TestFixture(BackendKind.Native, Category = "RealNetmap")]
[NonParallelizable]
public abstract class TwoBackendTest
{
    private static int s_counter;
    private NetmapLibrary? _library;
    private FakeNetmapBackend? _fake;
    private string _run = "";
    private int _portsAtStart;

    protected TwoBackendTest(BackendKind kind) => Kind = kind;

    /// <summary>The backend this fixture instance runs on.</summary>
    protected BackendKind Kind { get; }

    /// <summary>True on the real kernel.</summary>
    protected bool IsNative => Kind == BackendKind.Native;

    /// <summary>The backend under test (fresh per test on the fake).</summary>
    protected INetmapBackend Backend => IsNative ? _library! : _fake!;

    /// <summary>The native library (only on the native fixture).</summary>
    protected NetmapLibrary Library => _library ?? throw new InvalidOperationException("Only the native fixture has a NetmapLibrary.");

    /// <summary>The fake backend (only on the fake fixture), for its test hooks.</summary>
    protected FakeNetmapBackend Fake => _fake ?? throw new InvalidOperationException("Only the fake fixture has a FakeNetmapBackend.");

    /// <summary>A time bound for waits that should succeed at once; reaching it fails the test instead of hanging it.</summary>
    protected static TimeSpan Guard { get; } = TimeSpan.FromSeconds(20);

    [OneTimeSetUp]
    public void LoadBackend()
    {
        _run = Random.Shared.Next(0, 36 * 36 * 36).ToString("x3", CultureInfo.InvariantCulture);
        if (!IsNative) return;
        if (!NetmapLibrary.TryLoad(out NetmapLibrary? library, out NetmapProbeResult result))
            Assert.Ignore($"netmap is not available here ({result.Status}): {result.Message}");
        _library = library;
    }

    [OneTimeTearDown]
    public void UnloadBackend() => _library?.Dispose();

    [SetUp]
    public void CreateBackend()
    {
        if (!IsNative) _fake = new FakeNetmapBackend();
        else _portsAtStart = _library!.Backend.OpenPorts;
    }

    [TearDown]
    public void TearDownBackend()
    {
        _fake?.Dispose();
        _fake = null;
        if (IsNative && _library is not null)
            Assert.That(_library.Backend.OpenPorts, Is.EqualTo(_portsAtStart), "the test left native ports open");
    }

    /// <summary>
    /// A name made of <paramref name="prefix"/> (letters only) and a suffix unique to this run and
    /// call: use it as a pipe's parent name (<c>netmap:{name}{1</c>), a VALE switch
    /// (<c>vale{suffix}</c> via <see cref="UniqueSwitch"/>) or a port name.
    /// </summary>
    protected string Unique(string prefix) =>
        prefix + _run + Interlocked.Increment(ref s_counter).ToString(CultureInfo.InvariantCulture);

    /// <summary>Opens both ends of a pipe no other test uses; <paramref name="conf"/> (e.g. <c>@conf:slots=8</c>) goes with the master.</summary>
    protected PipePair OpenPipe(string prefix, string conf = "")
    {
        string pipe = Unique(prefix);
        NetmapPort master = Backend.OpenPort($"netmap:{pipe}{{1{conf}");
        try
        {
            return new PipePair(master, Backend.OpenPort($"netmap:{pipe}}}1"));
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A VALE switch name no other test uses (<c>vale_</c> + digits/letters): after <c>vale</c> a
    /// switch id must start with a digit, an upper-case letter or '_', or libnetmap reads it differently.
    /// </summary>
    protected string UniqueSwitch() => Unique("vale_");

    /// <summary>
    /// Returns once <paramref name="waiter"/> is blocked waiting on <paramref name="port"/>: on the
    /// kernel, a thread of this process is inside poll with the port's fd (read from
    /// /proc/self/task/*/syscall); on the fake, the port's driver has a waiter. Never by sleeping.
    /// </summary>
    protected void WaitUntilBlocked(NetmapPort port, Task waiter)
    {
        if (IsNative)
        {
            var native = (NativePortDriver)port.Driver;
            // A WaitAsync on the epoll reactor is armed before it returns and blocks no thread;
            // a Poll (or a WaitAsync without the reactor) blocks a thread in poll on the port's fd.
            if (native.Registration is { WaiterCount: > 0 }) return;
            NativePortDriverTests.WaitUntilBlockedInPoll(native.FileDescriptor, waiter);
            return;
        }
        WaitUntilBlockedOnFake(port, waiter, Guard);
    }

    /// <summary>Returns once <paramref name="waiter"/> is blocked in a Poll or WaitAsync of a fake port (its driver has a waiter).</summary>
    internal static void WaitUntilBlockedOnFake(NetmapPort port, Task waiter, TimeSpan guard)
    {
        var driver = (FakePortDriver)port.Driver;
        DateTime deadline = DateTime.UtcNow + guard;
        SpinWait spin = default;
        while (!driver.HasWaiters)
        {
            Assert.That(waiter.IsCompleted, Is.False, () => $"the waiter ended before blocking: {waiter.Exception}");
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "no waiter blocked on the port");
            spin.SpinOnce();
        }
    }
}
