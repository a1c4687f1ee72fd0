// Counts received frames per source MAC address, waiting asynchronously for traffic.
//   dotnet run --project samples/MacCounter -- netmap:eth0 10    count on eth0 for 10 seconds (netmap host, root)
//   dotnet run --project samples/MacCounter -- --fake             a pipe on the fake backend, fed by this program
using System.Buffers.Binary;
using Netmap.Dynamic;
using Netmap.Dynamic.Fake;

bool fake = args.Length == 0 || args[0] == "--fake";
using INetmapBackend backend = fake ? new FakeNetmapBackend() : NetmapLibrary.Load();
using NetmapPort port = backend.OpenPort(fake ? "netmap:macs}1" : args[0]);
using CancellationTokenSource stop = fake ? new() : new(TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1]) : 10));
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

const int FakeFrames = 100_000;
Task feeding = fake ? FeedAsync(backend, FakeFrames) : Task.CompletedTask;
Dictionary<ulong, long> perMac = [];
long total = 0;
try
{
    while ((!fake || total < FakeFrames) && await port.WaitToReceiveAsync(stop.Token))
    {
        NetmapRxBatch batch = port.Receive(maxFrames: 512);
        for (int i = 0; i < batch.Count; i++)
        {
            ReadOnlySpan<byte> frame = batch.GetPacket(i);
            if (frame.Length < 12) continue;   // not an Ethernet frame
            ulong mac = BinaryPrimitives.ReadUInt64BigEndian(frame[4..12]) & 0xFFFF_FFFF_FFFF;   // bytes 6..11
            perMac[mac] = perMac.GetValueOrDefault(mac) + 1;
            total++;
        }
        batch.Release();
    }
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
}
await feeding;

foreach ((ulong mac, long frames) in perMac.OrderByDescending(p => p.Value))
    Console.WriteLine($"{mac:x12} {frames}");
Console.WriteLine($"total {total}");

// The fake's traffic: frames from four source MACs, sent on the pipe's other end.
static async Task FeedAsync(INetmapBackend backend, int count)
{
    using NetmapPort sender = backend.OpenPort("netmap:macs{1");
    ReadOnlyMemory<byte>[] frames = new ReadOnlyMemory<byte>[4];
    for (int m = 0; m < frames.Length; m++)
    {
        byte[] frame = new byte[60];
        frame.AsSpan(0, 6).Fill(0xFF);                     // broadcast destination
        frame[6] = 0x02; frame[11] = (byte)(m + 1);         // source 02:00:00:00:00:0m
        frames[m] = frame;
    }
    await Task.Yield();
    for (int sent = 0; sent < count; sent += frames.Length)
        await sender.SendAsync(frames);
}
