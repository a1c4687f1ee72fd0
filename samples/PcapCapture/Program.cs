// Captures frames from a port into a pcap file (the classic libpcap format, readable by Wireshark
// and tcpdump), with the library alone: the frames are written straight from the ring's memory.
//   dotnet run --project samples/PcapCapture -- netmap:eth0 capture.pcap 1000    1000 frames of eth0 (netmap host, root)
//   dotnet run --project samples/PcapCapture -- --fake capture.pcap              frames sent on a fake pipe by this program
using System.Buffers.Binary;
using Netmap.Dynamic;
using Netmap.Dynamic.Fake;

bool fake = args[0] == "--fake";
string path = args[1];
long wanted = args.Length > 2 ? long.Parse(args[2]) : 1000;
using INetmapBackend backend = fake ? new FakeNetmapBackend() : NetmapLibrary.Load();
using NetmapPort port = backend.OpenPort(fake ? "netmap:cap}1" : args[0]);
using NetmapPort? fakeSender = fake ? backend.OpenPort("netmap:cap{1") : null;

using FileStream file = new(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1 << 16);
Span<byte> header = stackalloc byte[24];
BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);        // magic: microsecond timestamps
BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);            // version 2.4
BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 65535);       // snapshot length
BinaryPrimitives.WriteUInt32LittleEndian(header[20..], 1);           // link type: Ethernet
file.Write(header);

long captured = 0, sequence = 0;
Span<byte> record = stackalloc byte[16];
while (captured < wanted)
{
    if (fakeSender is not null && fakeSender.GetTxRing(0).Space > 0)
        sequence += SendNumberedFrame(fakeSender, sequence);      // the fake's traffic
    NetmapRxBatch batch = port.Receive(maxFrames: 256, TimeSpan.FromSeconds(1));
    long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
    for (int i = 0; i < batch.Count && captured < wanted; i++, captured++)
    {
        ReadOnlySpan<byte> frame = batch.GetPacket(i);
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(now / 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)(now % 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)frame.Length);    // bytes kept
        BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)frame.Length);   // bytes on the wire
        file.Write(record);
        file.Write(frame);
    }
    batch.Release();
}
Console.WriteLine($"captured {captured} frames to {path}");

// One 60-byte frame carrying its sequence number, sent at once.
static int SendNumberedFrame(NetmapPort sender, long sequence)
{
    Span<byte> frame = stackalloc byte[60];
    frame[..6].Fill(0xFF);
    BinaryPrimitives.WriteInt64BigEndian(frame[14..], sequence);
    NetmapTxBatch batch = sender.GetSendBatch(1, TimeSpan.Zero);
    if (batch.IsEmpty) return 0;
    batch.Write(0, frame);
    batch.Commit();
    sender.TxSync();
    return 1;
}
