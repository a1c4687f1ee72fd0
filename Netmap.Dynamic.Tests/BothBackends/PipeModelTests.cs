namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// Model-based test: random operations on both ends of a small pipe, checked after every step
/// against a queue model of the kernel's pipe protocol.
/// </summary>
public sealed class PipeModelTests(BackendKind kind) : TwoBackendTest(kind)
{
    private const uint Slots = 8;

    /// <summary>One direction of the pipe as counters and the queue of frames in flight.</summary>
    private sealed class Direction(NetmapPort sender, NetmapPort receiver)
    {
        public NetmapPort Sender { get; } = sender;
        public NetmapPort Receiver { get; } = receiver;
        public Queue<long> Frames { get; } = new();   // every frame written and not yet read, oldest first
        public int Written;       // written by the sender, not yet TX-synced
        public int Published;     // TX-synced, not yet seen by an RX sync
        public int Visible;       // on the receiver's ring, unread
        public int Read;          // read (head advanced), not yet released by an RX sync
        public int Released;      // released, not yet seen by a TX sync of the sender
        public long NextToSend;
        public long NextToRead;

        public uint TxSpace => Slots - 1 - (uint)(Written + Published + Visible + Read + Released);

        /// <summary>A TX ring with nothing new to send (head = the kernel's hwcur).</summary>
        public bool TxIdle => Written == 0;

        public void TxSynced()
        {
            Published += Written;
            Written = 0;
            Released = 0;
        }

        public void RxSynced()
        {
            Released += Read;
            Read = 0;
            Visible += Published;
            Published = 0;
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    public void Random_operations_match_the_queue_model(int seed)
    {
        string pipe = Unique("model");
        using NetmapPort master = Backend.OpenPort($"netmap:{pipe}{{{seed}@conf:slots={Slots}");
        using NetmapPort slave = Backend.OpenPort($"netmap:{pipe}}}{seed}");
        Direction[] directions = [new(master, slave), new(slave, master)];
        var random = new Random(seed);
        for (int step = 0; step < 20_000; step++)
        {
            Direction d = directions[random.Next(2)];
            int op = random.Next(7);
            string what = $"seed {seed} step {step} op {op} {d.Sender.Name}→{d.Receiver.Name}";
            switch (op)
            {
                case 0:   // write up to 4 frames
                    for (int n = random.Next(1, 5); n > 0; n--)
                    {
                        bool room = d.TxSpace > 0;
                        Assert.That(d.Sender.GetTxRing(0).TryWrite(BitConverter.GetBytes(d.NextToSend)), Is.EqualTo(room), what);
                        if (!room) break;
                        d.Frames.Enqueue(d.NextToSend++);
                        d.Written++;
                    }
                    break;
                case 1:
                    d.Sender.TxSync();
                    d.TxSynced();
                    break;
                case 2:
                    d.Receiver.RxSync();
                    d.RxSynced();
                    break;
                case 3:   // read up to 4 frames
                    for (int n = random.Next(1, 5); n > 0; n--)
                    {
                        bool any = d.Visible > 0;
                        Assert.That(d.Receiver.GetRxRing(0).TryRead(out ReadOnlySpan<byte> frame), Is.EqualTo(any), what);
                        if (!any) break;
                        Assert.That(BitConverter.ToInt64(frame), Is.EqualTo(d.Frames.Dequeue()), what);
                        Assert.That(d.NextToRead++, Is.EqualTo(BitConverter.ToInt64(frame)), what);
                        d.Visible--;
                        d.Read++;
                    }
                    break;
                case 4:   // poll for room: syncs TX
                {
                    NetmapPollEvents ready = d.Sender.Poll(NetmapPollEvents.Transmit, TimeSpan.Zero);
                    d.TxSynced();
                    Assert.That(ready, Is.EqualTo(d.TxSpace > 0 ? NetmapPollEvents.Transmit : NetmapPollEvents.None), what);
                    break;
                }
                case 5:   // poll for packets: syncs the receiver's RX, and its TX (the other direction) only if that has something new to send
                {
                    Direction reverse = directions[0] == d ? directions[1] : directions[0];
                    bool txSynced = !reverse.TxIdle;
                    NetmapPollEvents ready = d.Receiver.Poll(NetmapPollEvents.Receive, TimeSpan.Zero);
                    if (txSynced) reverse.TxSynced();
                    d.RxSynced();
                    Assert.That(ready, Is.EqualTo(d.Visible > 0 ? NetmapPollEvents.Receive : NetmapPollEvents.None), what);
                    break;
                }
                default:   // read everything visible with Advance after peeking at the first
                {
                    NetmapRing rx = d.Receiver.GetRxRing(0);
                    Assert.That(rx.Space, Is.EqualTo((uint)d.Visible), what);
                    for (int i = 0, at = rx.Head; i < rx.Space; i++, at = rx.Next(at))
                    {
                        Assert.That(BitConverter.ToInt64(rx.GetPacket(at)), Is.EqualTo(d.Frames.Dequeue()), what);
                        d.NextToRead++;
                    }
                    d.Read += d.Visible;
                    rx.Advance(rx.Space);
                    d.Visible = 0;
                    break;
                }
            }
            foreach (Direction check in directions)
            {
                Assert.That(check.Sender.GetTxRing(0).Space, Is.EqualTo(check.TxSpace), $"{what}: TX space of {check.Sender.Name}");
                Assert.That(check.Receiver.GetRxRing(0).Space, Is.EqualTo((uint)check.Visible), $"{what}: RX space of {check.Receiver.Name}");
            }
        }
        Assert.That(directions.Sum(d => d.NextToRead), Is.GreaterThan(1000), "the walk moved a fair amount of traffic");
    }
}
