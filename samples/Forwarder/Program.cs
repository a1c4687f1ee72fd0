// Forwards every frame from one port to another without copying it: the received buffer itself
// goes into the TX slot (the ports must share a memory region, as the rings of one NIC and its
// host stack do, or pipes and VALE ports opened with the same memory id).
//   dotnet run --project samples/Forwarder -- netmap:eth0 netmap:eth0^    NIC to host stack (netmap host, root; Ctrl+C stops)
//   dotnet run --project samples/Forwarder -- --fake                      pipe to pipe on the fake backend
using Netmap.Dynamic;
using Netmap.Dynamic.Fake;

bool fake = args.Length == 0 || args[0] == "--fake";
using INetmapBackend backend = fake ? new FakeNetmapBackend() : NetmapLibrary.Load();
using NetmapPort input = backend.OpenPort(fake ? "netmap:fwd}1" : args[0]);
using NetmapPort output = backend.OpenPort(fake ? "netmap:fwd{2" : args[1]);
using CancellationTokenSource stop = new();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

// The forwarding loop runs on a thread of its own and blocks in poll() while there is nothing to do.
Thread forwarding = new(() => Forward(input, output, stop.Token)) { Name = "forwarder" };
forwarding.Start();
if (fake)
{
    Console.WriteLine($"forwarded and received {await RunFakeTrafficAsync(backend, 50_000)} frames");
    stop.Cancel();
}
forwarding.Join();

static void Forward(NetmapPort input, NetmapPort output, CancellationToken stop)
{
    long forwarded = 0;
    TimeSpan slice = TimeSpan.FromMilliseconds(100);   // how often the loop looks at the stop token
    while (!stop.IsCancellationRequested)
    {
        NetmapRxBatch received = input.Receive(maxFrames: 256, slice);
        if (received.IsEmpty) continue;
        NetmapTxBatch send = output.GetSendBatch(received.Count, slice);
        forwarded += NetmapZeroCopy.Forward(ref received, ref send);   // what does not fit waits for the next round
        output.TxSync();
    }
    Console.Error.WriteLine($"forwarder: {forwarded} frames");
}

// The fake's traffic: frames sent into the input pipe's other end, read at the output pipe's other end.
static async Task<long> RunFakeTrafficAsync(INetmapBackend backend, int count)
{
    using NetmapPort source = backend.OpenPort("netmap:fwd{1");
    using NetmapPort sink = backend.OpenPort("netmap:fwd}2");
    ReadOnlyMemory<byte>[] frames = [new byte[60], new byte[60], new byte[60], new byte[60]];
    Task sending = Task.Run(async () => { for (int i = 0; i < count; i += frames.Length) await source.SendAsync(frames); });
    long received = 0;
    while (received < count && await sink.WaitToReceiveAsync())
    {
        NetmapRxBatch batch = sink.Receive(maxFrames: 256);
        received += batch.Count;
        batch.Release();
    }
    await sending;
    return received;
}
