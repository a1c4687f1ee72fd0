/*
 * The control plane of the native backend: open the device, send one NIOCCTRL request built
 * here from a structured request (the port spec was parsed in C#), map and unmap regions.
 * See include/nmshim.h for the contract of every export.
 *
 * Test-only variant (make test-variants): NMSHIM_TEST_ECHO. nmshim_send does not open the
 * device; it copies the request it would send (struct nmreq_header, then the body) into the
 * caller's message buffer and returns -ECANCELED with stage NMSHIM_STAGE_IOCTL, so tests can
 * check every field the shim fills.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "nmshim.h"
#include "nmshim_internal.h"
#include "nmshim_netmap.h"

typedef NMSHIM_T(nmreq_header) nmshim_hdr;

static void nmshim_set_stage(int32_t *stage, int32_t value)
{
    if (stage != NULL)
        *stage = value;
}

static const char *nmshim_device(const char *device_path)
{
    return device_path != NULL && device_path[0] != '\0' ? device_path : NMSHIM_DEFAULT_DEVICE;
}

/* Fills the header for request `type` on port `name`; -ENAMETOOLONG when the name does not fit. */
static int nmshim_header(nmshim_hdr *hdr, uint16_t type, const char *name, void *body, char *msg, uint32_t msg_size)
{
    memset(hdr, 0, sizeof(*hdr));
    hdr->nr_version = NMSHIM_NETMAP_API;
    hdr->nr_reqtype = type;
    hdr->nr_options = 0;
    hdr->nr_body = (uint64_t)(uintptr_t)body;
    if (name == NULL)
        name = "";
    size_t length = strnlen(name, sizeof(hdr->nr_name));
    if (length >= sizeof(hdr->nr_name)) {
        nmshim_message(msg, msg_size, "port name '%.20s...' is longer than %u bytes", name,
                       (unsigned)(sizeof(hdr->nr_name) - 1));
        return -ENAMETOOLONG;
    }
    memcpy(hdr->nr_name, name, length);
    return 0;
}

static int nmshim_check_request(const struct nmshim_port_request *req, char *msg, uint32_t msg_size)
{
    if (req == NULL || req->size < sizeof(*req)) {
        nmshim_message(msg, msg_size, "a port request of at least %u bytes is required", (unsigned)sizeof(*req));
        return -EINVAL;
    }
    if (memchr(req->name, '\0', sizeof(req->name)) == NULL) {
        nmshim_message(msg, msg_size, "the port name in the request is not NUL-terminated");
        return -EINVAL;
    }
    return 0;
}

/*
 * Opens the device and sends the request. On success returns 0; the fd is handed to *keep_fd
 * when keep_fd is not NULL, else closed. On failure every fd is closed and the message names
 * the device (stage OPEN) or the request and port (stage IOCTL).
 */
static int nmshim_send(const char *device_path, nmshim_hdr *hdr, uint32_t body_size, const char *what,
                       int *keep_fd, int32_t *stage, char *msg, uint32_t msg_size)
{
    const char *path = nmshim_device(device_path);
#ifdef NMSHIM_TEST_ECHO
    (void)path;
    (void)what;
    (void)keep_fd;
    nmshim_set_stage(stage, NMSHIM_STAGE_IOCTL);
    /* The header, the body, then every option of the chain in order. */
    size_t total = sizeof(*hdr) + body_size;
    for (const NMSHIM_T(nmreq_option) *o = (const void *)(uintptr_t)hdr->nr_options; o != NULL;
         o = (const void *)(uintptr_t)o->nro_next)
        total += o->nro_size;
    if (msg != NULL && msg_size >= total) {
        memcpy(msg, hdr, sizeof(*hdr));
        size_t at = sizeof(*hdr);
        /* memcpy from NULL is undefined even for 0 bytes: DELIF has no body. */
        if (body_size != 0)
            memcpy(msg + at, (const void *)(uintptr_t)hdr->nr_body, body_size);
        at += body_size;
        for (const NMSHIM_T(nmreq_option) *o = (const void *)(uintptr_t)hdr->nr_options; o != NULL;
             o = (const void *)(uintptr_t)o->nro_next) {
            memcpy(msg + at, o, o->nro_size);
            at += o->nro_size;
        }
    } else {
        nmshim_message(msg, msg_size, "echo: the request needs a %u-byte buffer", (unsigned)total);
    }
    return -ECANCELED;
#else
    (void)body_size;
    nmshim_set_stage(stage, NMSHIM_STAGE_OPEN);
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        int error = errno;
        nmshim_message(msg, msg_size, "open(%s) failed: %s", path, nmshim_errno_name(error));
        return -error;
    }
    nmshim_set_stage(stage, NMSHIM_STAGE_IOCTL);
    if (ioctl(fd, NMSHIM_NIOCCTRL, hdr) < 0) {
        int error = errno;
        close(fd);
        if (error == ENOTTY)
            nmshim_message(msg, msg_size, "%s '%s': %s is not a netmap device (%s)", what, hdr->nr_name, path,
                           nmshim_errno_name(error));
        else
            nmshim_message(msg, msg_size, "%s '%s' on %s failed: %s", what, hdr->nr_name, path, nmshim_errno_name(error));
        return -error;
    }
    if (keep_fd != NULL)
        *keep_fd = fd;
    else
        close(fd);
    nmshim_message(msg, msg_size, "%s '%s' on %s: done", what, hdr->nr_name, path);
    return 0;
