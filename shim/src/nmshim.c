/*
 * libnetmap_shim: the C side of Netmap.Dynamic. See include/nmshim.h for the rules every
 * export follows (0 or -errno, message into the caller's buffer, no printing, no global state).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "nmshim.h"
#include "nmshim_internal.h"
#include "nmshim_netmap.h"

#if defined(NMSHIM_EXPECT_SYSTEM_HEADERS) && !NMSHIM_SYSTEM_HEADERS
#error "make check-system-path: the system <net/netmap.h> was not selected"
#endif

/* Test-only variants are built from this same file (make test-variants):
 *   NMSHIM_TEST_VERSION=N     nmshim_version() reports N;
 *   (make leaves nmshim_kernel_probe out of the export list for the variant that lacks it);
 *   NMSHIM_TEST_BAD_LAYOUT    the layout table misreports netmap_ring.head;
 *   NMSHIM_TEST_KERNEL_MIN_API=A, NMSHIM_TEST_KERNEL_MAX_API=B
 *                             nmshim_kernel_probe opens the device for real, then answers its
 *                             requests as a netmap kernel accepting API A..B would: ENXIO for the
 *                             impossible port when nr_version is in A..B, EINVAL otherwise. */
#ifdef NMSHIM_TEST_VERSION
#define NMSHIM_REPORTED_VERSION NMSHIM_TEST_VERSION
#else
#define NMSHIM_REPORTED_VERSION NMSHIM_API_VERSION
#endif

/* A name no interface can have (a space is not allowed in a Linux or FreeBSD interface name),
 * short enough for IFNAMSIZ, with none of the characters netmap gives meaning to ({ } : @ /). */
#define NMSHIM_PROBE_PORT "nmshim probe"

void nmshim_message(char *msg, uint32_t msg_size, const char *fmt, ...)
{
    if (msg == NULL || msg_size == 0)
        return;
    va_list args;
    va_start(args, fmt);
    vsnprintf(msg, msg_size, fmt, args);
    va_end(args);
}

const char *nmshim_errno_name(int error)
{
    switch (error) {
    case EPERM: return "EPERM (operation not permitted)";
    case ENOENT: return "ENOENT (no such file or directory)";
    case ENXIO: return "ENXIO (no such device or address)";
    case EACCES: return "EACCES (permission denied)";
    case EBUSY: return "EBUSY (device or resource busy)";
    case ENODEV: return "ENODEV (no such device)";
    case ENOTDIR: return "ENOTDIR (not a directory)";
    case EISDIR: return "EISDIR (is a directory)";
    case EINVAL: return "EINVAL (invalid argument)";
    case ENOTTY: return "ENOTTY (inappropriate ioctl for device)";
    case ENOMEM: return "ENOMEM (out of memory)";
    case EFAULT: return "EFAULT (bad address)";
    case EPROTO: return "EPROTO (protocol error)";
    case EBADF: return "EBADF (bad file descriptor)";
    case EEXIST: return "EEXIST (file exists)";
    case ENOSPC: return "ENOSPC (no space left)";
    case EOPNOTSUPP: return "EOPNOTSUPP (operation not supported)";
    case ENAMETOOLONG: return "ENAMETOOLONG (name too long)";
    case EMSGSIZE: return "EMSGSIZE (message too long)";
    default: return "an unexpected errno";
    }
}

NMSHIM_EXPORT int32_t nmshim_version(void)
{
    return NMSHIM_REPORTED_VERSION;
}

struct nmshim_layout_row {
    const char *struct_name;
    const char *field_name;
    uint32_t offset;
    uint32_t size;
};

#define NMSHIM_ROW_S(s) { #s, "", 0, (uint32_t)sizeof(NMSHIM_T(s)) },
#define NMSHIM_ROW_F(s, f) { #s, #f, (uint32_t)offsetof(NMSHIM_T(s), f), (uint32_t)NMSHIM_FIELD_SIZE(s, f) },
#define NMSHIM_ROW_X(s, f) { #s, #f, (uint32_t)offsetof(NMSHIM_T(s), f), 0 },

/* Read-only data, not state: two loads of the shim cannot fight over it. */
static const struct nmshim_layout_row nmshim_layout[] = {
    NMSHIM_LAYOUT(NMSHIM_ROW_S, NMSHIM_ROW_F, NMSHIM_ROW_X)
};

