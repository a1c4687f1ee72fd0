using System.Runtime.CompilerServices;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.Abi;

/// <summary>Every struct, field and constant of the golden ABI file, held against the managed declarations.</summary>
public class AbiLayoutTests
{
    private static IEnumerable<TestCaseData> Structs() =>
        GoldenAbi.Structs().Select(s => new TestCaseData(s).SetArgDisplayNames(s.Name));

    private static IEnumerable<TestCaseData> Fields() =>
        GoldenAbi.Fields().Select(f => new TestCaseData(f).SetArgDisplayNames($"{f.Struct}.{f.Name}"));

    private static IEnumerable<TestCaseData> Constants() =>
        GoldenAbi.Constants().Select(c => new TestCaseData(c).SetArgDisplayNames(c.Name));

    [TestCaseSource(nameof(Structs))]
    public void Struct_has_the_golden_size(GoldenAbi.Struct golden)
    {
        Type? type = ManagedAbi.FindStruct(golden.Name);
        Assert.That(type, Is.Not.Null, $"no managed struct named {golden.Name}");
        Assert.That(ManagedAbi.SizeOf(type!), Is.EqualTo(golden.Size));
        Assert.That(golden.Size % golden.Align, Is.Zero, "a C struct's size is a multiple of its alignment");
    }

    [TestCaseSource(nameof(Structs))]
    public void Struct_declares_only_golden_fields(GoldenAbi.Struct golden)
    {
        Type type = ManagedAbi.FindStruct(golden.Name)!;
        HashSet<string> goldenFields = GoldenAbi.Fields().Where(f => f.Struct == golden.Name).Select(f => f.Name).ToHashSet();
        Assert.That(ManagedAbi.InstanceFieldNames(type), Is.SubsetOf(goldenFields));
    }

    [TestCaseSource(nameof(Fields))]
    public void Field_has_the_golden_offset_and_size(GoldenAbi.Field golden)
    {
        Type type = ManagedAbi.FindStruct(golden.Struct)!;
        (int Offset, int Size)? managed = ManagedAbi.FindField(type, golden.Name);
        Assert.That(managed, Is.Not.Null, $"{golden.Struct} has no field {golden.Name}");
        Assert.Multiple(() =>
        {
            Assert.That(managed!.Value.Offset, Is.EqualTo(golden.Offset), "offset");
            Assert.That(managed.Value.Size, Is.EqualTo(golden.Size), "size");
        });
    }

    [TestCaseSource(nameof(Constants))]
    public void Constant_has_the_golden_value(GoldenAbi.Constant golden)
    {
        IReadOnlyDictionary<string, long> managed = ManagedAbi.Constants();
        Assert.That(managed.ContainsKey(golden.Name), Is.True, $"no managed constant {golden.Name}");
        Assert.That(managed[golden.Name], Is.EqualTo(golden.Value));
    }

    [Test]
    public void Structs_are_blittable_and_unmanaged()
    {
        foreach (GoldenAbi.Struct golden in GoldenAbi.Structs())
        {
            Type type = ManagedAbi.FindStruct(golden.Name)!;
            bool containsReferences = (bool)typeof(RuntimeHelpers).GetMethod(nameof(RuntimeHelpers.IsReferenceOrContainsReferences))!
                .MakeGenericMethod(type).Invoke(null, null)!;
            Assert.That(containsReferences, Is.False, golden.Name);
        }
    }

    [Test]
    public void Slot_accessor_addresses_the_array_after_the_ring_header()
    {
        // Expected positions from the golden ABI, not from the library's own constants.
        int slots = GoldenOffset("netmap_ring", "slot"), slotSize = GoldenAbi.Structs().Single(s => s.Name == "netmap_slot").Size;
        byte[] memory = new byte[slots + (3 * slotSize)];
        ref netmap_ring ring = ref Unsafe.As<byte, netmap_ring>(ref memory[0]);
        netmap_ring.slot(ref ring, 2).buf_idx = 0xA1B2C3D4;
        Assert.That(BitConverter.ToUInt32(memory, slots + (2 * slotSize) + GoldenOffset("netmap_slot", "buf_idx")), Is.EqualTo(0xA1B2C3D4));
    }

    [Test]
    public void Ring_ofs_accessor_addresses_the_array_after_the_interface()
    {
        int ringOfs = GoldenOffset("netmap_if", "ring_ofs");
        byte[] memory = new byte[ringOfs + (4 * sizeof(long))];
        ref netmap_if nifp = ref Unsafe.As<byte, netmap_if>(ref memory[0]);
        netmap_if.ring_ofs(ref nifp, 3) = 20480;
        Assert.That(BitConverter.ToInt64(memory, ringOfs + (3 * 8)), Is.EqualTo(20480));
    }

    private static int GoldenOffset(string structName, string field) =>
        GoldenAbi.Fields().Single(f => f.Struct == structName && f.Name == field).Offset;
}
