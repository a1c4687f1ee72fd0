using static Netmap.Dynamic.Tests.DataPlane.ExceptionCatcher;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// The batch API against the kernel's ring protocol: what a batch may cover, what a commit hands
/// over, what a release gives back — on the fake and on the real kernel alike.
/// </summary>
public sealed class RingBatchTests(BackendKind kind) : TwoBackendTest(kind)
{
    private static byte[] Frame(int sequence) =>
        [.. Enumerable.Range(0, 60).Select(i => (byte)(sequence * 31 + i))];

    [Test]
    public void A_fresh_TX_ring_reserves_num_slots_minus_one_and_a_full_ring_reserves_none()
    {
        using PipePair pipe = OpenPipe("bt");
        (NetmapPort master, NetmapPort slave) = pipe;
        NetmapRing tx = master.GetTxRing(0);

        NetmapTxBatch batch = tx.Reserve(int.MaxValue);
        Assert.That(batch.Count, Is.EqualTo((int)tx.SlotCount - 1));
        for (int i = 0; i < batch.Count; i++) batch[i].Length = 60;
        batch.Commit();
        master.TxSync();

        Assert.That(tx.Reserve(int.MaxValue).IsEmpty, Is.True, "a pipe frees no TX slot before the receiver releases");
        Assert.That(slave.GetRxRing(0).Peek(0).IsEmpty, Is.True, "Peek(0) takes nothing");
    }

    [Test]
    public void Frames_committed_in_batches_arrive_in_order_and_a_release_frees_the_senders_slots()
    {
        using PipePair pipe = OpenPipe("bt");
        (NetmapPort master, NetmapPort slave) = pipe;
        NetmapRing tx = master.GetTxRing(0), rx = slave.GetRxRing(0);
        const int Total = 5000;
        int sent = 0, received = 0;

        while (received < Total)
        {
            NetmapTxBatch batch = tx.Reserve(Math.Min(100, Total - sent));
            for (int i = 0; i < batch.Count; i++) batch.Write(i, Frame(sent + i));
            sent += batch.Count;
            batch.Commit();
            master.TxSync();
            slave.RxSync();

            NetmapRxBatch got = rx.Peek(64);   // fewer than were sent: the rest stays for the next round
            for (int i = 0; i < got.Count; i++)
            {
                Span<byte> packet = got.GetPacket(i);
                if (!packet.SequenceEqual(Frame(received + i)))
                    Assert.Fail($"frame {received + i} differs");
            }
            received += got.Count;
            got.Release();
            slave.RxSync();   // hands the released slots back: the sender's next sync sees them free
            Assert.That(sent, Is.LessThanOrEqualTo(Total));
        }
        Assert.That((sent, received), Is.EqualTo((Total, Total)));
    }

    [Test]
    public void A_VALE_port_receives_a_batch_sent_by_another_port_of_the_switch()
    {
        string sw = UniqueSwitch();
        using NetmapPort a = Backend.OpenPort($"{sw}:a");
        using NetmapPort b = Backend.OpenPort($"{sw}:b");
        NetmapTxBatch batch = a.GetTxRing(0).Reserve(10);
        for (int i = 0; i < batch.Count; i++)
        {
            byte[] frame = Frame(i);
            frame.AsSpan(0, 6).Fill(0xff);   // broadcast: flooded to every other port
            batch.Write(i, frame);
        }
        batch.Commit();
        a.TxSync();
        b.RxSync();

        NetmapRxBatch got = b.GetRxRing(0).Peek(100);
        Assert.That(got.Count, Is.EqualTo(10));
        Assert.That(got.GetPacket(9)[6..].ToArray(), Is.EqualTo(Frame(9)[6..]), "copied into the receiver's own buffer");
        Assert.That(got[0].FragmentCount, Is.EqualTo(1), "VALE marks one fragment on received slots");
        got.Release();
    }

    [Test]
    public void A_batch_after_its_port_is_disposed_throws_instead_of_touching_the_released_mapping()
    {
        string pipe = Unique("bt");
        NetmapPort master = Backend.OpenPort($"netmap:{pipe}{{1");
        NetmapTxBatch batch = master.GetTxRing(0).Reserve(8);
        Assert.That(batch.Count, Is.EqualTo(8));

        master.Dispose();   // on the native backend the region is unmapped here

        Assert.That(Catch(batch, static b => b.GetBuffer(0)), Is.TypeOf<ObjectDisposedException>());
        Assert.That(Catch(batch, static b => b.Commit()), Is.TypeOf<ObjectDisposedException>());
    }
}
