using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Moq;

using Netmap.Dynamic.Native;

namespace Netmap.Dynamic.Tests.Loading;

/// <summary>TryLoad/Load/Probe contracts: no exceptions inside, logging, dispose, repeatability.</summary>
[Platform(Include = "Linux")]
public sealed class NetmapLibraryBehaviourTests
{
    [Test]
    public void TryLoad_raises_no_first_chance_exception_when_it_fails_or_succeeds()
    {
        DirectoryInfo empty = Directory.CreateTempSubdirectory("netmap-loader-");
        int thread = Environment.CurrentManagedThreadId;
        List<string> seen = [];
        void Count(object? sender, FirstChanceExceptionEventArgs e)
        {
            if (Environment.CurrentManagedThreadId == thread)
                seen.Add(e.Exception.GetType().Name + ": " + e.Exception.Message);
        }

        // Failed: nothing to load anywhere. Loaded: shim + libc + layout fine, device missing.
        // Available: the test variant that answers for the kernel.
        NetmapLoadOptions failing = NativeTestFiles.Isolated(empty.FullName);
        NetmapLoadOptions loading = NativeTestFiles.Isolated(empty.FullName, shimPath: NativeTestFiles.Shim);
        NetmapLoadOptions available = NativeTestFiles.Isolated(empty.FullName, shimPath: NativeTestFiles.Variant("kernel14"), devicePath: "/dev/null");
        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            NetmapLibrary.TryLoad(failing, out NetmapLibrary? none, out NetmapProbeResult failed);
            NetmapLibrary.TryLoad(loading, out NetmapLibrary? noDevice, out NetmapProbeResult deviceMissing);
            NetmapLibrary.TryLoad(available, out NetmapLibrary? library, out NetmapProbeResult ok);
            library?.Dispose();

            Assert.Multiple(() =>
            {
                Assert.That(failed.Status, Is.EqualTo(NetmapProbeStatus.ShimNotFound));
                Assert.That(none, Is.Null);
                Assert.That(deviceMissing.Status, Is.EqualTo(NetmapProbeStatus.DeviceNotFound));
                Assert.That(deviceMissing.IsLibraryLoaded, Is.True);
                Assert.That(noDevice, Is.Null);
                Assert.That(ok.Status, Is.EqualTo(NetmapProbeStatus.Available));
            });
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
            empty.Delete(recursive: true);
        }
        Assert.That(seen, Is.Empty);
    }

    [Test]
    public void Load_throws_NetmapUnavailableException_carrying_the_result()
    {
        NetmapUnavailableException? e = Assert.Throws<NetmapUnavailableException>(() =>
            NetmapLibrary.Load(new NetmapLoadOptions { ShimPath = NativeTestFiles.Shim, DevicePath = "/dev/null", UseEnvironmentVariable = false }));

        Assert.Multiple(() =>
        {
            Assert.That(e!, Is.InstanceOf<NetmapException>());
            Assert.That(e!.Status, Is.EqualTo(NetmapProbeStatus.NotNetmapDevice));
            Assert.That(e.ProbeResult.DevicePath, Is.EqualTo("/dev/null"));
            Assert.That(e.Message, Does.Contain("NotNetmapDevice"));
        });
    }

    [Test]
    public void Load_returns_a_library_when_netmap_is_available()
    {
        using NetmapLibrary library = NetmapLibrary.Load(new NetmapLoadOptions { ShimPath = NativeTestFiles.Variant("kernel14"), DevicePath = "/dev/null" });
        Assert.That(library.ProbeResult.IsAvailable, Is.True);
    }

    [Test]
    public void The_probe_can_be_repeated_with_other_options()
    {
        NetmapLoadOptions options = new() { ShimPath = NativeTestFiles.Shim, DevicePath = "/dev/null", UseEnvironmentVariable = false };
        NetmapProbeResult first = NetmapLibrary.Probe(options);
        options.DevicePath = NativeTestFiles.MissingDevice;
        NetmapProbeResult second = NetmapLibrary.Probe(options);
        options.ShimPath = NativeTestFiles.Variant("v99");
        NetmapProbeResult third = NetmapLibrary.Probe(options);

        Assert.That(new[] { first.Status, second.Status, third.Status },
            Is.EqualTo(new[] { NetmapProbeStatus.NotNetmapDevice, NetmapProbeStatus.DeviceNotFound, NetmapProbeStatus.ShimIncompatible }));
    }

    [Test]
    public void Concurrent_TryLoads_each_get_a_working_library()
    {
        const int threads = 8;
        using Barrier start = new(threads);
        NetmapLoadOptions options = new() { ShimPath = NativeTestFiles.Variant("kernel14"), DevicePath = "/dev/null" };
        Task<(bool Loaded, int Version)>[] tasks = Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            bool loaded = NetmapLibrary.TryLoad(options, out NetmapLibrary? library, out NetmapProbeResult _);
            using (library)
                return (loaded, library is null ? 0 : ShimVersion(library));
        }, TaskCreationOptions.LongRunning)).ToArray();

        Assert.That(Task.WaitAll(tasks, TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(tasks.Select(t => t.Result), Is.All.EqualTo((true, ShimFunctions.ApiVersion)));
    }

    private static unsafe int ShimVersion(NetmapLibrary library) => library.ShimFunctions.nmshim_version();

    [Test]
    public void Dispose_is_idempotent_and_safe_from_many_threads()
    {
        NetmapLibrary library = NetmapLibrary.Load(new NetmapLoadOptions { ShimPath = NativeTestFiles.Variant("kernel14"), DevicePath = "/dev/null" });
        const int threads = 8;
        using Barrier start = new(threads);
        Task[] tasks = Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            library.Dispose();
        }, TaskCreationOptions.LongRunning)).ToArray();

        Assert.That(Task.WaitAll(tasks, TimeSpan.FromSeconds(10)), Is.True);
        library.Dispose();
        Assert.Multiple(() =>
        {
            Assert.That(library.IsDisposed, Is.True);
            Assert.Throws<ObjectDisposedException>(() => _ = library.ShimFunctions);
            Assert.Throws<ObjectDisposedException>(() => _ = library.LibcFunctions);
        });
    }

    [Test]
    public unsafe void LoadedFunctionTablesAreCallable()
    {
        using NetmapLibrary library = NetmapLibrary.Load(new NetmapLoadOptions { ShimPath = NativeTestFiles.Variant("kernel14"), DevicePath = "/dev/null" });

        // eventfd + write + read + close through the libc table: the data plane's wake-up path.
        var libc = library.LibcFunctions;
        int fd = libc.eventfd(0, 0);
        Assert.That(fd, Is.GreaterThanOrEqualTo(0));
        ulong value = 5, back = 0;
        nint written = libc.write(fd, &value, sizeof(ulong));
        nint read = libc.read(fd, &back, sizeof(ulong));
        int closed = libc.close(fd);
        ulong received = back;
        Assert.Multiple(() =>
        {
            Assert.That(written, Is.EqualTo((nint)sizeof(ulong)));
            Assert.That(read, Is.EqualTo((nint)sizeof(ulong)));
            Assert.That(received, Is.EqualTo(5UL));
            Assert.That(closed, Is.Zero);
            Assert.That(library.ShimFunctions.nmshim_version(), Is.EqualTo(ShimFunctions.ApiVersion));
        });
    }

    [Test]
    public void The_logger_sees_every_attempt_at_debug_and_the_verdict_as_a_warning()
    {
        Mock<ILogger> logger = new();
        logger.Setup(l => l.IsEnabled(It.IsAny<LogLevel>())).Returns(true);

        NetmapLibrary.Probe(new NetmapLoadOptions
        {
            ShimPath = NativeTestFiles.Shim,
            DevicePath = NativeTestFiles.MissingDevice,
            UseEnvironmentVariable = false,
            Logger = logger.Object,
        });

        logger.Verify(l => l.Log(LogLevel.Warning, It.IsAny<EventId>(),
            It.Is<It.IsAnyType>((state, _) => state.ToString()!.Contains("DeviceNotFound")),
            It.IsAny<Exception?>(), It.IsAny<Func<It.IsAnyType, Exception?, string>>()), Times.Once);
        logger.Verify(l => l.Log(LogLevel.Debug, It.IsAny<EventId>(),
            It.Is<It.IsAnyType>((state, _) => state.ToString()!.Contains(NativeTestFiles.Shim)),
            It.IsAny<Exception?>(), It.IsAny<Func<It.IsAnyType, Exception?, string>>()), Times.Once);
        logger.Verify(l => l.Log(LogLevel.Information, It.IsAny<EventId>(), It.IsAny<It.IsAnyType>(),
            It.IsAny<Exception?>(), It.IsAny<Func<It.IsAnyType, Exception?, string>>()), Times.Never);
    }

    [Test]
    public void The_logger_sees_an_available_verdict_as_information()
    {
        Mock<ILogger> logger = new();
        logger.Setup(l => l.IsEnabled(It.IsAny<LogLevel>())).Returns(true);

        NetmapLibrary.Probe(new NetmapLoadOptions { ShimPath = NativeTestFiles.Variant("kernel14"), DevicePath = "/dev/null", Logger = logger.Object });

        logger.Verify(l => l.Log(LogLevel.Information, It.IsAny<EventId>(),
            It.Is<It.IsAnyType>((state, _) => state.ToString()!.Contains("netmap available")),
            It.IsAny<Exception?>(), It.IsAny<Func<It.IsAnyType, Exception?, string>>()), Times.Once);
        logger.Verify(l => l.Log(LogLevel.Warning, It.IsAny<EventId>(), It.IsAny<It.IsAnyType>(),
            It.IsAny<Exception?>(), It.IsAny<Func<It.IsAnyType, Exception?, string>>()), Times.Never);
    }

    [Test]
    public void The_report_names_status_platform_shim_and_attempts()
    {
        NetmapProbeResult result = NetmapLibrary.Probe(new NetmapLoadOptions { ShimPath = NativeTestFiles.Shim, DevicePath = "/dev/null", UseEnvironmentVariable = false });
        string[] lines = result.ToString().Split('\n');

        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo("netmap probe: NotNetmapDevice"));
            Assert.That(lines, Has.Some.StartsWith("platform: ").And.Contain(result.RuntimeIdentifier));
            Assert.That(lines, Has.Some.StartsWith($"shim: {NativeTestFiles.Shim}").And.Contain("bundled headers"));
            Assert.That(lines, Has.Some.EqualTo($"  shim [option] {NativeTestFiles.Shim}: loaded"));
            Assert.That(lines, Has.Some.StartsWith("device: /dev/null: "));
        });
    }
}
