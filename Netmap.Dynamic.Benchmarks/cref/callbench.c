/*
 * callbench: the C reference for native call overhead.
 *
 *   call-shim-noop  nmshim_version() of the shim, called through a pointer from dlsym (as the
 *                   managed function table calls it), which keeps the compiler from inlining it;
 *   call-ioctl      ioctl(NIOCTXSYNC) on /dev/null, which fails with ENOTTY: the cost of the
 *                   syscall round trip the data plane pays per sync.
 *   call-fioclex    ioctl(FIOCLEX) on an eventfd, which succeeds in the VFS before any driver:
 *                   the syscall round trip alone (SyncCallBenchmarks' C figure).
 * With a third argument "netmap" (on a netmap host), ports are registered through the shim's
 * nmshim_port_open, as the library does, and real syncs are timed:
 *   vale-txsync     NIOCTXSYNC on a VALE port with nothing to send;
 *   pipe-rxsync     NIOCRXSYNC on a pipe end with nothing received.
 *
 * Usage: callbench SHIM_PATH [calls] [netmap]
 */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "nmshim.h"
#include "bench_common.h"

/* _IO('i', 148) and _IO('i', 149), as Linux encodes them. */
#define NIOCTXSYNC_LINUX 0x6994u
#define NIOCRXSYNC_LINUX 0x6995u
#define NR_REG_ALL_NIC 1u

typedef int32_t (*port_open_fn)(const char *, const struct nmshim_port_request *, struct nmshim_port_reply *,
                                int32_t *, char *, uint32_t);

static void call_shim(int32_t (*fn)(void), uint64_t calls)
{
    int64_t total = 0;
    for (uint64_t i = 0; i < calls; i++)
        total += fn();
    sink = (uint64_t)total;
}

static void call_request(int fd, unsigned long request, uint64_t calls)
{
    int64_t total = 0;
    for (uint64_t i = 0; i < calls; i++)
        total += ioctl(fd, request, NULL);
    sink = (uint64_t)total;
}

/* Registers NAME (a VALE port or a pipe end) through the shim; returns the fd or -1. */
static int open_port(port_open_fn port_open, const char *name)
{
    struct nmshim_port_request req;
    struct nmshim_port_reply reply;
    char msg[256];
    int32_t stage = 0;
    memset(&req, 0, sizeof req);
    memset(&reply, 0, sizeof reply);
    req.size = sizeof req;
    reply.size = sizeof reply;
    req.mode = NR_REG_ALL_NIC;
    snprintf(req.name, sizeof req.name, "%s", name);
    if (port_open(NULL, &req, &reply, &stage, msg, sizeof msg) != 0) {
        fprintf(stderr, "%s: %s\n", name, msg);
        return -1;
    }
    return reply.fd;
}

static int netmap_syncs(void *shim, uint64_t calls)
{
    port_open_fn port_open;
    *(void **)&port_open = dlsym(shim, "nmshim_port_open");
    if (port_open == NULL) {
        fprintf(stderr, "dlsym nmshim_port_open: %s\n", dlerror());
        return 1;
    }
    char vale[64], master[64], slave[64];
    snprintf(vale, sizeof vale, "vale%d:a", (int)getpid());
    snprintf(master, sizeof master, "cb%d{1", (int)getpid());
    snprintf(slave, sizeof slave, "cb%d}1", (int)getpid());
    int vfd = open_port(port_open, vale), mfd = open_port(port_open, master), sfd = open_port(port_open, slave);
    if (vfd < 0 || mfd < 0 || sfd < 0)
        return 1;
    REPORT("vale-txsync", calls, call_request(vfd, NIOCTXSYNC_LINUX, calls));
    REPORT("pipe-rxsync", calls, call_request(sfd, NIOCRXSYNC_LINUX, calls));
    close(vfd);
    close(mfd);
    close(sfd);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: callbench SHIM_PATH [calls]\n");
        return 2;
    }
    uint64_t calls = argc > 2 ? strtoull(argv[2], NULL, 10) : 100000000ull;
    void *shim = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (shim == NULL) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 1;
    }
    int32_t (*version)(void);
    *(void **)&version = dlsym(shim, "nmshim_version");
    if (version == NULL) {
        fprintf(stderr, "dlsym nmshim_version: %s\n", dlerror());
        return 1;
    }
    uint64_t syscalls = calls / 100 > 0 ? calls / 100 : 1; /* a syscall costs ~100x a call */
    if (argc > 3 && strcmp(argv[3], "netmap") == 0) {
        int rc = netmap_syncs(shim, syscalls);
        dlclose(shim);
        return rc;
    }
    int fd = open("/dev/null", O_RDWR);
    if (fd < 0) {
        perror("open /dev/null");
        return 1;
    }
    REPORT("call-shim-noop", calls, call_shim(version, calls));
    REPORT("call-ioctl", syscalls, call_request(fd, NIOCTXSYNC_LINUX, syscalls));
    int efd = eventfd(0, 0);
    REPORT("call-fioclex", syscalls, call_request(efd, FIOCLEX, syscalls));
    close(efd);
    close(fd);
    dlclose(shim);
    return 0;
}
