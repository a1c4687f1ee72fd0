using System.Text.Json;

namespace Netmap.Dynamic.Tests.Loading;

/// <summary>The loader's hand-written, reflection-free layout table measured against the golden ABI.</summary>
public sealed class ManagedLayoutTests
{
    [Test]
    public void Every_row_of_the_managed_layout_agrees_with_the_golden_abi()
    {
        using JsonDocument golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "netmap-abi.json")));
        JsonElement structs = golden.RootElement.GetProperty("structs");
        List<NetmapLayoutEntry> rows = ManagedLayout.Build();

        Assert.Multiple(() =>
        {
            foreach (NetmapLayoutEntry row in rows)
            {
                JsonElement s = structs.GetProperty(row.Struct);
                if (row.Field.Length == 0)
                    Assert.That(row.Size, Is.EqualTo(s.GetProperty("size").GetInt32()), row.Name);
                else
                {
                    JsonElement field = s.GetProperty("fields").GetProperty(row.Field);
                    Assert.That((row.Offset, row.Size), Is.EqualTo((field[0].GetInt32(), field[1].GetInt32())), row.Name);
                }
            }
            Assert.That(rows.Select(r => r.Name), Is.Unique);
        });
    }

    [Test]
    public void The_managed_layout_covers_every_field_of_the_shared_memory_structs()
    {
        using JsonDocument golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "netmap-abi.json")));
        JsonElement structs = golden.RootElement.GetProperty("structs");
        HashSet<string> names = ManagedLayout.Build().Select(r => r.Name).ToHashSet();

        foreach (string s in new[] { "netmap_slot", "netmap_ring", "netmap_if", "nmreq_header", "nmreq_register", "nmreq_port_info_get" })
        {
            foreach (JsonProperty field in structs.GetProperty(s).GetProperty("fields").EnumerateObject())
                Assert.That(names, Does.Contain($"{s}.{field.Name}"));
        }
    }
}
