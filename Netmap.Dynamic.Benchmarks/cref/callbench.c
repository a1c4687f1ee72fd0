/*
 * callbench: the C reference for native call overhead.
 *
 *   call-shim-noop  nmshim_version() of the shim, called through a pointer from dlsym (as the
 *                   managed function table calls it), which keeps the compiler from inlining it;
 *   call-ioctl      ioctl(NIOCTXSYNC) on /dev/null, which fails with ENOTTY: the cost of the
 *                   syscall round trip the data plane pays per sync.
 *
 * Usage: callbench SHIM_PATH [calls]
 */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "bench_common.h"

/* _IO('i', 148), as Linux encodes it. */
#define NIOCTXSYNC_LINUX 0x6994u

static void call_shim(int32_t (*fn)(void), uint64_t calls)
{
    int64_t total = 0;
    for (uint64_t i = 0; i < calls; i++)
        total += fn();
    sink = (uint64_t)total;
}

static void call_ioctl(int fd, uint64_t calls)
{
    int64_t total = 0;
    for (uint64_t i = 0; i < calls; i++)
        total += ioctl(fd, NIOCTXSYNC_LINUX, NULL);
    sink = (uint64_t)total;
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
    int fd = open("/dev/null", O_RDWR);
    if (fd < 0) {
        perror("open /dev/null");
        return 1;
    }
    double ns;
    MEASURE(ns, calls, call_shim(version, calls));
    printf("call-shim-noop %.3f\n", ns);
    uint64_t syscalls = calls / 100 > 0 ? calls / 100 : 1; /* a syscall costs ~100x a call */
    MEASURE(ns, syscalls, call_ioctl(fd, syscalls));
    printf("call-ioctl %.3f\n", ns);
    close(fd);
    dlclose(shim);
    return 0;
}
