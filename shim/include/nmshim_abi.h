/*
 * nmshim_abi.h: the netmap ABI (API 14, x86_64/aarch64 LP64) as the shim needs it, written for
 * this project from the golden ABI facts (shared/netmap-abi.json); not a copy of netmap's
 * headers. Every name carries an nmabi_/NMABI_ prefix so that this header can be included
 * next to the system's <net/netmap.h>, letting the shim assert at compile time that both agree.
 */
#ifndef NMSHIM_ABI_H
#define NMSHIM_ABI_H

#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/time.h>

#define NMABI_NETMAP_API 14
#define NMABI_NETMAP_MIN_API 14
#define NMABI_NETMAP_MAX_API 15
#define NMABI_IFNAMSIZ 16
#define NMABI_NETMAP_REQ_IFNAMSIZ 64
#define NMABI_NM_CACHE_ALIGN 128

#define NMABI_NETMAP_REQ_REGISTER 1
#define NMABI_NETMAP_REQ_PORT_INFO_GET 2
#define NMABI_NETMAP_REQ_VALE_ATTACH 3
#define NMABI_NETMAP_REQ_VALE_DETACH 4
#define NMABI_NETMAP_REQ_VALE_LIST 5
#define NMABI_NETMAP_REQ_PORT_HDR_SET 6
#define NMABI_NETMAP_REQ_PORT_HDR_GET 7
#define NMABI_NETMAP_REQ_VALE_NEWIF 8
#define NMABI_NETMAP_REQ_VALE_DELIF 9
#define NMABI_NETMAP_REQ_VALE_POLLING_ENABLE 10
#define NMABI_NETMAP_REQ_VALE_POLLING_DISABLE 11
#define NMABI_NETMAP_REQ_POOLS_INFO_GET 12

#define NMABI_NETMAP_POLLING_MODE_SINGLE_CPU 1
#define NMABI_NETMAP_POLLING_MODE_MULTI_CPU 2

#define NMABI_NETMAP_REQ_OPT_EXTMEM 1
#define NMABI_NETMAP_REQ_OPT_OFFSETS 5
#define NMABI_NETMAP_REQ_OPT_MAX 6

struct nmabi_netmap_slot {
    uint32_t buf_idx;
    uint16_t len;
    uint16_t flags;
    uint64_t ptr;
};

struct nmabi_netmap_ring {
    int64_t buf_ofs;
    uint32_t num_slots;
    uint32_t nr_buf_size;
    uint16_t ringid;
    uint16_t dir;
    uint32_t head;
    uint32_t cur;
    uint32_t tail;
    uint32_t flags;
    struct timeval ts;
    uint64_t offset_mask;
    uint64_t buf_align;
    uint8_t sem[128] __attribute__((__aligned__(NMABI_NM_CACHE_ALIGN)));
    struct nmabi_netmap_slot slot[];
};

struct nmabi_netmap_if {
    char ni_name[NMABI_IFNAMSIZ];
    uint32_t ni_version;
    uint32_t ni_flags;
    uint32_t ni_tx_rings;
    uint32_t ni_rx_rings;
    uint32_t ni_bufs_head;
    uint32_t ni_host_tx_rings;
    uint32_t ni_host_rx_rings;
    uint32_t ni_spare1[3];
    int64_t ring_ofs[];
};

struct nmabi_nmreq_header {
    uint16_t nr_version;
    uint16_t nr_reqtype;
    uint32_t nr_reserved;
    char nr_name[NMABI_NETMAP_REQ_IFNAMSIZ];
    uint64_t nr_options;
    uint64_t nr_body;
};

struct nmabi_nmreq_option {
    uint64_t nro_next;
    uint32_t nro_reqtype;
    int32_t nro_status;
    uint64_t nro_size;
};

struct nmabi_nmreq_register {
    uint64_t nr_offset;
    uint64_t nr_memsize;
    uint32_t nr_tx_slots;
    uint32_t nr_rx_slots;
    uint16_t nr_tx_rings;
    uint16_t nr_rx_rings;
    uint16_t nr_host_tx_rings;
    uint16_t nr_host_rx_rings;
    uint16_t nr_mem_id;
    uint16_t nr_ringid;
    uint32_t nr_mode;
    uint32_t nr_extra_bufs;
    uint64_t nr_flags;
};

struct nmabi_nmreq_port_info_get {
    uint64_t nr_memsize;
    uint32_t nr_tx_slots;
    uint32_t nr_rx_slots;
    uint16_t nr_tx_rings;
    uint16_t nr_rx_rings;
    uint16_t nr_host_tx_rings;
    uint16_t nr_host_rx_rings;
    uint16_t nr_mem_id;
    uint16_t pad[3];
};

struct nmabi_nmreq_vale_attach {
    struct nmabi_nmreq_register reg;
    uint32_t port_index;
    uint32_t pad1;
};

struct nmabi_nmreq_vale_detach {
    uint32_t port_index;
    uint32_t pad1;
};

struct nmabi_nmreq_vale_list {
    uint16_t nr_bridge_idx;
    uint16_t pad1;
    uint32_t nr_port_idx;
};

struct nmabi_nmreq_vale_newif {
    uint32_t nr_tx_slots;
    uint32_t nr_rx_slots;
    uint16_t nr_tx_rings;
    uint16_t nr_rx_rings;
    uint16_t nr_mem_id;
    uint16_t pad1;
};

struct nmabi_nmreq_port_hdr {
    uint32_t nr_hdr_len;
    uint32_t pad1;
};

struct nmabi_nmreq_vale_polling {
    uint32_t nr_mode;
    uint32_t nr_first_cpu_id;
    uint32_t nr_num_polling_cpus;
    uint32_t pad1;
};

struct nmabi_nmreq_pools_info {
    uint64_t nr_memsize;
    uint16_t nr_mem_id;
    uint16_t pad1[3];
    uint64_t nr_if_pool_offset;
    uint32_t nr_if_pool_objtotal;
    uint32_t nr_if_pool_objsize;
    uint64_t nr_ring_pool_offset;
    uint32_t nr_ring_pool_objtotal;
    uint32_t nr_ring_pool_objsize;
    uint64_t nr_buf_pool_offset;
    uint32_t nr_buf_pool_objtotal;
    uint32_t nr_buf_pool_objsize;
};

struct nmabi_nmreq_opt_extmem {
    struct nmabi_nmreq_option nro_opt;
    uint64_t nro_usrptr;
    struct nmabi_nmreq_pools_info nro_info;
};

struct nmabi_nmreq_opt_offsets {
    struct nmabi_nmreq_option nro_opt;
    uint64_t nro_max_offset;
    uint64_t nro_initial_offset;
    uint32_t nro_offset_bits;
    uint32_t nro_tx_align;
    uint64_t nro_min_gap;
};

/* The ioctls, encoded by the host's own _IO/_IOWR macros (Linux and FreeBSD pack them differently). */
#define NMABI_NIOCCTRL _IOWR('i', 151, struct nmabi_nmreq_header)
#define NMABI_NIOCTXSYNC _IO('i', 148)
#define NMABI_NIOCRXSYNC _IO('i', 149)

#endif /* NMSHIM_ABI_H */
