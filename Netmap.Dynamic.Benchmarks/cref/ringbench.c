/*
 * ringbench: the C reference for Netmap.Dynamic's data-plane benchmarks.
 *
 * It does the very same work as the C# benchmarks, on the very same memory layout (a netmap
 * ring header of 256 bytes, 1024 slots of 16 bytes after it, 2048-byte buffers addressed by
 * buf_idx from ring + buf_ofs), so that each C# figure can be divided by a C figure measured
 * in the same run on the same machine. Output: one line per case, "name ns_per_frame".
 *
 *   tx-fill   write a 60-byte frame into the slot at head, set len, advance head/cur (the
 *             length is a run-time value, as in the C# benchmark and in any real generator,
 *             so the compiler cannot turn the copy into a few fixed moves);
 *             when the ring is full the "kernel" hands every slot back (tail = head - 1).
 *   rx-drain  read the frame at head, sum every byte (ones' complement 16-bit), advance;
 *             when the ring is empty the "kernel" refills it (tail = head - 1).
 *   tx-len    netmap pkt-gen's default TX work: the buffers already hold the frame, so per slot
 *             only flags and len are written; head/cur once per burst of 512 (pkt-gen's default).
 *   rx-count  netmap pkt-gen's default RX work: per slot read len and flags (bytes and complete
 *             frames counted); head/cur once per burst of 512.
 *   forward   swap buf_idx between the RX slot and the TX slot, copy len, set NS_BUF_CHANGED
 *             on both, advance both rings; reset both when either runs out.
 *
 * Usage: ringbench [case] [frames] [frame_len]   (default: every case, 100,000,000 frames, 60 B)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nmshim_abi.h"
#include "bench_common.h"

#define NUM_SLOTS 1024u
#define BUF_SIZE 2048u
#define NS_BUF_CHANGED 0x0001u
#define NS_MOREFRAG 0x0020u

/* Two rings and one buffer pool in one region, as netmap lays them out: each ring's header
 * (256 bytes) and slots, then the pool; every ring's buf_ofs points at the same pool, so a
 * buffer index means the same buffer on either ring and a zero-copy swap stays valid. Buffer
 * indexes 0 and 1 are reserved; slot i of ring r starts with buffer 2 + r * NUM_SLOTS + i. */
#define RING_BYTES (sizeof(struct nmabi_netmap_ring) + NUM_SLOTS * sizeof(struct nmabi_netmap_slot))
#define POOL_BUFS (2 + 2 * NUM_SLOTS)

struct region {
    uint8_t *memory;
    struct nmabi_netmap_ring *ring[2];
};

static uint32_t next_slot(const struct nmabi_netmap_ring *ring, uint32_t i)
{
    return i + 1 == ring->num_slots ? 0 : i + 1;
}

static uint32_t space(const struct nmabi_netmap_ring *ring)
{
    int64_t s = (int64_t)ring->tail - (int64_t)ring->head;
    return (uint32_t)(s < 0 ? s + ring->num_slots : s);
}

static uint8_t *buffer(const struct nmabi_netmap_ring *ring, uint32_t buf_idx)
{
    return (uint8_t *)ring + ring->buf_ofs + (uint64_t)buf_idx * ring->nr_buf_size;
}

static struct region make_region(void)
{
    size_t total = 2 * RING_BYTES + (size_t)POOL_BUFS * BUF_SIZE;
    struct region region = { aligned_alloc(4096, (total + 4095) & ~(size_t)4095), { NULL, NULL } };
    if (region.memory == NULL) {
        perror("aligned_alloc");
        exit(1);
    }
    memset(region.memory, 0, total);
    for (uint32_t r = 0; r < 2; r++) {
        struct nmabi_netmap_ring *ring = (struct nmabi_netmap_ring *)(region.memory + r * RING_BYTES);
        ring->buf_ofs = (int64_t)((2 - r) * RING_BYTES);
        ring->num_slots = NUM_SLOTS;
        ring->nr_buf_size = BUF_SIZE;
        for (uint32_t i = 0; i < NUM_SLOTS; i++) {
            ring->slot[i].buf_idx = 2 + r * NUM_SLOTS + i;
            ring->slot[i].len = BUF_SIZE;
        }
        region.ring[r] = ring;
    }
    return region;
}

static void tx_fill(struct nmabi_netmap_ring *tx, const uint8_t *frame, uint16_t frame_len, uint64_t frames)
{
    for (uint64_t n = 0; n < frames; n++) {
        if (space(tx) == 0)
            tx->tail = tx->head == 0 ? tx->num_slots - 1 : tx->head - 1; /* kernel completes all */
        uint32_t i = tx->head;
        struct nmabi_netmap_slot *slot = &tx->slot[i];
        memcpy(buffer(tx, slot->buf_idx), frame, frame_len);
        slot->len = frame_len;
        tx->head = tx->cur = next_slot(tx, i);
    }
}

#define BURST 512u

/* The size of the next burst of a batch loop: up to BURST of the slots the user owns, and no more
 * than are left to do; when the user owns none, the "kernel" first hands every slot over
 * (tail = head - 1), as in the per-frame cases. */
