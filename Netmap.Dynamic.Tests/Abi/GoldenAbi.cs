using System.Text.Json;

namespace Netmap.Dynamic.Tests.Abi;

/// <summary>The golden ABI file (TestData/netmap-abi.json, copied from the real headers' facts).</summary>
public static class GoldenAbi
{
    public sealed record Field(string Struct, string Name, int Offset, int Size)
    {
        public override string ToString() => $"{Struct}.{Name}";
    }

    public sealed record Struct(string Name, int Size, int Align)
    {
        public override string ToString() => Name;
    }

    public sealed record Constant(string Name, long Value)
    {
        public override string ToString() => Name;
    }

    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "netmap-abi.json"))));

    public static IEnumerable<Struct> Structs() =>
        Document.Value.RootElement.GetProperty("structs").EnumerateObject()
            .Select(s => new Struct(s.Name, s.Value.GetProperty("size").GetInt32(), s.Value.GetProperty("align").GetInt32()));

    public static IEnumerable<Field> Fields() =>
        Document.Value.RootElement.GetProperty("structs").EnumerateObject()
            .SelectMany(s => s.Value.GetProperty("fields").EnumerateObject()
                .Select(f => new Field(s.Name, f.Name, f.Value[0].GetInt32(), f.Value[1].GetInt32())));

    public static IEnumerable<Constant> Constants() =>
        Document.Value.RootElement.GetProperty("constants").EnumerateObject()
            .Select(c => new Constant(c.Name, c.Value.GetInt64()));
}