#endif
}

static void nmshim_reply_from_register(struct nmshim_port_reply *out, const NMSHIM_T(nmreq_register) *reg, int fd)
{
    memset(out, 0, sizeof(*out));
    out->size = sizeof(*out);
    out->fd = fd;
    out->memsize = reg->nr_memsize;
    out->offset = reg->nr_offset;
    out->tx_slots = reg->nr_tx_slots;
    out->rx_slots = reg->nr_rx_slots;
    out->tx_rings = reg->nr_tx_rings;
    out->rx_rings = reg->nr_rx_rings;
    out->host_tx_rings = reg->nr_host_tx_rings;
    out->host_rx_rings = reg->nr_host_rx_rings;
    out->mem_id = reg->nr_mem_id;
    out->extra_bufs = reg->nr_extra_bufs;
}

static void nmshim_register_from_request(NMSHIM_T(nmreq_register) *reg, const struct nmshim_port_request *req)
{
    memset(reg, 0, sizeof(*reg));
    reg->nr_mode = req->mode;
    reg->nr_flags = req->flags;
    reg->nr_ringid = req->ringid;
    reg->nr_mem_id = req->mem_id;
    reg->nr_tx_slots = req->tx_slots;
    reg->nr_rx_slots = req->rx_slots;
    reg->nr_tx_rings = req->tx_rings;
    reg->nr_rx_rings = req->rx_rings;
    reg->nr_host_tx_rings = req->host_tx_rings;
    reg->nr_host_rx_rings = req->host_rx_rings;
    reg->nr_extra_bufs = req->extra_bufs;
}

NMSHIM_EXPORT int32_t nmshim_noop(void)
{
    return 0;
}

/* The register options as the kernel reads them: a chain from hdr->nr_options. */
struct nmshim_register_options {
    NMSHIM_T(nmreq_opt_extmem) extmem;
    NMSHIM_T(nmreq_opt_offsets) offsets;
    NMSHIM_T(nmreq_option) raw[NMSHIM_RAW_OPTIONS_MAX];
};

static uint64_t nmshim_round_to_page(uint64_t bytes, uint64_t page)
{
    return (bytes + page - 1) / page * page;
}

/*
 * Checks the caller's options and chains the kernel's option structs onto hdr. The memory of an
 * EXTMEM option must be page-aligned (the kernel lays the pools out from the start of the first
 * page it pins, not from the address) and large enough for every pool, each starting on a page,
 * as the kernel lays them out: otherwise the kernel would pin the pages and then build a region
 * with fewer objects than asked, or read past what the caller owns.
 */
