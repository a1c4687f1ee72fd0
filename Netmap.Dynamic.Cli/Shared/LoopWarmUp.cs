using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Netmap.Dynamic.Cli.Shared;

/// <summary>
/// Compiles a tool's hot loops before any port is opened, for two reasons. The run's time is
/// not spent in the JIT (in an emulated VM, compiling a loop takes a good part of a second).
/// And a registered port then belongs to a process whose loop is ready: a script that starts a
/// sender once the receiver's port exists (VALE drops what a receiver is not there to take)
/// does not lose the first ring-fulls to a receiver that is still compiling — seen in the VM,
/// where such a receiver got 1023 frames of a million. Does nothing under Native AOT.
/// </summary>
internal static class LoopWarmUp
{
    /// <summary>Compiles every static method of <paramref name="loops"/> (pkt-gen's sender and receiver, the bridge's loop).</summary>
    public static void Prepare([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods)] Type loops)
    {
        foreach (MethodInfo method in loops.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
        {
            RuntimeHelpers.PrepareMethod(method.MethodHandle);
        }
    }
}
