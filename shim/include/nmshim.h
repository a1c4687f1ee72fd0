/*
 * nmshim.h: the C API of libnetmap_shim, the one place of Netmap.Dynamic compiled against
 * netmap's C headers. The managed loader (Netmap.Dynamic/Native/ShimFunctions.cs) mirrors every
 * declaration here; change both together and bump NMSHIM_API_VERSION on any incompatible change.
 *
 * Rules every export follows:
 *   - the name starts with nmshim_; only fixed-width types cross the boundary;
 *   - it returns 0 on success or a negative errno, and writes a readable message into the
 *     caller's buffer (msg, msg_size; NULL/0 allowed), always NUL-terminated when msg_size > 0;
 *   - it never prints, never aborts, and keeps no mutable global state;
 *   - structs passed in and out start with a uint32_t `size` the caller sets to the size it
 *     knows, so the shim can refuse a caller built for a different layout (-EINVAL).
 *
 * Version 1 exports: nmshim_version, nmshim_describe, nmshim_kernel_probe.
 * Version 2 adds the control plane of the native backend (nmshim_port_open/_mmap/_close,
 * nmshim_port_info, nmshim_vale_*, nmshim_port_hdr_get/_set) and nmshim_noop, and later (an
 * addition, no version change) nmshim_port_open_opt: a register with the EXTMEM and OFFSETS options. The port spec is
 * parsed in C#; these exports take structured requests and build netmap's nmreq_* structs here,
 * so kernel request structs never cross the boundary. Each control export opens the device
 * itself (device_path NULL or "": "/dev/netmap"), reports in *stage how far it got
 * (NMSHIM_STAGE_*; stage may be NULL), and closes every fd it opened unless it hands it back.
 * Version 3 adds nmshim_pools_info (NETMAP_REQ_POOLS_INFO_GET), nmshim_vale_polling
 * (NETMAP_REQ_VALE_POLLING_ENABLE/_DISABLE), and raw options in struct nmshim_port_options
 * (NMSHIM_PORT_OPT_RAW), which makes that struct larger.
 */
#ifndef NMSHIM_H
#define NMSHIM_H

#include <stdint.h>

#define NMSHIM_API_VERSION 3

/* Sizes of the fixed strings in the structs below. */
#define NMSHIM_NAME_SIZE 32
#define NMSHIM_PORT_NAME_SIZE 64   /* nr_name: NETMAP_REQ_IFNAMSIZ, NUL included */

/* How far a control export got (written to *stage). */
#define NMSHIM_STAGE_OPEN 1    /* opening the device */
#define NMSHIM_STAGE_IOCTL 2   /* NIOCCTRL: the answer is the kernel's */
#define NMSHIM_STAGE_MMAP 3    /* mapping the region */
#define NMSHIM_STAGE_ARGS 4    /* the arguments were refused before anything was opened */

/* A port to register (NETMAP_REQ_REGISTER), attach (NETMAP_REQ_VALE_ATTACH: name, mode, ringid,
 * flags, mem_id) or create (NETMAP_REQ_VALE_NEWIF: name, slots, rings, mem_id). Counts of 0 let
 * the kernel choose. */
struct nmshim_port_request {
    uint32_t size;            /* in: sizeof as the caller knows it */
    uint32_t mode;            /* nr_mode: NR_REG_* */
    uint64_t flags;           /* nr_flags: NR_* */
    uint32_t tx_slots;
    uint32_t rx_slots;
    uint16_t tx_rings;
    uint16_t rx_rings;
    uint16_t host_tx_rings;
    uint16_t host_rx_rings;
    uint16_t mem_id;          /* 0: the port's default allocator */
    uint16_t ringid;          /* for NR_REG_ONE_NIC / NR_REG_ONE_SW */
    uint32_t extra_bufs;
    char name[NMSHIM_PORT_NAME_SIZE];  /* nr_name, NUL-terminated */
};

/* What the kernel answered to a register (nmshim_port_open) or a port-info request
 * (nmshim_port_info: fd -1, offset 0, extra_bufs 0). */
