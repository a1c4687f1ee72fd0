/*
 * nmshim_netmap.h (private): picks the netmap headers the shim compiles against and gives the
 * shim one set of names for both cases:
 *   - the host's <net/netmap.h> and <net/netmap_user.h> when they exist (__has_include), unless
 *     NMSHIM_BUNDLED is defined (make NMSHIM_BUNDLED=1);
 *   - otherwise the bundled include/nmshim_abi.h.
 * With system headers, every size and offset of the layout list below is asserted at compile
 * time to equal the bundled declaration, so a host whose netmap ABI differs fails the build
 * here (rebuild with NMSHIM_BUNDLED=1 only if you know the kernel speaks the bundled ABI).
 */
#ifndef NMSHIM_NETMAP_H
#define NMSHIM_NETMAP_H

#include <stddef.h>
#include "nmshim_abi.h"

#if !defined(NMSHIM_BUNDLED) && defined(__has_include)
#if __has_include(<net/netmap.h>)
#define NMSHIM_SYSTEM_HEADERS 1
#endif
#endif

#ifdef NMSHIM_SYSTEM_HEADERS
#include <net/netmap.h>
#if __has_include(<net/netmap_user.h>)
#include <net/netmap_user.h>
#endif
#define NMSHIM_T(s) struct s
#define NMSHIM_NETMAP_API NETMAP_API
#define NMSHIM_NETMAP_MIN_API NETMAP_MIN_API
#define NMSHIM_NETMAP_MAX_API NETMAP_MAX_API
#define NMSHIM_NIOCCTRL NIOCCTRL
#define NMSHIM_NIOCTXSYNC NIOCTXSYNC
#define NMSHIM_NIOCRXSYNC NIOCRXSYNC
#define NMSHIM_REQ(r) NETMAP_REQ_##r
#define NMSHIM_OPT(o) NETMAP_REQ_OPT_##o
#else
#define NMSHIM_SYSTEM_HEADERS 0
#define NMSHIM_T(s) struct nmabi_##s
#define NMSHIM_NETMAP_API NMABI_NETMAP_API
#define NMSHIM_NETMAP_MIN_API NMABI_NETMAP_MIN_API
#define NMSHIM_NETMAP_MAX_API NMABI_NETMAP_MAX_API
#define NMSHIM_NIOCCTRL NMABI_NIOCCTRL
#define NMSHIM_NIOCTXSYNC NMABI_NIOCTXSYNC
#define NMSHIM_NIOCRXSYNC NMABI_NIOCRXSYNC
#define NMSHIM_REQ(r) NMABI_NETMAP_REQ_##r
#define NMSHIM_OPT(o) NMABI_NETMAP_REQ_OPT_##o
#endif

/*
 * Every struct and field the managed side relies on: S(struct) is the struct's size,
 * F(struct, field) a field, X(struct, field) a flexible array member (offset only).
 * The layout table of nmshim_describe and the compile-time asserts are both generated from it.
 */
