// Spreads one NIC's traffic over worker tasks the netmap way: the NIC hashes flows onto its RX
// rings (RSS), and each worker opens the port for one ring (netmap:eth0-0, netmap:eth0-1, ...) and
// waits on it asynchronously. No frame is copied or handed between threads.
//   dotnet run --project samples/FanOut -- eth0 10     one worker per RX ring of eth0, for 10 seconds (netmap host, root)
//   dotnet run --project samples/FanOut -- --fake      a fake NIC with four RX rings, fed by this program
using Netmap.Dynamic;
using Netmap.Dynamic.Fake;

bool fake = args.Length == 0 || args[0] == "--fake";
using INetmapBackend backend = fake ? new FakeNetmapBackend() : NetmapLibrary.Load();
FakeNetmapInterface? fakeNic = fake ? ((FakeNetmapBackend)backend).AddInterface("eth0", rxRings: 4) : null;
string nic = fake ? "eth0" : args[0];
using CancellationTokenSource stop = fake ? new() : new(TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1]) : 10));
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

int rings;
using (NetmapPort all = backend.OpenPort(NetmapPortSpec.Nic(nic).Build())) rings = all.RxRingCount;
const int FakeFramesPerRing = 10_000;
long expected = fake ? (long)FakeFramesPerRing * rings : long.MaxValue;

long total = 0;
Task<long>[] workers = new Task<long>[rings];
for (int ring = 0; ring < rings; ring++)
{
    NetmapPort port = backend.OpenPort(NetmapPortSpec.Nic(nic).Ring(ring).RxOnly().Build());
    workers[ring] = Task.Run(() => CountAsync(port));
}
if (fakeNic is not null)
{
    byte[] frame = new byte[60];
    for (int i = 0; i < FakeFramesPerRing * rings;)
        if (fakeNic.InjectReceive(frame, ring: i % rings)) i++;   // the fake "wire"; false: that ring is full
        else await Task.Yield();
}
long[] counts = await Task.WhenAll(workers);
for (int ring = 0; ring < rings; ring++) Console.WriteLine($"worker {ring}: {counts[ring]} frames");
Console.WriteLine($"total {counts.Sum()}");

async Task<long> CountAsync(NetmapPort port)
{
    using (port)
    {
        long frames = 0;
        try
        {
            while (await port.WaitToReceiveAsync(stop.Token))
            {
                NetmapRxBatch batch = port.Receive(maxFrames: 512);
                int got = batch.Count;   // a real worker parses, filters, aggregates here
                frames += got;
                batch.Release();
                if (Interlocked.Add(ref total, got) >= expected) stop.Cancel();   // the fake's run is complete
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        return frames;
    }
}
