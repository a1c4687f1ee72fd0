namespace Netmap.Dynamic;

/// <summary>What kind of netmap port a spec names.</summary>
public enum NetmapPortKind
{
    /// <summary>A network interface (<c>netmap:eth0</c>).</summary>
    Nic,
    /// <summary>A port of a VALE software switch (<c>vale0:a</c>).</summary>
    ValePort,
    /// <summary>One end of a netmap pipe (<c>netmap:p{1</c>, <c>netmap:p}1</c>).</summary>
    Pipe,
}

/// <summary>Which end of a netmap pipe a spec names.</summary>
public enum NetmapPipeSide
{
    /// <summary>The master end, written <c>{</c>.</summary>
    Master,
    /// <summary>The slave end, written <c>}</c>.</summary>
    Slave,
}