struct nmshim_port_reply {
    uint32_t size;            /* in: sizeof as the caller knows it */
    int32_t fd;               /* the registered file descriptor (nmshim_port_open), else -1 */
    uint64_t memsize;         /* nr_memsize: bytes to map */
    uint64_t offset;          /* nr_offset: the port's netmap_if in the region */
    uint32_t tx_slots;
    uint32_t rx_slots;
    uint16_t tx_rings;
    uint16_t rx_rings;
    uint16_t host_tx_rings;
    uint16_t host_rx_rings;
    uint16_t mem_id;
    uint16_t reserved16;
    uint32_t extra_bufs;      /* granted; their list starts at netmap_if.ni_bufs_head */
};

/* Register options of nmshim_port_open_opt: which parts of struct nmshim_port_options are used. */
#define NMSHIM_PORT_OPT_EXTMEM 1u    /* NETMAP_REQ_OPT_EXTMEM: rings and buffers in the caller's memory */
#define NMSHIM_PORT_OPT_OFFSETS 2u   /* NETMAP_REQ_OPT_OFFSETS: per-slot buffer offsets */
#define NMSHIM_PORT_OPT_RAW 4u       /* bare option headers of any type, after the others (see below) */

/* Most raw options one request can carry: more than the kernel's request buffer holds. */
#define NMSHIM_RAW_OPTIONS_MAX 256

struct nmshim_port_options {
    uint32_t size;              /* in: sizeof as the caller knows it */
    uint32_t present;           /* in: NMSHIM_PORT_OPT_* */
    /* NMSHIM_PORT_OPT_EXTMEM. The memory must be page-aligned and hold the pools the numbers
     * describe, each pool starting on a page: the shim refuses it otherwise (-EINVAL), before the
     * kernel pins a single page. The caller keeps it mapped until the fd is closed. */
    uint64_t extmem_addr;       /* in: start of the caller's memory */
    uint64_t extmem_size;       /* in: its length in bytes; out: nr_memsize the kernel laid out */
    uint32_t if_num;            /* in: netmap_if objects; out: what the kernel used */
    uint32_t if_size;           /* in/out: bytes per netmap_if object */
    uint32_t ring_num;          /* in/out: ring objects */
    uint32_t ring_size;         /* in/out: bytes per ring object */
    uint32_t buf_num;           /* in/out: packet buffers */
    uint32_t buf_size;          /* in/out: bytes per buffer */
    uint64_t if_pool_offset;    /* out: where each pool starts in the memory */
    uint64_t ring_pool_offset;
    uint64_t buf_pool_offset;
    /* NMSHIM_PORT_OPT_OFFSETS */
    uint64_t max_offset;        /* in: the largest offset the program will write; out: the kernel's value */
    uint64_t initial_offset;    /* in: written into every slot at register time (0: none) */
    uint64_t min_gap;           /* in: 0 (reserved by the kernel for shared buffers) */
    uint32_t offset_bits;       /* in: low bits of netmap_slot.ptr holding the offset; 0: all 64 */
    int32_t extmem_status;      /* out: the kernel's nro_status for EXTMEM (a positive errno or 0) */
    int32_t offsets_status;     /* out: the kernel's nro_status for OFFSETS */
    uint32_t reserved;
    /* NMSHIM_PORT_OPT_RAW: raw_count bare nmreq_option headers (no body, nro_size = the header's
     * size) of type raw_type, chained after the options above; with raw_loop set the last one
     * points back at itself, a list that never ends. They carry nothing a kernel can act on: they
     * show how the kernel checks a request's option list (an unknown type, a type given twice, a
     * list too long for its request buffer or without end). */
    uint32_t raw_type;          /* in: nro_reqtype */
    uint32_t raw_count;         /* in: 1..NMSHIM_RAW_OPTIONS_MAX */
    uint32_t raw_loop;          /* in: 1 = the last raw option's nro_next is itself */
    int32_t raw_status;         /* out: the kernel's nro_status of the first raw option */
};

/* What the kernel answered to NETMAP_REQ_POOLS_INFO_GET: the allocator's three pools. */
struct nmshim_pools_reply {
    uint32_t size;              /* in: sizeof as the caller knows it */
    uint16_t mem_id;            /* nr_mem_id */
    uint16_t reserved16;
    uint64_t memsize;           /* nr_memsize */
    uint64_t if_pool_offset;    /* where each pool starts in the region */
    uint64_t ring_pool_offset;
    uint64_t buf_pool_offset;
    uint32_t if_num;            /* objects in each pool */
    uint32_t if_size;           /* bytes per object */
    uint32_t ring_num;
    uint32_t ring_size;
    uint32_t buf_num;
    uint32_t buf_size;
};