static int nmshim_chain_options(nmshim_hdr *hdr, struct nmshim_register_options *ko, const struct nmshim_port_options *opts,
                                char *msg, uint32_t msg_size)
{
    memset(ko, 0, sizeof(*ko));
    if (opts == NULL)
        return 0;
    if (opts->size < sizeof(*opts)) {
        nmshim_message(msg, msg_size, "port options of at least %u bytes are required", (unsigned)sizeof(*opts));
        return -EINVAL;
    }
    if ((opts->present & ~(NMSHIM_PORT_OPT_EXTMEM | NMSHIM_PORT_OPT_OFFSETS | NMSHIM_PORT_OPT_RAW)) != 0) {
        nmshim_message(msg, msg_size, "unknown port option bits 0x%x", (unsigned)opts->present);
        return -EINVAL;
    }
    uint64_t *link = &hdr->nr_options;
    if (opts->present & NMSHIM_PORT_OPT_EXTMEM) {
        long page_size = sysconf(_SC_PAGESIZE);
        uint64_t page = page_size > 0 ? (uint64_t)page_size : 4096;
        if (opts->extmem_addr == 0 || opts->extmem_addr % page != 0) {
            nmshim_message(msg, msg_size, "extmem address 0x%llx is not page-aligned (%llu)",
                           (unsigned long long)opts->extmem_addr, (unsigned long long)page);
            return -EINVAL;
        }
        if (opts->if_num == 0 || opts->if_size == 0 || opts->ring_num == 0 || opts->ring_size == 0 ||
            opts->buf_num == 0 || opts->buf_size == 0) {
            nmshim_message(msg, msg_size, "extmem needs every pool number (if, ring, buf: count and size) to check the size");
            return -EINVAL;
        }
        uint64_t need = nmshim_round_to_page((uint64_t)opts->if_num * opts->if_size, page) +
                        nmshim_round_to_page((uint64_t)opts->ring_num * opts->ring_size, page) +
                        (uint64_t)opts->buf_num * opts->buf_size;
        if (opts->extmem_size < need) {
            nmshim_message(msg, msg_size, "extmem of %llu bytes is too small: the pools need %llu",
                           (unsigned long long)opts->extmem_size, (unsigned long long)need);
            return -EINVAL;
        }
        ko->extmem.nro_opt.nro_reqtype = NMSHIM_OPT(EXTMEM);
        ko->extmem.nro_opt.nro_size = sizeof(ko->extmem);
        ko->extmem.nro_usrptr = opts->extmem_addr;
        ko->extmem.nro_info.nr_memsize = opts->extmem_size;
        ko->extmem.nro_info.nr_if_pool_objtotal = opts->if_num;
        ko->extmem.nro_info.nr_if_pool_objsize = opts->if_size;
        ko->extmem.nro_info.nr_ring_pool_objtotal = opts->ring_num;
        ko->extmem.nro_info.nr_ring_pool_objsize = opts->ring_size;
        ko->extmem.nro_info.nr_buf_pool_objtotal = opts->buf_num;
        ko->extmem.nro_info.nr_buf_pool_objsize = opts->buf_size;
        *link = (uint64_t)(uintptr_t)&ko->extmem;
        link = &ko->extmem.nro_opt.nro_next;
    }
    if (opts->present & NMSHIM_PORT_OPT_OFFSETS) {
        if (opts->offset_bits > 64 || opts->initial_offset > opts->max_offset) {
            nmshim_message(msg, msg_size, "offsets: bits %u (at most 64) or initial offset %llu above max %llu",
                           (unsigned)opts->offset_bits, (unsigned long long)opts->initial_offset,
                           (unsigned long long)opts->max_offset);
            return -EINVAL;
        }
        ko->offsets.nro_opt.nro_reqtype = NMSHIM_OPT(OFFSETS);
        ko->offsets.nro_opt.nro_size = sizeof(ko->offsets);
        ko->offsets.nro_max_offset = opts->max_offset;
        ko->offsets.nro_initial_offset = opts->initial_offset;
        ko->offsets.nro_offset_bits = opts->offset_bits;
        ko->offsets.nro_min_gap = opts->min_gap;
        *link = (uint64_t)(uintptr_t)&ko->offsets;
        link = &ko->offsets.nro_opt.nro_next;
    }
    if (opts->present & NMSHIM_PORT_OPT_RAW) {
        if (opts->raw_count == 0 || opts->raw_count > NMSHIM_RAW_OPTIONS_MAX || opts->raw_type > UINT16_MAX) {
            nmshim_message(msg, msg_size, "raw options: %u of type %u (1 to %u options of a 16-bit type)",
                           (unsigned)opts->raw_count, (unsigned)opts->raw_type, (unsigned)NMSHIM_RAW_OPTIONS_MAX);
            return -EINVAL;
        }
        for (uint32_t i = 0; i < opts->raw_count; i++) {
            ko->raw[i].nro_reqtype = (uint16_t)opts->raw_type;
            ko->raw[i].nro_size = sizeof(ko->raw[i]);
            *link = (uint64_t)(uintptr_t)&ko->raw[i];
            link = &ko->raw[i].nro_next;
        }
        if (opts->raw_loop)
            *link = (uint64_t)(uintptr_t)&ko->raw[opts->raw_count - 1];
    }
    return 0;
}

