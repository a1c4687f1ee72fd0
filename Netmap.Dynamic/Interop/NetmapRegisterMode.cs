namespace Netmap.Dynamic.Interop;

/// <summary><c>NR_REG_*</c>: which rings a register binds (<see cref="nmreq_register.nr_mode"/>).</summary>
public enum NetmapRegisterMode : uint
{
    /// <summary>Backward-compatible default (decided by <c>nr_ringid</c>).</summary>
    NR_REG_DEFAULT = 0,
    /// <summary>All hardware rings.</summary>
    NR_REG_ALL_NIC = 1,
    /// <summary>The host rings.</summary>
    NR_REG_SW = 2,
    /// <summary>All hardware rings and the host rings.</summary>
    NR_REG_NIC_SW = 3,
    /// <summary>One hardware ring pair (<c>nr_ringid</c>).</summary>
    NR_REG_ONE_NIC = 4,
    /// <summary>Legacy pipe master end.</summary>
    NR_REG_PIPE_MASTER = 5,
    /// <summary>Legacy pipe slave end.</summary>
    NR_REG_PIPE_SLAVE = 6,
    /// <summary>No rings (memory only).</summary>
    NR_REG_NULL = 7,
    /// <summary>One host ring pair (<c>nr_ringid</c>).</summary>
    NR_REG_ONE_SW = 8,
}
