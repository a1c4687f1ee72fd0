using System.Text.Json;

namespace Netmap.Dynamic.Tests.Fake;

/// <summary>The observations of the real kernel in TestData/netmap-kernel-facts.json.</summary>
internal static class KernelFacts
{
    private static readonly Lazy<JsonElement> s_root = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "netmap-kernel-facts.json"))).RootElement);

    public static JsonElement Root => s_root.Value;

    public static JsonElement Port(string name) =>
        Root.GetProperty("ports").EnumerateArray().First(p => p.GetProperty("name").GetString() == name);

    public static JsonElement Ring(string port, string kind, int index = 0) =>
        Port(port).GetProperty("rings").EnumerateArray()
            .First(r => r.GetProperty("kind").GetString() == kind && r.GetProperty("kind_index").GetInt32() == index);

    public static uint U(this JsonElement e, string property) => e.GetProperty(property).GetUInt32();

    public static long L(this JsonElement e, string property) => e.GetProperty(property).GetInt64();

    public static uint Hex(this JsonElement e, string property) => Convert.ToUInt32(e.GetProperty(property).GetString(), 16);

    /// <summary>(head, cur, tail) of a recorded ring state object.</summary>
    public static (uint Head, uint Cur, uint Tail) State(this JsonElement e) => (e.U("head"), e.U("cur"), e.U("tail"));
}