#define NMSHIM_LAYOUT_ROWS ((uint32_t)(sizeof(nmshim_layout) / sizeof(nmshim_layout[0])))

static void nmshim_copy_name(char *dst, const char *src)
{
    size_t n = strlen(src);
    if (n >= NMSHIM_NAME_SIZE)
        n = NMSHIM_NAME_SIZE - 1;
    memset(dst, 0, NMSHIM_NAME_SIZE);
    memcpy(dst, src, n);
}

NMSHIM_EXPORT int32_t nmshim_describe(struct nmshim_description *out, struct nmshim_layout_entry *entries,
                                      uint32_t capacity, uint32_t *count, char *msg, uint32_t msg_size)
{
    if (out == NULL || count == NULL || (entries == NULL && capacity != 0)) {
        nmshim_message(msg, msg_size, "nmshim_describe: out and count are required");
        return -EINVAL;
    }
    if (out->size < sizeof(*out)) {
        nmshim_message(msg, msg_size, "nmshim_describe: the caller's description is %u bytes, this shim needs %u",
                       (unsigned)out->size, (unsigned)sizeof(*out));
        return -EINVAL;
    }

    memset(out, 0, sizeof(*out));
    out->size = sizeof(*out);
    out->shim_version = NMSHIM_REPORTED_VERSION;
    out->netmap_api = NMSHIM_NETMAP_API;
    out->netmap_min_api = NMSHIM_NETMAP_MIN_API;
    out->netmap_max_api = NMSHIM_NETMAP_MAX_API;
    out->system_headers = NMSHIM_SYSTEM_HEADERS;
    out->layout_count = NMSHIM_LAYOUT_ROWS;
    out->nioc_ctrl = (uint64_t)(unsigned long)NMSHIM_NIOCCTRL;
    out->nioc_txsync = (uint64_t)(unsigned long)NMSHIM_NIOCTXSYNC;
    out->nioc_rxsync = (uint64_t)(unsigned long)NMSHIM_NIOCRXSYNC;
    *count = NMSHIM_LAYOUT_ROWS;

    if (capacity < NMSHIM_LAYOUT_ROWS) {
        nmshim_message(msg, msg_size, "nmshim_describe: the layout table has %u rows, the caller has room for %u",
                       (unsigned)NMSHIM_LAYOUT_ROWS, (unsigned)capacity);
        return -ENOSPC;
    }
    for (uint32_t i = 0; i < NMSHIM_LAYOUT_ROWS; i++) {
        nmshim_copy_name(entries[i].struct_name, nmshim_layout[i].struct_name);
        nmshim_copy_name(entries[i].field_name, nmshim_layout[i].field_name);
        entries[i].offset = nmshim_layout[i].offset;
        entries[i].size = nmshim_layout[i].size;
#ifdef NMSHIM_TEST_BAD_LAYOUT
        if (strcmp(nmshim_layout[i].struct_name, "netmap_ring") == 0 && strcmp(nmshim_layout[i].field_name, "head") == 0)
            entries[i].offset += 4;
#endif
    }
    nmshim_message(msg, msg_size, "netmap API %u (%s headers), %u layout rows",
                   (unsigned)NMSHIM_NETMAP_API, NMSHIM_SYSTEM_HEADERS ? "system" : "bundled",
                   (unsigned)NMSHIM_LAYOUT_ROWS);
    return 0;
}

/* How many API versions above ours the probe tries when the kernel rejects ours. */
#define NMSHIM_API_SCAN 16

/* Room for the request body: more than any port-info body a kernel of another API could copy in. */
#define NMSHIM_PROBE_BODY_SIZE 1024

/* Sends NIOCCTRL NETMAP_REQ_PORT_INFO_GET for NMSHIM_PROBE_PORT with the given nr_version;
 * returns 0 when the device accepts it, else the errno. */
