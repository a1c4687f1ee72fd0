namespace Netmap.Dynamic;

/// <summary>One port of a VALE switch, as <see cref="NetmapLibrary.ValeList"/> reports it (<c>vale-ctl -l</c>).</summary>
/// <param name="Name">The port name with its switch, e.g. <c>vale0:a</c> or <c>vale0:eth0</c>.</param>
/// <param name="SwitchIndex">The switch's index in the kernel (<c>nr_bridge_idx</c>).</param>
/// <param name="PortIndex">The port's index on the switch (<c>nr_port_idx</c>).</param>
public sealed record NetmapValePort(string Name, int SwitchIndex, int PortIndex);
