using Netmap.Dynamic.Cli.PktGen;

namespace Netmap.Dynamic.Tests.Cli.PktGen;

public class PktGenOptionsTests
{
    private static readonly PktGenOptions Valid = new() { Peer = PktGenOptions.DefaultPeer };

    [Test]
    public void Defaults_are_valid() => Assert.That(Valid.Validate(), Is.Null);

    [TestCase(59)]
    [TestCase(65536)]
    [TestCase(0)]
    public void Size_out_of_range(int size) => Assert.That((Valid with { Size = size }).Validate(), Does.Contain("--size"));

    [TestCase(60)]
    [TestCase(65535)]
    public void Size_bounds_are_inclusive(int size) => Assert.That((Valid with { Size = size }).Validate(), Is.Null);

    [Test]
    public void Other_ranges()
    {
        Assert.Multiple(() =>
        {
            Assert.That((Valid with { Count = 0 }).Validate(), Does.Contain("--count"));
            Assert.That((Valid with { Batch = 0 }).Validate(), Does.Contain("--batch"));
            Assert.That((Valid with { Batch = PktGenOptions.MaxBatch + 1 }).Validate(), Does.Contain("--batch"));
            Assert.That((Valid with { DurationSeconds = 0 }).Validate(), Does.Contain("--duration"));
            Assert.That((Valid with { DurationSeconds = double.NaN }).Validate(), Does.Contain("--duration"));
            Assert.That((Valid with { RateIntervalSeconds = -1 }).Validate(), Does.Contain("--rate-interval"));
            Assert.That((Valid with { RateIntervalSeconds = 0 }).Validate(), Is.Null, "0 turns rate lines off");
            Assert.That((Valid with { Port = " " }).Validate(), Does.Contain("--port"));
        });
    }

    [Test]
    public void Peer_rules()
    {
        Assert.Multiple(() =>
        {
            Assert.That((Valid with { Mode = PktGenMode.Tx }).Validate(), Does.Contain("--peer"));
            Assert.That((Valid with { Mode = PktGenMode.Tx, Peer = null }).Validate(), Is.Null);
            Assert.That((Valid with { Peer = null }).Validate(), Does.Contain("txrx needs a --peer"));
            Assert.That((Valid with { Peer = Valid.Port }).Validate(), Does.Contain("differ"));
            Assert.That((Valid with { Mode = PktGenMode.Ping, Peer = null }).Validate(), Is.Null, "ping may talk to a pong elsewhere");
        });
    }

    [Test]
    public void Count_defaults()
    {
        Assert.That(Valid.EffectiveCount, Is.EqualTo(PktGenOptions.DefaultCount));
        Assert.That((Valid with { DurationSeconds = 1 }).EffectiveCount, Is.EqualTo(long.MaxValue), "--duration alone runs until time is up");
        Assert.That((Valid with { DurationSeconds = 1, Count = 7 }).EffectiveCount, Is.EqualTo(7));
        Assert.That((Valid with { Mode = PktGenMode.Ping }).EffectiveCount, Is.EqualTo(PktGenOptions.DefaultPingCount));
        Assert.That((Valid with { Mode = PktGenMode.Rx, Peer = null }).EffectiveCount, Is.EqualTo(long.MaxValue), "rx runs until Ctrl+C");
    }

    [Test]
    public void Verify_is_on_by_default_where_both_ends_are_this_tool()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Valid.EffectiveVerify, Is.True, "txrx");
            Assert.That((Valid with { Mode = PktGenMode.Ping }).EffectiveVerify, Is.True);
            Assert.That((Valid with { Mode = PktGenMode.Pong, Peer = null }).EffectiveVerify, Is.True);
            Assert.That((Valid with { Mode = PktGenMode.Tx, Peer = null }).EffectiveVerify, Is.False, "tx may face netmap's pkt-gen");
            Assert.That((Valid with { Mode = PktGenMode.Rx, Peer = null }).EffectiveVerify, Is.False, "rx may face netmap's pkt-gen");
            Assert.That((Valid with { Mode = PktGenMode.Rx, Peer = null, Verify = true }).EffectiveVerify, Is.True);
            Assert.That((Valid with { Verify = false }).EffectiveVerify, Is.False);
        });
    }

    [Test]
    public void Thread_and_idle_rules()
    {
        Assert.Multiple(() =>
        {
            Assert.That((Valid with { Threads = 0 }).Validate(), Does.Contain("-p"));
            Assert.That((Valid with { Threads = PktGenOptions.MaxThreads + 1 }).Validate(), Does.Contain("-p"));
            Assert.That((Valid with { Threads = PktGenOptions.MaxThreads }).Validate(), Is.Null);
            Assert.That((Valid with { Mode = PktGenMode.Pong, Peer = null, Threads = 2 }).Validate(), Does.Contain("one thread"));
            Assert.That((Valid with { StopWhenIdle = true }).Validate(), Does.Contain("-W"));
            Assert.That((Valid with { Mode = PktGenMode.Rx, Peer = null, StopWhenIdle = true }).Validate(), Is.Null);
        });
    }
}
