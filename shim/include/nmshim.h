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
 * Version 1 exports: nmshim_version, nmshim_describe, nmshim_kernel_probe. The control plane
 * of the native backend (register + mmap, port info, VALE operations, close) will join as
 * further nmshim_* exports taking structured requests, without changing these three.
 */
#ifndef NMSHIM_H
#define NMSHIM_H

#include <stdint.h>

#define NMSHIM_API_VERSION 1

/* Sizes of the fixed strings in the structs below. */
#define NMSHIM_NAME_SIZE 32

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

#ifdef __cplusplus
}
#endif

#endif /* NMSHIM_H */
