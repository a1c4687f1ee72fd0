using Netmap.Dynamic.Cli.Lb;

namespace Netmap.Dynamic.Tests.Cli.Lb;

public sealed class FlowHashTests
{
    [Test]
    public void Both_directions_of_a_flow_hash_alike_and_different_flows_mostly_differ()
    {
        HashSet<uint> hashes = [];
        for (int flow = 0; flow < 1000; flow++)
        {
            uint forward = FlowHash.Of(LbTests.FlowFrame(flow, reply: false));
            Assert.That(FlowHash.Of(LbTests.FlowFrame(flow, reply: true)), Is.EqualTo(forward), $"flow {flow}");
            hashes.Add(forward);
        }
        Assert.That(hashes, Has.Count.GreaterThan(995));
    }

    [Test]
    public void Short_or_foreign_frames_hash_without_reading_past_their_end()
    {
        Assert.That(FlowHash.Of([]), Is.Zero);
        Assert.That(FlowHash.Of(new byte[13]), Is.Zero);
        byte[] truncatedIp = LbTests.FlowFrame(1, false)[..30];
        Assert.DoesNotThrow(() => FlowHash.Of(truncatedIp));
        byte[] arp = new byte[42];
        arp[12] = 0x08;
        arp[13] = 0x06;
        Assert.DoesNotThrow(() => FlowHash.Of(arp));
    }
}