/* One row of the layout table: a struct's size (field_name "") or one field's offset and size
 * (size 0 for a C flexible array member). */
struct nmshim_layout_entry {
    char struct_name[NMSHIM_NAME_SIZE];
    char field_name[NMSHIM_NAME_SIZE];
    uint32_t offset;
    uint32_t size;
};

/* What the shim was compiled for. */
struct nmshim_description {
    uint32_t size;            /* in: sizeof as the caller knows it */
    uint32_t shim_version;    /* NMSHIM_API_VERSION */
    uint32_t netmap_api;      /* NETMAP_API of the headers compiled against */
    uint32_t netmap_min_api;  /* NETMAP_MIN_API */
    uint32_t netmap_max_api;  /* NETMAP_MAX_API */
    uint32_t system_headers;  /* 1: the host's <net/netmap.h>; 0: the bundled nmshim_abi.h */
    uint32_t layout_count;    /* rows of the layout table */
    uint32_t reserved;
    uint64_t nioc_ctrl;       /* NIOCCTRL as compiled (encodes sizeof(struct nmreq_header)) */
    uint64_t nioc_txsync;     /* NIOCTXSYNC */
    uint64_t nioc_rxsync;     /* NIOCRXSYNC */
};

/* How far nmshim_kernel_probe got. */
#define NMSHIM_PROBE_STAGE_OPEN 1   /* opening the device failed */
#define NMSHIM_PROBE_STAGE_IOCTL 2  /* the device answered the request */

struct nmshim_kernel_probe_result {
    uint32_t size;            /* in: sizeof as the caller knows it */
    int32_t stage;            /* NMSHIM_PROBE_STAGE_* */
    int32_t error;            /* errno of the failing step (positive), 0 when none */
    uint32_t api_sent;        /* nr_version the request carried */
    uint32_t kernel_api;      /* an API version the kernel proved to accept (ours, or on -EINVAL the
                                 first newer one it accepts), 0 when unknown */
    uint32_t reserved;
};