#define NMSHIM_LAYOUT(S, F, X) \
    S(netmap_slot) F(netmap_slot, buf_idx) F(netmap_slot, len) F(netmap_slot, flags) F(netmap_slot, ptr) \
    S(netmap_ring) F(netmap_ring, buf_ofs) F(netmap_ring, num_slots) F(netmap_ring, nr_buf_size) \
    F(netmap_ring, ringid) F(netmap_ring, dir) F(netmap_ring, head) F(netmap_ring, cur) F(netmap_ring, tail) \
    F(netmap_ring, flags) F(netmap_ring, ts) F(netmap_ring, offset_mask) F(netmap_ring, buf_align) \
    F(netmap_ring, sem) X(netmap_ring, slot) \
    S(netmap_if) F(netmap_if, ni_name) F(netmap_if, ni_version) F(netmap_if, ni_flags) F(netmap_if, ni_tx_rings) \
    F(netmap_if, ni_rx_rings) F(netmap_if, ni_bufs_head) F(netmap_if, ni_host_tx_rings) \
    F(netmap_if, ni_host_rx_rings) F(netmap_if, ni_spare1) X(netmap_if, ring_ofs) \
    S(nmreq_header) F(nmreq_header, nr_version) F(nmreq_header, nr_reqtype) F(nmreq_header, nr_reserved) \
    F(nmreq_header, nr_name) F(nmreq_header, nr_options) F(nmreq_header, nr_body) \
    S(nmreq_option) F(nmreq_option, nro_next) F(nmreq_option, nro_reqtype) F(nmreq_option, nro_status) \
    F(nmreq_option, nro_size) \
    S(nmreq_register) F(nmreq_register, nr_offset) F(nmreq_register, nr_memsize) F(nmreq_register, nr_tx_slots) \
    F(nmreq_register, nr_rx_slots) F(nmreq_register, nr_tx_rings) F(nmreq_register, nr_rx_rings) \
    F(nmreq_register, nr_host_tx_rings) F(nmreq_register, nr_host_rx_rings) F(nmreq_register, nr_mem_id) \
    F(nmreq_register, nr_ringid) F(nmreq_register, nr_mode) F(nmreq_register, nr_extra_bufs) \
    F(nmreq_register, nr_flags) \
    S(nmreq_port_info_get) F(nmreq_port_info_get, nr_memsize) F(nmreq_port_info_get, nr_tx_slots) \
    F(nmreq_port_info_get, nr_rx_slots) F(nmreq_port_info_get, nr_tx_rings) F(nmreq_port_info_get, nr_rx_rings) \
    F(nmreq_port_info_get, nr_host_tx_rings) F(nmreq_port_info_get, nr_host_rx_rings) \
    F(nmreq_port_info_get, nr_mem_id) F(nmreq_port_info_get, pad) \
    S(nmreq_vale_attach) F(nmreq_vale_attach, reg) F(nmreq_vale_attach, port_index) F(nmreq_vale_attach, pad1) \
    S(nmreq_vale_detach) F(nmreq_vale_detach, port_index) F(nmreq_vale_detach, pad1) \
    S(nmreq_vale_list) F(nmreq_vale_list, nr_bridge_idx) F(nmreq_vale_list, pad1) F(nmreq_vale_list, nr_port_idx) \
    S(nmreq_vale_newif) F(nmreq_vale_newif, nr_tx_slots) F(nmreq_vale_newif, nr_rx_slots) \
    F(nmreq_vale_newif, nr_tx_rings) F(nmreq_vale_newif, nr_rx_rings) F(nmreq_vale_newif, nr_mem_id) \
    F(nmreq_vale_newif, pad1) \
    S(nmreq_port_hdr) F(nmreq_port_hdr, nr_hdr_len) F(nmreq_port_hdr, pad1) \
    S(nmreq_pools_info) F(nmreq_pools_info, nr_memsize) F(nmreq_pools_info, nr_mem_id) \
    F(nmreq_pools_info, nr_if_pool_offset) F(nmreq_pools_info, nr_if_pool_objtotal) \
    F(nmreq_pools_info, nr_if_pool_objsize) F(nmreq_pools_info, nr_ring_pool_offset) \
    F(nmreq_pools_info, nr_ring_pool_objtotal) F(nmreq_pools_info, nr_ring_pool_objsize) \
    F(nmreq_pools_info, nr_buf_pool_offset) F(nmreq_pools_info, nr_buf_pool_objtotal) \
    F(nmreq_pools_info, nr_buf_pool_objsize)

#define NMSHIM_FIELD_SIZE(s, f) sizeof(((NMSHIM_T(s) *)0)->f)