static const char *nmshim_status_text(int32_t status)
{
    return status == 0 ? "0" : nmshim_errno_name(status);
}

/* What the kernel wrote back into the options, for the caller. */
static void nmshim_options_reply(struct nmshim_port_options *opts, const struct nmshim_register_options *ko)
{
    if (opts == NULL)
        return;
    opts->extmem_status = ko->extmem.nro_opt.nro_status;
    opts->offsets_status = ko->offsets.nro_opt.nro_status;
    opts->raw_status = ko->raw[0].nro_status;
    if (opts->present & NMSHIM_PORT_OPT_EXTMEM) {
        const NMSHIM_T(nmreq_pools_info) *pi = &ko->extmem.nro_info;
        opts->extmem_size = pi->nr_memsize;
        opts->if_num = pi->nr_if_pool_objtotal;
        opts->if_size = pi->nr_if_pool_objsize;
        opts->ring_num = pi->nr_ring_pool_objtotal;
        opts->ring_size = pi->nr_ring_pool_objsize;
        opts->buf_num = pi->nr_buf_pool_objtotal;
        opts->buf_size = pi->nr_buf_pool_objsize;
        opts->if_pool_offset = pi->nr_if_pool_offset;
        opts->ring_pool_offset = pi->nr_ring_pool_offset;
        opts->buf_pool_offset = pi->nr_buf_pool_offset;
    }
    if (opts->present & NMSHIM_PORT_OPT_OFFSETS)
        opts->max_offset = ko->offsets.nro_max_offset;
}

NMSHIM_EXPORT int32_t nmshim_port_open_opt(const char *device_path, const struct nmshim_port_request *req,
                                           struct nmshim_port_options *opts, struct nmshim_port_reply *out,
                                           int32_t *stage, char *msg, uint32_t msg_size)
{
    nmshim_set_stage(stage, NMSHIM_STAGE_ARGS);
    int rc = nmshim_check_request(req, msg, msg_size);
    if (rc != 0)
        return rc;
    if (out == NULL || out->size < sizeof(*out)) {
        nmshim_message(msg, msg_size, "a reply of at least %u bytes is required", (unsigned)sizeof(*out));
        return -EINVAL;
    }
    out->fd = -1;
    NMSHIM_T(nmreq_register) reg;
    nmshim_register_from_request(&reg, req);
    nmshim_hdr hdr;
    rc = nmshim_header(&hdr, NMSHIM_REQ(REGISTER), req->name, &reg, msg, msg_size);
    if (rc != 0)
        return rc;
    struct nmshim_register_options ko;
    rc = nmshim_chain_options(&hdr, &ko, opts, msg, msg_size);
    if (rc != 0)
        return rc;
    int fd = -1;
    rc = nmshim_send(device_path, &hdr, sizeof(reg), "register", &fd, stage, msg, msg_size);
    nmshim_options_reply(opts, &ko);
    if (rc != 0) {
        if (ko.extmem.nro_opt.nro_status != 0 || ko.offsets.nro_opt.nro_status != 0 || ko.raw[0].nro_status != 0) {
            size_t used = msg != NULL ? strnlen(msg, msg_size) : 0;
            if (msg != NULL && used + 1 < msg_size)
                nmshim_message(msg + used, msg_size - (uint32_t)used, " (option status: extmem %s, offsets %s, raw %s)",
                               nmshim_status_text(ko.extmem.nro_opt.nro_status),
                               nmshim_status_text(ko.offsets.nro_opt.nro_status),
                               nmshim_status_text(ko.raw[0].nro_status));
        }
        return rc;
    }
    nmshim_reply_from_register(out, &reg, fd);
    nmshim_message(msg, msg_size, "registered '%s': fd %d, mem_id %u, %llu bytes, netmap_if at %llu", req->name, fd,
                   (unsigned)reg.nr_mem_id, (unsigned long long)reg.nr_memsize, (unsigned long long)reg.nr_offset);
    return 0;
}

