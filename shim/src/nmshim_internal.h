/*
 * nmshim_internal.h (private): helpers shared by the shim's source files. Hidden like everything
 * that is not in nmshim.map.
 */
#ifndef NMSHIM_INTERNAL_H
#define NMSHIM_INTERNAL_H

#include <stdint.h>

#define NMSHIM_EXPORT __attribute__((visibility("default")))

#define NMSHIM_DEFAULT_DEVICE "/dev/netmap"

/* Writes a message into the caller's buffer, always NUL-terminated; NULL/0 means no message. */
__attribute__((format(printf, 3, 4)))
void nmshim_message(char *msg, uint32_t msg_size, const char *fmt, ...);

/* Symbolic errno names for messages (strerror is not thread-safe, strerror_r is not portable). */
const char *nmshim_errno_name(int error);

#endif /* NMSHIM_INTERNAL_H */
