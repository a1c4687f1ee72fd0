using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic.Tests.Abi;

/// <summary>Reads sizes, offsets and constants off the managed declarations (reflection is fine in tests).</summary>
internal static class ManagedAbi
{
    private static readonly Assembly Library = typeof(netmap_slot).Assembly;
    private const string InteropNamespace = "Netmap.Dynamic.Interop";

    public static Type? FindStruct(string cName) => Library.GetType($"{InteropNamespace}.{cName}");

    public static int SizeOf(Type type) =>
        (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(type).Invoke(null, null)!;

    /// <summary>
    /// Offset and size of a field. C flexible array members (size 0 in the golden file) have no
    /// managed field; they are declared as a <c>{name}_offset</c> constant beside their accessor.
    /// </summary>
    public static (int Offset, int Size)? FindField(Type type, string name)
    {
        FieldInfo? field = type.GetField(name, BindingFlags.Public | BindingFlags.Instance);
        if (field is not null)
        {
            int offset = field.GetCustomAttribute<FieldOffsetAttribute>()?.Value
                ?? throw new InvalidOperationException($"{type.Name}.{name} has no [FieldOffset]");
            return (offset, SizeOf(field.FieldType));
        }

        FieldInfo? flexible = type.GetField($"{name}_offset", BindingFlags.Public | BindingFlags.Static);
        if (flexible is { IsLiteral: true } && type.GetMethod(name, BindingFlags.Public | BindingFlags.Static) is not null)
            return ((int)flexible.GetRawConstantValue()!, 0);
        return null;
    }

    public static IEnumerable<string> InstanceFieldNames(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).Select(f => f.Name);

    /// <summary>Every named constant of the Interop namespace: const fields, enum members and ioctl numbers.</summary>
    public static IReadOnlyDictionary<string, long> Constants()
    {
        Dictionary<string, long> all = new(StringComparer.Ordinal);
        foreach (Type type in Library.GetTypes().Where(t => t.Namespace == InteropNamespace && t.IsPublic))
        {
            if (type.IsEnum)
            {
                // "None" is the managed zero value of a [Flags] enum, not a netmap constant.
                foreach (FieldInfo member in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name != "None"))
                    all.Add(member.Name, Convert.ToInt64(member.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture));
            }
            else if (type.IsAbstract && type.IsSealed)
            {
                foreach (FieldInfo field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType != typeof(char)))
                    all.Add(field.Name, Convert.ToInt64(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        foreach (PropertyInfo ioctl in typeof(NetmapIoctl).GetProperties(BindingFlags.Public | BindingFlags.Static))
            all.Add(ioctl.Name, (uint)ioctl.GetValue(null)!);
        return all;
    }
}
