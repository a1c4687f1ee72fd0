using System.Text.Json;
using Netmap.Dynamic.Cli.Shared;
using Netmap.Dynamic.Cli;
using Netmap.Dynamic.Cli.PktGen;
using Netmap.Dynamic.Tests.Cli.Shared;

namespace Netmap.Dynamic.Tests.Cli.PktGen;

/// <summary>`-p N`: N threads, thread i on ring i of the port (`PORT-i`), rates summed.</summary>
public class PktGenThreadsTests
{
    private static JsonElement Json(string stdout)
    {
        using JsonDocument doc = JsonDocument.Parse(stdout);
        return doc.RootElement.Clone();
    }

    [TestCase("netmap:eth0", 1, "netmap:eth0-1")]
    [TestCase("netmap:p{1", 1, "netmap:p{1-1")]
    [TestCase("netmap:p}1/T", 0, "netmap:p}1-0/T")]
    [TestCase("vale0:a@conf:rings=2", 1, "vale0:a-1@conf:tx_rings=2,rx_rings=2")]
    public void Thread_i_opens_ring_i_of_the_port(string port, int thread, string expected)
    {
        string spec = ThreadPorts.ForThread(port, thread, threads: 2);
        Assert.That(spec, Is.EqualTo(expected));
        NetmapPortSpec parsed = NetmapPortSpec.Parse(spec);
        Assert.That(parsed.Mode, Is.EqualTo(Netmap.Dynamic.Interop.NetmapRegisterMode.NR_REG_ONE_NIC));
        Assert.That(parsed.RingId, Is.EqualTo(thread));
    }

    [Test]
    public void One_thread_opens_the_port_as_given() =>
        Assert.That(ThreadPorts.ForThread("netmap:eth0-3", 0, threads: 1), Is.EqualTo("netmap:eth0-3"));

    [Test]
    public void Txrx_on_two_rings_of_a_pipe_sums_the_threads()
    {
        (int exit, string stdout, string stderr) = CliRunner.Run("pkt-gen", "--backend", "fake", "-i", "netmap:pp{1@conf:rings=2", "-p", "2", "-n", "20000", "--json", "--rate-interval", "0");

        Assert.That(exit, Is.EqualTo(ExitCodes.Success), stderr);
        JsonElement j = Json(stdout);
        JsonElement[] threads = [.. j.GetProperty("threads").EnumerateArray()];
        Assert.That(threads, Has.Length.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(threads[0].GetProperty("port").GetString(), Is.EqualTo("netmap:pp{1-0@conf:tx_rings=2,rx_rings=2"));
            Assert.That(threads[1].GetProperty("peer").GetString(), Is.EqualTo("netmap:pp}1-1@conf:tx_rings=2,rx_rings=2"));
            Assert.That(threads.Select(t => t.GetProperty("received").GetInt64()), Is.All.EqualTo(10000), "-n is shared out");
            Assert.That(j.GetProperty("sent").GetInt64(), Is.EqualTo(20000));
            Assert.That(j.GetProperty("received").GetInt64(), Is.EqualTo(20000));
            Assert.That(j.GetProperty("mpps").GetDouble(), Is.EqualTo(threads.Sum(t => t.GetProperty("mpps").GetDouble())).Within(1e-3), "rates are summed");
            Assert.That(j.GetProperty("seconds").GetDouble(), Is.EqualTo(threads.Max(t => t.GetProperty("seconds").GetDouble())).Within(1e-6));
        });
    }

    [Test]
    public void Tx_into_a_vale_port_on_two_rings()
    {
        (int exit, string stdout, string stderr) = CliRunner.Run("pkt-gen", "--backend", "fake", "-f", "tx", "-i", "vale7:a@conf:rings=2", "-p", "2", "-n", "5000", "--json", "--rate-interval", "0");

        Assert.That(exit, Is.EqualTo(ExitCodes.Success), stderr);
        JsonElement j = Json(stdout);
        Assert.That(j.GetProperty("sent").GetInt64(), Is.EqualTo(5000));
        Assert.That(j.GetProperty("threads").EnumerateArray().Select(t => t.GetProperty("port").GetString()),
            Is.EqualTo(new[] { "vale7:a-0@conf:tx_rings=2,rx_rings=2", "vale7:a-1@conf:tx_rings=2,rx_rings=2" }));
    }

    [Test]
    public void More_threads_than_rings_exits_1_and_says_how_to_get_rings()
    {
        (int exit, _, string stderr) = CliRunner.Run("pkt-gen", "--backend", "fake", "-f", "tx", "-i", "vale7:b", "-p", "2", "-n", "10", "--rate-interval", "0");
        Assert.That(exit, Is.EqualTo(ExitCodes.Failure));
        Assert.That(stderr, Does.Contain("has 1").And.Contain("@conf:rings="));
    }

    [TestCase("-f", "tx", "-i", "netmap:x{1-0", "-p", "2")]     // already one ring
    [TestCase("-f", "tx", "-i", "netmap:x{1", "-p", "0")]
    [TestCase("-f", "tx", "-i", "netmap:x{1", "-p", "65")]
    [TestCase("-f", "ping", "-i", "netmap:x{1", "-p", "2")]     // ping and pong run on one thread, like netmap's
    [TestCase("-f", "txrx", "-i", "netmap:x{1", "-W", "true")]  // -W is for rx
    public void Usage_errors_exit_2(params string[] args)
    {
        (int exit, _, string stderr) = CliRunner.Run(["pkt-gen", "--backend", "fake", "-n", "10", .. args]);
        Assert.That(exit, Is.EqualTo(ExitCodes.Usage), stderr);
        Assert.That(stderr, Is.Not.Empty);
    }
}