NMSHIM_EXPORT int32_t nmshim_port_open(const char *device_path, const struct nmshim_port_request *req,
                                       struct nmshim_port_reply *out, int32_t *stage, char *msg, uint32_t msg_size)
{
    return nmshim_port_open_opt(device_path, req, NULL, out, stage, msg, msg_size);
}

NMSHIM_EXPORT int32_t nmshim_port_mmap(int32_t fd, uint64_t size, uint64_t *base, char *msg, uint32_t msg_size)
{
    if (base == NULL || size == 0 || fd < 0) {
        nmshim_message(msg, msg_size, "nmshim_port_mmap needs an fd, a size and an out pointer");
        return -EINVAL;
    }
    *base = 0;
    void *at = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (at == MAP_FAILED) {
        int error = errno;
        nmshim_message(msg, msg_size, "mmap of %llu bytes on fd %d failed: %s", (unsigned long long)size, (int)fd,
                       nmshim_errno_name(error));
        return -error;
    }
    *base = (uint64_t)(uintptr_t)at;
    return 0;
}

NMSHIM_EXPORT int32_t nmshim_port_close(int32_t fd, uint64_t base, uint64_t size, char *msg, uint32_t msg_size)
{
    int rc = 0;
    if (base != 0 && munmap((void *)(uintptr_t)base, (size_t)size) != 0) {
        int error = errno;
        nmshim_message(msg, msg_size, "munmap of %llu bytes failed: %s", (unsigned long long)size, nmshim_errno_name(error));
        rc = -error;
    }
    if (fd >= 0 && close(fd) != 0) {
        int error = errno;
        if (rc == 0) {
            nmshim_message(msg, msg_size, "close(%d) failed: %s", (int)fd, nmshim_errno_name(error));
            rc = -error;
        }
    }
    return rc;
}

NMSHIM_EXPORT int32_t nmshim_port_info(const char *device_path, const char *name, uint16_t mem_id,
                                       struct nmshim_port_reply *out, int32_t *stage, char *msg, uint32_t msg_size)
{
    nmshim_set_stage(stage, NMSHIM_STAGE_ARGS);
    if (out == NULL || out->size < sizeof(*out)) {
        nmshim_message(msg, msg_size, "a reply of at least %u bytes is required", (unsigned)sizeof(*out));
        return -EINVAL;
    }
    NMSHIM_T(nmreq_port_info_get) info;
    memset(&info, 0, sizeof(info));
    info.nr_mem_id = mem_id;
    nmshim_hdr hdr;
    int rc = nmshim_header(&hdr, NMSHIM_REQ(PORT_INFO_GET), name, &info, msg, msg_size);
    if (rc == 0)
        rc = nmshim_send(device_path, &hdr, sizeof(info), "port info", NULL, stage, msg, msg_size);
    if (rc != 0)
        return rc;
    memset(out, 0, sizeof(*out));
    out->size = sizeof(*out);
    out->fd = -1;
    out->memsize = info.nr_memsize;
    out->tx_slots = info.nr_tx_slots;
    out->rx_slots = info.nr_rx_slots;
    out->tx_rings = info.nr_tx_rings;
    out->rx_rings = info.nr_rx_rings;
    out->host_tx_rings = info.nr_host_tx_rings;
    out->host_rx_rings = info.nr_host_rx_rings;
    out->mem_id = info.nr_mem_id;
    return 0;
}

NMSHIM_EXPORT int32_t nmshim_vale_attach(const char *device_path, const struct nmshim_port_request *req,
                                         uint32_t *port_index, int32_t *stage, char *msg, uint32_t msg_size)
{
    nmshim_set_stage(stage, NMSHIM_STAGE_ARGS);
    int rc = nmshim_check_request(req, msg, msg_size);
    if (rc != 0)
        return rc;
    NMSHIM_T(nmreq_vale_attach) attach;
    memset(&attach, 0, sizeof(attach));
    nmshim_register_from_request(&attach.reg, req);
    nmshim_hdr hdr;
    rc = nmshim_header(&hdr, NMSHIM_REQ(VALE_ATTACH), req->name, &attach, msg, msg_size);
    if (rc == 0)
        rc = nmshim_send(device_path, &hdr, sizeof(attach), "vale attach", NULL, stage, msg, msg_size);
    if (rc == 0 && port_index != NULL)
        *port_index = attach.port_index;
    return rc;
}