#if NMSHIM_SYSTEM_HEADERS
/* The host's headers and the bundled ABI must agree on everything the managed side uses. */
#define NMSHIM_ASSERT_S(s) \
    _Static_assert(sizeof(struct s) == sizeof(struct nmabi_##s), "sizeof(" #s ") differs from the bundled ABI");
#define NMSHIM_ASSERT_F(s, f) \
    _Static_assert(offsetof(struct s, f) == offsetof(struct nmabi_##s, f), "offsetof(" #s ", " #f ") differs from the bundled ABI"); \
    _Static_assert(sizeof(((struct s *)0)->f) == sizeof(((struct nmabi_##s *)0)->f), "size of " #s "." #f " differs from the bundled ABI");
#define NMSHIM_ASSERT_X(s, f) \
    _Static_assert(offsetof(struct s, f) == offsetof(struct nmabi_##s, f), "offsetof(" #s ", " #f ") differs from the bundled ABI");
NMSHIM_LAYOUT(NMSHIM_ASSERT_S, NMSHIM_ASSERT_F, NMSHIM_ASSERT_X)
_Static_assert(NIOCCTRL == NMABI_NIOCCTRL, "NIOCCTRL differs from the bundled ABI");
_Static_assert(NIOCTXSYNC == NMABI_NIOCTXSYNC, "NIOCTXSYNC differs from the bundled ABI");
_Static_assert(NIOCRXSYNC == NMABI_NIOCRXSYNC, "NIOCRXSYNC differs from the bundled ABI");
/* The request types the control plane sends. */
#define NMSHIM_ASSERT_REQ(r) _Static_assert(NETMAP_REQ_##r == NMABI_NETMAP_REQ_##r, "NETMAP_REQ_" #r " differs from the bundled ABI");
NMSHIM_ASSERT_REQ(REGISTER) NMSHIM_ASSERT_REQ(PORT_INFO_GET) NMSHIM_ASSERT_REQ(VALE_ATTACH) NMSHIM_ASSERT_REQ(VALE_DETACH)
NMSHIM_ASSERT_REQ(VALE_LIST) NMSHIM_ASSERT_REQ(PORT_HDR_SET) NMSHIM_ASSERT_REQ(PORT_HDR_GET) NMSHIM_ASSERT_REQ(VALE_NEWIF)
NMSHIM_ASSERT_REQ(VALE_DELIF) NMSHIM_ASSERT_REQ(VALE_POLLING_ENABLE) NMSHIM_ASSERT_REQ(VALE_POLLING_DISABLE)
NMSHIM_ASSERT_REQ(POOLS_INFO_GET)
/* The VALE polling request (C side only: not in the layout table). */
NMSHIM_ASSERT_S(nmreq_vale_polling) NMSHIM_ASSERT_F(nmreq_vale_polling, nr_mode)
NMSHIM_ASSERT_F(nmreq_vale_polling, nr_first_cpu_id) NMSHIM_ASSERT_F(nmreq_vale_polling, nr_num_polling_cpus)
_Static_assert(NETMAP_POLLING_MODE_SINGLE_CPU == NMABI_NETMAP_POLLING_MODE_SINGLE_CPU, "NETMAP_POLLING_MODE_SINGLE_CPU differs from the bundled ABI");
_Static_assert(NETMAP_POLLING_MODE_MULTI_CPU == NMABI_NETMAP_POLLING_MODE_MULTI_CPU, "NETMAP_POLLING_MODE_MULTI_CPU differs from the bundled ABI");
/* The register options the shim builds (they stay on the C side: not in the layout table). */
NMSHIM_ASSERT_S(nmreq_opt_extmem) NMSHIM_ASSERT_F(nmreq_opt_extmem, nro_opt) NMSHIM_ASSERT_F(nmreq_opt_extmem, nro_usrptr)
NMSHIM_ASSERT_F(nmreq_opt_extmem, nro_info)
NMSHIM_ASSERT_S(nmreq_opt_offsets) NMSHIM_ASSERT_F(nmreq_opt_offsets, nro_opt) NMSHIM_ASSERT_F(nmreq_opt_offsets, nro_max_offset)
NMSHIM_ASSERT_F(nmreq_opt_offsets, nro_initial_offset) NMSHIM_ASSERT_F(nmreq_opt_offsets, nro_offset_bits)
NMSHIM_ASSERT_F(nmreq_opt_offsets, nro_tx_align) NMSHIM_ASSERT_F(nmreq_opt_offsets, nro_min_gap)
_Static_assert(NETMAP_REQ_OPT_EXTMEM == NMABI_NETMAP_REQ_OPT_EXTMEM, "NETMAP_REQ_OPT_EXTMEM differs from the bundled ABI");
_Static_assert(NETMAP_REQ_OPT_OFFSETS == NMABI_NETMAP_REQ_OPT_OFFSETS, "NETMAP_REQ_OPT_OFFSETS differs from the bundled ABI");
_Static_assert(NETMAP_REQ_OPT_MAX == NMABI_NETMAP_REQ_OPT_MAX, "NETMAP_REQ_OPT_MAX differs from the bundled ABI");
#endif

#endif /* NMSHIM_NETMAP_H */