#ifdef __cplusplus
extern "C" {
#endif

/* The shim's own C API version (NMSHIM_API_VERSION). */
int32_t nmshim_version(void);

/* Fills *out and up to `capacity` rows of the layout table; *count receives the number of rows
 * the shim has. Returns -ENOSPC (with *count set) when capacity is too small. */
int32_t nmshim_describe(struct nmshim_description *out, struct nmshim_layout_entry *entries,
                        uint32_t capacity, uint32_t *count, char *msg, uint32_t msg_size);

/* Opens device_path (NULL: "/dev/netmap"), sends NIOCCTRL NETMAP_REQ_PORT_INFO_GET for a port
 * name no interface can have, and closes it. A netmap kernel that speaks our API answers ENXIO
 * (no such port): that is success, 0. Otherwise a negative errno: from open (stage OPEN), or
 * the answer of the device (stage IOCTL): -EINVAL when the kernel rejects our API version (the
 * probe then asks with the next 16 versions to learn one the kernel accepts: kernel_api), -ENOTTY
 * for a device that is not netmap. */
int32_t nmshim_kernel_probe(const char *device_path, struct nmshim_kernel_probe_result *out,
                            char *msg, uint32_t msg_size);

/* Returns 0 and does nothing: lets benchmarks measure the cost of a call into the shim. */
int32_t nmshim_noop(void);

/* Opens the device, registers req->name (NIOCCTRL NETMAP_REQ_REGISTER) and fills *out with the
 * reply and the fd, which the caller owns from then on (map it with nmshim_port_mmap, release it
 * with nmshim_port_close). Does not map: ports of one allocator (same mem_id) share one mapping,
 * which the caller keeps. On failure no fd stays open. */
int32_t nmshim_port_open(const char *device_path, const struct nmshim_port_request *req,
                         struct nmshim_port_reply *out, int32_t *stage, char *msg, uint32_t msg_size);

/* nmshim_port_open with register options (opts may be NULL: no option). On failure, the
 * status fields of opts say which option the kernel refused. */
int32_t nmshim_port_open_opt(const char *device_path, const struct nmshim_port_request *req,
                             struct nmshim_port_options *opts, struct nmshim_port_reply *out,
                             int32_t *stage, char *msg, uint32_t msg_size);

/* mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) into *base. */
int32_t nmshim_port_mmap(int32_t fd, uint64_t size, uint64_t *base, char *msg, uint32_t msg_size);

/* Unmaps [base, base + size) when base is not 0, then closes fd when it is not negative. Both are
 * attempted; the first error is returned. */
int32_t nmshim_port_close(int32_t fd, uint64_t base, uint64_t size, char *msg, uint32_t msg_size);

/* NETMAP_REQ_PORT_INFO_GET for name (with mem_id as the allocator to ask about, 0 for any). */
int32_t nmshim_port_info(const char *device_path, const char *name, uint16_t mem_id,
                         struct nmshim_port_reply *out, int32_t *stage, char *msg, uint32_t msg_size);

/* NETMAP_REQ_POOLS_INFO_GET for name (with mem_id as the allocator to ask about, 0 for the
 * port's): the pools of the port's memory allocator. Like port info, the kernel creates a VALE
 * port or pipe that does not exist to answer, and drops it again. */
int32_t nmshim_pools_info(const char *device_path, const char *name, uint16_t mem_id,
                          struct nmshim_pools_reply *out, int32_t *stage, char *msg, uint32_t msg_size);

/* NETMAP_REQ_VALE_POLLING_ENABLE (enable 1: mode NETMAP_POLLING_MODE_SINGLE_CPU or _MULTI_CPU,
 * first_cpu, num_cpus) or NETMAP_REQ_VALE_POLLING_DISABLE (enable 0; the numbers are ignored) for
 * the switch port name ("valeX:eth0": a NIC attached to the switch). */
int32_t nmshim_vale_polling(const char *device_path, const char *name, uint32_t enable, uint32_t mode,
                            uint32_t first_cpu, uint32_t num_cpus, int32_t *stage, char *msg, uint32_t msg_size);

/* NETMAP_REQ_VALE_ATTACH: attaches the NIC of req->name ("valeX:eth0") to the switch with
 * req->mode (NR_REG_ALL_NIC, or NR_REG_NIC_SW to attach the host stack too); *port_index
 * receives the switch port. */
int32_t nmshim_vale_attach(const char *device_path, const struct nmshim_port_request *req,
                           uint32_t *port_index, int32_t *stage, char *msg, uint32_t msg_size);

/* NETMAP_REQ_VALE_DETACH of name ("valeX:eth0"); *port_index receives the port it had. */
int32_t nmshim_vale_detach(const char *device_path, const char *name, uint32_t *port_index,
                           int32_t *stage, char *msg, uint32_t msg_size);

/* NETMAP_REQ_VALE_NEWIF: creates the persistent VALE interface req->name with req's slot and ring
 * counts and mem_id; *mem_id receives the allocator the kernel gave it. */
int32_t nmshim_vale_newif(const char *device_path, const struct nmshim_port_request *req,
                          uint16_t *mem_id, int32_t *stage, char *msg, uint32_t msg_size);

/* NETMAP_REQ_VALE_DELIF of the persistent interface name. */
int32_t nmshim_vale_delif(const char *device_path, const char *name, int32_t *stage, char *msg, uint32_t msg_size);

/* NETMAP_REQ_VALE_LIST, one step of the cursor: with name "" the kernel returns, in name,
 * *bridge_idx and *port_idx, the first port at or after (*bridge_idx, *port_idx); with a port
 * name it returns that port's indexes. -ENOENT once there are no more ports. name has room for
 * NMSHIM_PORT_NAME_SIZE bytes. */
int32_t nmshim_vale_list(const char *device_path, char *name, uint16_t *bridge_idx, uint32_t *port_idx,
                         int32_t *stage, char *msg, uint32_t msg_size);

/* NETMAP_REQ_PORT_HDR_GET / _SET: the virtio-net header length of a port (0, 10 or 12). */
int32_t nmshim_port_hdr_get(const char *device_path, const char *name, uint32_t *hdr_len,
                            int32_t *stage, char *msg, uint32_t msg_size);
int32_t nmshim_port_hdr_set(const char *device_path, const char *name, uint32_t hdr_len,
                            int32_t *stage, char *msg, uint32_t msg_size);

#ifdef __cplusplus
}
#endif

#endif /* NMSHIM_H */