NMSHIM_EXPORT int32_t nmshim_vale_detach(const char *device_path, const char *name, uint32_t *port_index,
                                         int32_t *stage, char *msg, uint32_t msg_size)
{
    nmshim_set_stage(stage, NMSHIM_STAGE_ARGS);
    NMSHIM_T(nmreq_vale_detach) detach;
    memset(&detach, 0, sizeof(detach));
    nmshim_hdr hdr;
    int rc = nmshim_header(&hdr, NMSHIM_REQ(VALE_DETACH), name, &detach, msg, msg_size);
    if (rc == 0)
        rc = nmshim_send(device_path, &hdr, sizeof(detach), "vale detach", NULL, stage, msg, msg_size);
    if (rc == 0 && port_index != NULL)
        *port_index = detach.port_index;
    return rc;
}

NMSHIM_EXPORT int32_t nmshim_vale_newif(const char *device_path, const struct nmshim_port_request *req,
                                        uint16_t *mem_id, int32_t *stage, char *msg, uint32_t msg_size)
{
    nmshim_set_stage(stage, NMSHIM_STAGE_ARGS);
    int rc = nmshim_check_request(req, msg, msg_size);
    if (rc != 0)
        return rc;
    NMSHIM_T(nmreq_vale_newif) newif;
    memset(&newif, 0, sizeof(newif));
    newif.nr_tx_slots = req->tx_slots;
    newif.nr_rx_slots = req->rx_slots;
    newif.nr_tx_rings = req->tx_rings;
    newif.nr_rx_rings = req->rx_rings;
    newif.nr_mem_id = req->mem_id;
    nmshim_hdr hdr;
    rc = nmshim_header(&hdr, NMSHIM_REQ(VALE_NEWIF), req->name, &newif, msg, msg_size);
    if (rc == 0)
        rc = nmshim_send(device_path, &hdr, sizeof(newif), "vale newif", NULL, stage, msg, msg_size);
    if (rc == 0 && mem_id != NULL)
        *mem_id = newif.nr_mem_id;
    return rc;
}

NMSHIM_EXPORT int32_t nmshim_vale_delif(const char *device_path, const char *name, int32_t *stage, char *msg,
                                        uint32_t msg_size)
{
    nmshim_set_stage(stage, NMSHIM_STAGE_ARGS);
    nmshim_hdr hdr;
    /* NETMAP_REQ_VALE_DELIF has no body. */
    int rc = nmshim_header(&hdr, NMSHIM_REQ(VALE_DELIF), name, NULL, msg, msg_size);
    if (rc == 0)
        rc = nmshim_send(device_path, &hdr, 0, "vale delif", NULL, stage, msg, msg_size);
    return rc;
}

NMSHIM_EXPORT int32_t nmshim_vale_list(const char *device_path, char *name, uint16_t *bridge_idx, uint32_t *port_idx,
                                       int32_t *stage, char *msg, uint32_t msg_size)
{
    nmshim_set_stage(stage, NMSHIM_STAGE_ARGS);
    if (name == NULL || bridge_idx == NULL || port_idx == NULL) {
        nmshim_message(msg, msg_size, "nmshim_vale_list needs name, bridge_idx and port_idx");
        return -EINVAL;
    }
    NMSHIM_T(nmreq_vale_list) list;
    memset(&list, 0, sizeof(list));
    list.nr_bridge_idx = *bridge_idx;
    list.nr_port_idx = *port_idx;
    nmshim_hdr hdr;
    int rc = nmshim_header(&hdr, NMSHIM_REQ(VALE_LIST), name, &list, msg, msg_size);
    if (rc == 0)
        rc = nmshim_send(device_path, &hdr, sizeof(list), "vale list", NULL, stage, msg, msg_size);
    if (rc != 0)
        return rc;
    *bridge_idx = list.nr_bridge_idx;
    *port_idx = list.nr_port_idx;
    memcpy(name, hdr.nr_name, NMSHIM_PORT_NAME_SIZE);
    name[NMSHIM_PORT_NAME_SIZE - 1] = '\0';
    return 0;
}

