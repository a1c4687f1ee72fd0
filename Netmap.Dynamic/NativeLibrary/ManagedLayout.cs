using System.Runtime.CompilerServices;
using Netmap.Dynamic.Interop;

namespace Netmap.Dynamic;

/// <summary>
/// The sizes and offsets of the managed ABI structs, measured on the structs themselves
/// (<see cref="Unsafe.SizeOf{T}"/> and the distance between a struct and its field: no
/// reflection), named as the shim's table names them. The list mirrors NMSHIM_LAYOUT in
/// shim/src/nmshim_netmap.h.
/// </summary>
internal static class ManagedLayout
{
    public static List<NetmapLayoutEntry> Build()
    {
        List<NetmapLayoutEntry> t = new(128);

        netmap_slot slot = default;
        Size<netmap_slot>(t, nameof(netmap_slot));
        Field(t, nameof(netmap_slot), nameof(slot.buf_idx), ref slot, ref slot.buf_idx);
        Field(t, nameof(netmap_slot), nameof(slot.len), ref slot, ref slot.len);
        Field(t, nameof(netmap_slot), nameof(slot.flags), ref slot, ref slot.flags);
        Field(t, nameof(netmap_slot), nameof(slot.ptr), ref slot, ref slot.ptr);

        netmap_ring ring = default;
        Size<netmap_ring>(t, nameof(netmap_ring));
        Field(t, nameof(netmap_ring), nameof(ring.buf_ofs), ref ring, ref ring.buf_ofs);
        Field(t, nameof(netmap_ring), nameof(ring.num_slots), ref ring, ref ring.num_slots);
        Field(t, nameof(netmap_ring), nameof(ring.nr_buf_size), ref ring, ref ring.nr_buf_size);
        Field(t, nameof(netmap_ring), nameof(ring.ringid), ref ring, ref ring.ringid);
        Field(t, nameof(netmap_ring), nameof(ring.dir), ref ring, ref ring.dir);
        Field(t, nameof(netmap_ring), nameof(ring.head), ref ring, ref ring.head);
        Field(t, nameof(netmap_ring), nameof(ring.cur), ref ring, ref ring.cur);
        Field(t, nameof(netmap_ring), nameof(ring.tail), ref ring, ref ring.tail);
        Field(t, nameof(netmap_ring), nameof(ring.flags), ref ring, ref ring.flags);
        Field(t, nameof(netmap_ring), nameof(ring.ts), ref ring, ref ring.ts);
        Field(t, nameof(netmap_ring), nameof(ring.offset_mask), ref ring, ref ring.offset_mask);
        Field(t, nameof(netmap_ring), nameof(ring.buf_align), ref ring, ref ring.buf_align);
        Field(t, nameof(netmap_ring), nameof(ring.sem), ref ring, ref ring.sem);
        t.Add(new(nameof(netmap_ring), nameof(netmap_ring.slot), netmap_ring.slot_offset, 0));

        netmap_if nifp = default;
        Size<netmap_if>(t, nameof(netmap_if));
        Field(t, nameof(netmap_if), nameof(nifp.ni_name), ref nifp, ref nifp.ni_name);
        Field(t, nameof(netmap_if), nameof(nifp.ni_version), ref nifp, ref nifp.ni_version);
        Field(t, nameof(netmap_if), nameof(nifp.ni_flags), ref nifp, ref nifp.ni_flags);
        Field(t, nameof(netmap_if), nameof(nifp.ni_tx_rings), ref nifp, ref nifp.ni_tx_rings);
        Field(t, nameof(netmap_if), nameof(nifp.ni_rx_rings), ref nifp, ref nifp.ni_rx_rings);
        Field(t, nameof(netmap_if), nameof(nifp.ni_bufs_head), ref nifp, ref nifp.ni_bufs_head);
        Field(t, nameof(netmap_if), nameof(nifp.ni_host_tx_rings), ref nifp, ref nifp.ni_host_tx_rings);
        Field(t, nameof(netmap_if), nameof(nifp.ni_host_rx_rings), ref nifp, ref nifp.ni_host_rx_rings);
        Field(t, nameof(netmap_if), nameof(nifp.ni_spare1), ref nifp, ref nifp.ni_spare1);
        t.Add(new(nameof(netmap_if), nameof(netmap_if.ring_ofs), netmap_if.ring_ofs_offset, 0));

        nmreq_header hdr = default;
        Size<nmreq_header>(t, nameof(nmreq_header));
        Field(t, nameof(nmreq_header), nameof(hdr.nr_version), ref hdr, ref hdr.nr_version);
        Field(t, nameof(nmreq_header), nameof(hdr.nr_reqtype), ref hdr, ref hdr.nr_reqtype);
        Field(t, nameof(nmreq_header), nameof(hdr.nr_reserved), ref hdr, ref hdr.nr_reserved);
        Field(t, nameof(nmreq_header), nameof(hdr.nr_name), ref hdr, ref hdr.nr_name);
        Field(t, nameof(nmreq_header), nameof(hdr.nr_options), ref hdr, ref hdr.nr_options);
        Field(t, nameof(nmreq_header), nameof(hdr.nr_body), ref hdr, ref hdr.nr_body);

        nmreq_option opt = default;
        Size<nmreq_option>(t, nameof(nmreq_option));
        Field(t, nameof(nmreq_option), nameof(opt.nro_next), ref opt, ref opt.nro_next);
        Field(t, nameof(nmreq_option), nameof(opt.nro_reqtype), ref opt, ref opt.nro_reqtype);
        Field(t, nameof(nmreq_option), nameof(opt.nro_status), ref opt, ref opt.nro_status);
        Field(t, nameof(nmreq_option), nameof(opt.nro_size), ref opt, ref opt.nro_size);

        nmreq_register reg = default;
        Size<nmreq_register>(t, nameof(nmreq_register));
        Field(t, nameof(nmreq_register), nameof(reg.nr_offset), ref reg, ref reg.nr_offset);
        Field(t, nameof(nmreq_register), nameof(reg.nr_memsize), ref reg, ref reg.nr_memsize);
        Field(t, nameof(nmreq_register), nameof(reg.nr_tx_slots), ref reg, ref reg.nr_tx_slots);
        Field(t, nameof(nmreq_register), nameof(reg.nr_rx_slots), ref reg, ref reg.nr_rx_slots);
        Field(t, nameof(nmreq_register), nameof(reg.nr_tx_rings), ref reg, ref reg.nr_tx_rings);
        Field(t, nameof(nmreq_register), nameof(reg.nr_rx_rings), ref reg, ref reg.nr_rx_rings);
        Field(t, nameof(nmreq_register), nameof(reg.nr_host_tx_rings), ref reg, ref reg.nr_host_tx_rings);
        Field(t, nameof(nmreq_register), nameof(reg.nr_host_rx_rings), ref reg, ref reg.nr_host_rx_rings);
        Field(t, nameof(nmreq_register), nameof(reg.nr_mem_id), ref reg, ref reg.nr_mem_id);
        Field(t, nameof(nmreq_register), nameof(reg.nr_ringid), ref reg, ref reg.nr_ringid);
        Field(t, nameof(nmreq_register), nameof(reg.nr_mode), ref reg, ref reg.nr_mode);
        Field(t, nameof(nmreq_register), nameof(reg.nr_extra_bufs), ref reg, ref reg.nr_extra_bufs);
        Field(t, nameof(nmreq_register), nameof(reg.nr_flags), ref reg, ref reg.nr_flags);

        nmreq_port_info_get info = default;
        Size<nmreq_port_info_get>(t, nameof(nmreq_port_info_get));
        Field(t, nameof(nmreq_port_info_get), nameof(info.nr_memsize), ref info, ref info.nr_memsize);
        Field(t, nameof(nmreq_port_info_get), nameof(info.nr_tx_slots), ref info, ref info.nr_tx_slots);
        Field(t, nameof(nmreq_port_info_get), nameof(info.nr_rx_slots), ref info, ref info.nr_rx_slots);
        Field(t, nameof(nmreq_port_info_get), nameof(info.nr_tx_rings), ref info, ref info.nr_tx_rings);
        Field(t, nameof(nmreq_port_info_get), nameof(info.nr_rx_rings), ref info, ref info.nr_rx_rings);
        Field(t, nameof(nmreq_port_info_get), nameof(info.nr_host_tx_rings), ref info, ref info.nr_host_tx_rings);
        Field(t, nameof(nmreq_port_info_get), nameof(info.nr_host_rx_rings), ref info, ref info.nr_host_rx_rings);
        Field(t, nameof(nmreq_port_info_get), nameof(info.nr_mem_id), ref info, ref info.nr_mem_id);
        Field(t, nameof(nmreq_port_info_get), nameof(info.pad), ref info, ref info.pad);

        nmreq_vale_attach attach = default;
        Size<nmreq_vale_attach>(t, nameof(nmreq_vale_attach));
        Field(t, nameof(nmreq_vale_attach), nameof(attach.reg), ref attach, ref attach.reg);
        Field(t, nameof(nmreq_vale_attach), nameof(attach.port_index), ref attach, ref attach.port_index);
        Field(t, nameof(nmreq_vale_attach), nameof(attach.pad1), ref attach, ref attach.pad1);

        nmreq_vale_detach detach = default;
        Size<nmreq_vale_detach>(t, nameof(nmreq_vale_detach));
        Field(t, nameof(nmreq_vale_detach), nameof(detach.port_index), ref detach, ref detach.port_index);
        Field(t, nameof(nmreq_vale_detach), nameof(detach.pad1), ref detach, ref detach.pad1);

        nmreq_vale_list list = default;
        Size<nmreq_vale_list>(t, nameof(nmreq_vale_list));
        Field(t, nameof(nmreq_vale_list), nameof(list.nr_bridge_idx), ref list, ref list.nr_bridge_idx);
        Field(t, nameof(nmreq_vale_list), nameof(list.pad1), ref list, ref list.pad1);
        Field(t, nameof(nmreq_vale_list), nameof(list.nr_port_idx), ref list, ref list.nr_port_idx);

        nmreq_vale_newif newif = default;
        Size<nmreq_vale_newif>(t, nameof(nmreq_vale_newif));
        Field(t, nameof(nmreq_vale_newif), nameof(newif.nr_tx_slots), ref newif, ref newif.nr_tx_slots);
        Field(t, nameof(nmreq_vale_newif), nameof(newif.nr_rx_slots), ref newif, ref newif.nr_rx_slots);
        Field(t, nameof(nmreq_vale_newif), nameof(newif.nr_tx_rings), ref newif, ref newif.nr_tx_rings);
        Field(t, nameof(nmreq_vale_newif), nameof(newif.nr_rx_rings), ref newif, ref newif.nr_rx_rings);
        Field(t, nameof(nmreq_vale_newif), nameof(newif.nr_mem_id), ref newif, ref newif.nr_mem_id);
        Field(t, nameof(nmreq_vale_newif), nameof(newif.pad1), ref newif, ref newif.pad1);

        nmreq_pools_info pools = default;
        Size<nmreq_pools_info>(t, nameof(nmreq_pools_info));
        Field(t, nameof(nmreq_pools_info), nameof(pools.nr_memsize), ref pools, ref pools.nr_memsize);
        Field(t, nameof(nmreq_pools_info), nameof(pools.nr_mem_id), ref pools, ref pools.nr_mem_id);
        Field(t, nameof(nmreq_pools_info), nameof(pools.nr_if_pool_offset), ref pools, ref pools.nr_if_pool_offset);
        Field(t, nameof(nmreq_pools_info), nameof(pools.nr_if_pool_objtotal), ref pools, ref pools.nr_if_pool_objtotal);
        Field(t, nameof(nmreq_pools_info), nameof(pools.nr_if_pool_objsize), ref pools, ref pools.nr_if_pool_objsize);
        Field(t, nameof(nmreq_pools_info), nameof(pools.nr_ring_pool_offset), ref pools, ref pools.nr_ring_pool_offset);
        Field(t, nameof(nmreq_pools_info), nameof(pools.nr_ring_pool_objtotal), ref pools, ref pools.nr_ring_pool_objtotal);
        Field(t, nameof(nmreq_pools_info), nameof(pools.nr_ring_pool_objsize), ref pools, ref pools.nr_ring_pool_objsize);
        Field(t, nameof(nmreq_pools_info), nameof(pools.nr_buf_pool_offset), ref pools, ref pools.nr_buf_pool_offset);
        Field(t, nameof(nmreq_pools_info), nameof(pools.nr_buf_pool_objtotal), ref pools, ref pools.nr_buf_pool_objtotal);
        Field(t, nameof(nmreq_pools_info), nameof(pools.nr_buf_pool_objsize), ref pools, ref pools.nr_buf_pool_objsize);

        return t;
    }

    private static void Size<TStruct>(List<NetmapLayoutEntry> table, string structName) where TStruct : struct =>
        table.Add(new(structName, "", 0, Unsafe.SizeOf<TStruct>()));

    private static void Field<TStruct, TField>(List<NetmapLayoutEntry> table, string structName, string fieldName, ref TStruct owner, ref TField field)
        where TStruct : struct
    {
        nint offset = Unsafe.ByteOffset(ref Unsafe.As<TStruct, byte>(ref owner), ref Unsafe.As<TField, byte>(ref field));
        table.Add(new(structName, fieldName, (int)offset, Unsafe.SizeOf<TField>()));
    }
}