static uint32_t next_burst(struct nmabi_netmap_ring *ring, uint64_t left)
{
    if (space(ring) == 0)
        ring->tail = ring->head == 0 ? ring->num_slots - 1 : ring->head - 1;
    uint32_t burst = space(ring) < BURST ? space(ring) : BURST;
    return burst > left ? (uint32_t)left : burst;
}

static void tx_len(struct nmabi_netmap_ring *tx, uint16_t frame_len, uint64_t frames)
{
    for (uint64_t n = 0; n < frames;) {
        uint32_t burst = next_burst(tx, frames - n), head = tx->head;
        for (uint32_t k = 0; k < burst; k++) {
            struct nmabi_netmap_slot *slot = &tx->slot[head];
            slot->flags = 0;
            slot->len = frame_len;
            head = next_slot(tx, head);
        }
        tx->head = tx->cur = head;
        n += burst;
    }
}

static void rx_count(struct nmabi_netmap_ring *rx, uint64_t frames)
{
    uint64_t bytes = 0, complete = 0;
    for (uint64_t n = 0; n < frames;) {
        uint32_t burst = next_burst(rx, frames - n), head = rx->head;
        for (uint32_t k = 0; k < burst; k++) {
            const struct nmabi_netmap_slot *slot = &rx->slot[head];
            bytes += slot->len;
            if (!(slot->flags & NS_MOREFRAG))
                complete++;
            head = next_slot(rx, head);
        }
        rx->head = rx->cur = head;
        n += burst;
    }
    sink = bytes + complete;
}

static uint32_t checksum(const uint8_t *data, uint32_t len)
{
    uint32_t sum = 0;
    uint32_t i = 0;
    for (; i + 1 < len; i += 2)
        sum += (uint32_t)data[i] << 8 | data[i + 1];
    if (i < len)
        sum += (uint32_t)data[i] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return sum;
}

static void rx_drain(struct nmabi_netmap_ring *rx, uint64_t frames)
{
    uint64_t total = 0;
    for (uint64_t n = 0; n < frames; n++) {
        if (space(rx) == 0)
            rx->tail = rx->head == 0 ? rx->num_slots - 1 : rx->head - 1; /* kernel delivers a ring full */
        uint32_t i = rx->head;
        const struct nmabi_netmap_slot *slot = &rx->slot[i];
        total += checksum(buffer(rx, slot->buf_idx), slot->len);
        rx->head = rx->cur = next_slot(rx, i);
    }
    sink = total;
}

static void forward(struct nmabi_netmap_ring *rx, struct nmabi_netmap_ring *tx, uint64_t frames)
{
    for (uint64_t n = 0; n < frames; n++) {
        if (space(rx) == 0)
            rx->tail = rx->head == 0 ? rx->num_slots - 1 : rx->head - 1;
        if (space(tx) == 0)
            tx->tail = tx->head == 0 ? tx->num_slots - 1 : tx->head - 1;
        uint32_t r = rx->head, t = tx->head;
        struct nmabi_netmap_slot *rs = &rx->slot[r], *ts = &tx->slot[t];
        uint32_t idx = ts->buf_idx;
        ts->buf_idx = rs->buf_idx;
        rs->buf_idx = idx;
        ts->len = rs->len;
        ts->flags |= NS_BUF_CHANGED;
        rs->flags |= NS_BUF_CHANGED;
        rx->head = rx->cur = next_slot(rx, r);
        tx->head = tx->cur = next_slot(tx, t);
    }
}

int main(int argc, char **argv)
{
    const char *which = argc > 1 ? argv[1] : "all";
    uint64_t frames = argc > 2 ? strtoull(argv[2], NULL, 10) : 100000000ull;
    if (frames == 0) {
        fprintf(stderr, "usage: ringbench [all|tx-fill|rx-drain|tx-len|rx-count|forward] [frames > 0] [frame_len]\n");
        return 2;
    }

    uint8_t frame[FRAME_LEN];
    uint16_t frame_len = bench_frame(argc, argv, 3, frame);
    if (frame_len == 0) {
        fprintf(stderr, "frame_len must be 1..%u\n", FRAME_LEN);
        return 2;
    }

    struct region region = make_region();
    struct nmabi_netmap_ring *rx = region.ring[0], *tx = region.ring[1];
    for (uint32_t i = 2; i < POOL_BUFS; i++)
        memcpy(buffer(rx, i), frame, FRAME_LEN);
    for (uint32_t i = 0; i < NUM_SLOTS; i++)
        rx->slot[i].len = FRAME_LEN;
    int all = strcmp(which, "all") == 0;
    if (all || strcmp(which, "tx-fill") == 0)
        REPORT("tx-fill", frames, tx_fill(tx, frame, frame_len, frames));
    if (all || strcmp(which, "rx-drain") == 0)
        REPORT("rx-drain", frames, rx_drain(rx, frames));
    if (all || strcmp(which, "tx-len") == 0)
        REPORT("tx-len", frames, tx_len(tx, frame_len, frames));
    if (all || strcmp(which, "rx-count") == 0)
        REPORT("rx-count", frames, rx_count(rx, frames));
    if (all || strcmp(which, "forward") == 0)
        REPORT("forward", frames, forward(rx, tx, frames));
    free(region.memory);
    return 0;
}