static int nmshim_hdr_request(const char *device_path, const char *name, uint16_t type, uint32_t *hdr_len,
                              int32_t *stage, char *msg, uint32_t msg_size)
{
    nmshim_set_stage(stage, NMSHIM_STAGE_ARGS);
    NMSHIM_T(nmreq_port_hdr) body;
    memset(&body, 0, sizeof(body));
    body.nr_hdr_len = *hdr_len;
    nmshim_hdr hdr;
    int rc = nmshim_header(&hdr, type, name, &body, msg, msg_size);
    if (rc == 0)
        rc = nmshim_send(device_path, &hdr, sizeof(body), type == NMSHIM_REQ(PORT_HDR_GET) ? "header get" : "header set",
                         NULL, stage, msg, msg_size);
    if (rc == 0)
        *hdr_len = body.nr_hdr_len;
    return rc;
}

NMSHIM_EXPORT int32_t nmshim_port_hdr_get(const char *device_path, const char *name, uint32_t *hdr_len,
                                          int32_t *stage, char *msg, uint32_t msg_size)
{
    if (hdr_len == NULL) {
        nmshim_set_stage(stage, NMSHIM_STAGE_ARGS);
        nmshim_message(msg, msg_size, "nmshim_port_hdr_get needs hdr_len");
        return -EINVAL;
    }
    *hdr_len = 0;
    return nmshim_hdr_request(device_path, name, NMSHIM_REQ(PORT_HDR_GET), hdr_len, stage, msg, msg_size);
}

NMSHIM_EXPORT int32_t nmshim_port_hdr_set(const char *device_path, const char *name, uint32_t hdr_len,
                                          int32_t *stage, char *msg, uint32_t msg_size)
{
    return nmshim_hdr_request(device_path, name, NMSHIM_REQ(PORT_HDR_SET), &hdr_len, stage, msg, msg_size);
}

NMSHIM_EXPORT int32_t nmshim_pools_info(const char *device_path, const char *name, uint16_t mem_id,
                                        struct nmshim_pools_reply *out, int32_t *stage, char *msg, uint32_t msg_size)
{
    nmshim_set_stage(stage, NMSHIM_STAGE_ARGS);
    if (out == NULL || out->size < sizeof(*out)) {
        nmshim_message(msg, msg_size, "a pools reply of at least %u bytes is required", (unsigned)sizeof(*out));
        return -EINVAL;
    }
    NMSHIM_T(nmreq_pools_info) info;
    memset(&info, 0, sizeof(info));
    info.nr_mem_id = mem_id;
    nmshim_hdr hdr;
    int rc = nmshim_header(&hdr, NMSHIM_REQ(POOLS_INFO_GET), name, &info, msg, msg_size);
    if (rc == 0)
        rc = nmshim_send(device_path, &hdr, sizeof(info), "pools info", NULL, stage, msg, msg_size);
    if (rc != 0)
        return rc;
    memset(out, 0, sizeof(*out));
    out->size = sizeof(*out);
    out->mem_id = info.nr_mem_id;
    out->memsize = info.nr_memsize;
    out->if_pool_offset = info.nr_if_pool_offset;
    out->ring_pool_offset = info.nr_ring_pool_offset;
    out->buf_pool_offset = info.nr_buf_pool_offset;
    out->if_num = info.nr_if_pool_objtotal;
    out->if_size = info.nr_if_pool_objsize;
    out->ring_num = info.nr_ring_pool_objtotal;
    out->ring_size = info.nr_ring_pool_objsize;
    out->buf_num = info.nr_buf_pool_objtotal;
    out->buf_size = info.nr_buf_pool_objsize;
    return 0;
}

NMSHIM_EXPORT int32_t nmshim_vale_polling(const char *device_path, const char *name, uint32_t enable, uint32_t mode,
                                          uint32_t first_cpu, uint32_t num_cpus, int32_t *stage, char *msg,
                                          uint32_t msg_size)
{
    nmshim_set_stage(stage, NMSHIM_STAGE_ARGS);
    NMSHIM_T(nmreq_vale_polling) polling;
    memset(&polling, 0, sizeof(polling));
    if (enable) {
        polling.nr_mode = mode;
        polling.nr_first_cpu_id = first_cpu;
        polling.nr_num_polling_cpus = num_cpus;
    }
    nmshim_hdr hdr;
    int rc = nmshim_header(&hdr, enable ? NMSHIM_REQ(VALE_POLLING_ENABLE) : NMSHIM_REQ(VALE_POLLING_DISABLE), name,
                           &polling, msg, msg_size);
    if (rc == 0)
        rc = nmshim_send(device_path, &hdr, sizeof(polling), enable ? "vale polling enable" : "vale polling disable",
                         NULL, stage, msg, msg_size);
    return rc;
}