static int nmshim_port_info_probe(int fd, uint16_t version)
{
    union {
        NMSHIM_T(nmreq_port_info_get) info;
        uint8_t room[NMSHIM_PROBE_BODY_SIZE];
    } body;
    NMSHIM_T(nmreq_header) hdr;
    memset(&body, 0, sizeof(body));
    memset(&hdr, 0, sizeof(hdr));
    hdr.nr_version = version;
    hdr.nr_reqtype = NMSHIM_REQ(PORT_INFO_GET);
    memcpy(hdr.nr_name, NMSHIM_PROBE_PORT, sizeof(NMSHIM_PROBE_PORT));
    hdr.nr_body = (uint64_t)(uintptr_t)&body;
#if defined(NMSHIM_TEST_KERNEL_MIN_API) && defined(NMSHIM_TEST_KERNEL_MAX_API)
    (void)fd;
    (void)&hdr;
    return version >= NMSHIM_TEST_KERNEL_MIN_API && version <= NMSHIM_TEST_KERNEL_MAX_API ? ENXIO : EINVAL;
#else
    return ioctl(fd, NMSHIM_NIOCCTRL, &hdr) < 0 ? errno : 0;
#endif
}

NMSHIM_EXPORT int32_t nmshim_kernel_probe(const char *device_path, struct nmshim_kernel_probe_result *out,
                                          char *msg, uint32_t msg_size)
{
    if (out == NULL || out->size < sizeof(*out)) {
        nmshim_message(msg, msg_size, "nmshim_kernel_probe: a result of at least %u bytes is required",
                       (unsigned)sizeof(*out));
        return -EINVAL;
    }
    const char *path = device_path != NULL && device_path[0] != '\0' ? device_path : NMSHIM_DEFAULT_DEVICE;

    memset(out, 0, sizeof(*out));
    out->size = sizeof(*out);
    out->api_sent = NMSHIM_NETMAP_API;
    out->stage = NMSHIM_PROBE_STAGE_OPEN;

    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        int error = errno;
        out->error = error;
        nmshim_message(msg, msg_size, "open(%s) failed: %s", path, nmshim_errno_name(error));
        return -error;
    }

    out->stage = NMSHIM_PROBE_STAGE_IOCTL;
    int error = nmshim_port_info_probe(fd, NMSHIM_NETMAP_API);
    uint32_t accepted = 0;
    if (error == EINVAL) {
        /* A netmap kernel rejects an nr_version outside its range and does not say which it wants:
         * ask with the next versions (the header is the same for every API >= 14) to find out. */
        for (uint32_t v = NMSHIM_NETMAP_API + 1; v <= NMSHIM_NETMAP_API + NMSHIM_API_SCAN && accepted == 0; v++) {
            if (nmshim_port_info_probe(fd, (uint16_t)v) == ENXIO)
                accepted = v;
        }
    }
    int rc = error == 0 ? 0 : -1;
    close(fd);
    out->error = error;

    if (rc == 0) {
        /* Nothing netmap-like answers success for a port that cannot exist. */
        out->error = EPROTO;
        nmshim_message(msg, msg_size,
                       "%s accepted a netmap request for a port that cannot exist: it does not behave like netmap",
                       path);
        return -EPROTO;
    }
    switch (error) {
    case ENXIO:
        /* "No such port": the kernel parsed our request, so it speaks our API version. */
        out->kernel_api = NMSHIM_NETMAP_API;
        nmshim_message(msg, msg_size, "%s speaks netmap API %u", path, (unsigned)NMSHIM_NETMAP_API);
        return 0;
    case EINVAL:
        out->kernel_api = accepted;
        if (accepted != 0)
            nmshim_message(msg, msg_size, "%s rejects netmap API %u (EINVAL) and accepts API %u", path,
                           (unsigned)NMSHIM_NETMAP_API, (unsigned)accepted);
        else
            nmshim_message(msg, msg_size,
                           "%s rejects netmap API %u through %u with EINVAL (a netmap kernel logs 'API mismatch: got %u need N')",
                           path, (unsigned)NMSHIM_NETMAP_API, (unsigned)(NMSHIM_NETMAP_API + NMSHIM_API_SCAN),
                           (unsigned)NMSHIM_NETMAP_API);
        return -EINVAL;
    case ENOTTY:
        nmshim_message(msg, msg_size, "%s is not a netmap device: the netmap request failed with %s", path,
                       nmshim_errno_name(error));
        return -ENOTTY;
    default:
        nmshim_message(msg, msg_size, "%s answered the netmap request with %s (errno %d)", path,
                       nmshim_errno_name(error), error);
        return -error;
    }
}
