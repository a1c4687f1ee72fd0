using System.Text.Json;

namespace Netmap.Dynamic.Tests.BothBackends;

/// <summary>
/// One line of TestData/kernel-geometry.jsonl: a registration made on the real kernel (a pipe
/// <c>gN{1</c> or a VALE port <c>vale1:x</c>, each the first of its allocator), what it asked for
/// (<c>req</c> = TX rings, RX rings, TX slots, RX slots; 0 = default) and everything the kernel
/// answered: region size, netmap_if offset, counts, and for every ring listed in the netmap_if
/// its offset, slots, buffer-pool offset, id, direction, head/tail and first and last buffer.
/// </summary>
public sealed record KernelGeometry(string Name, JsonElement Json)
{
    public bool IsPipe => Name.Contains('{', StringComparison.Ordinal);

    public int Request(int i) => Json.GetProperty("req")[i].GetInt32();

    /// <summary>The request as options (0 in the recording means "not asked").</summary>
    public NetmapPortOptions Options => new()
    {
        TxRings = NullIfZero(Request(0)),
        RxRings = NullIfZero(Request(1)),
        TxSlots = NullIfZero(Request(2)),
        RxSlots = NullIfZero(Request(3)),
    };

    public long Long(string name) => Json.GetProperty(name).GetInt64();

    public IEnumerable<JsonElement> Rings => Json.GetProperty("rings").EnumerateArray();

    public override string ToString() => $"{Name} req {string.Join('/', Enumerable.Range(0, 4).Select(Request))}";

    public static IReadOnlyList<KernelGeometry> Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TestData", "kernel-geometry.jsonl");
        return [.. File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(j => j.TryGetProperty("req", out _))
            .Select(j => new KernelGeometry(j.GetProperty("name").GetString()!, j))];
    }

    private static int? NullIfZero(int value) => value == 0 ? null : value;
}
