/*
 * pipebench: the C reference for the fake backend's pipe round trip.
 *
 * The same emulation as Netmap.Dynamic's FakeNetmapBackend, written in C: two pipe ends in one
 * region, each ring with the kernel's private state (hwcur, hwtail, rhead, rcur, rtail), slot
 * arrays pre-paired (TX ring of one end and RX ring of the other start with the same buffer
 * indexes), the txsync/rxsync prologues that validate head and cur, netmap_pipe_txsync (copy
 * the 16-byte slots to the peer and publish) and netmap_pipe_rxsync (take the published tail,
 * hand released slots back), each sync under the pipe's lock as in the fake.
 *
 * One round: write up to BATCH 60-byte frames on end A's TX ring, TX sync A, RX sync B, read
 * every frame B got (check its length, sum its first byte), release them. The frame length is a
 * run-time value, as in the C# benchmark. Prints "pipe-roundtrip ns_per_frame".
 * Usage: pipebench [frames] [frame_len]
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nmshim_abi.h"
#include "bench_common.h"

#define NUM_SLOTS 1024u
#define BUF_SIZE 2048u
#define BATCH 256u
#define NS_BUF_CHANGED 0x0001u
#define NS_MOREFRAG 0x0020u
#define RING_BYTES (sizeof(struct nmabi_netmap_ring) + NUM_SLOTS * sizeof(struct nmabi_netmap_slot))

struct kring {
    struct nmabi_netmap_ring *ring;
    struct kring *peer;      /* my TX <-> its RX */
    uint32_t hwcur, hwtail, rhead, rcur, rtail;
    uint32_t pipe_tail;      /* the tail the peer last published for me */
};

static pthread_mutex_t pipe_lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t nxt(uint32_t i) { return i + 1 == NUM_SLOTS ? 0 : i + 1; }
static uint32_t prv(uint32_t i) { return i == 0 ? NUM_SLOTS - 1 : i - 1; }

static void init_kring(struct kring *k, struct nmabi_netmap_ring *ring, int is_tx)
{
    uint32_t tail = is_tx ? NUM_SLOTS - 1 : 0;
    k->ring = ring;
    ring->head = ring->cur = 0;
    ring->tail = tail;
    k->hwcur = k->rhead = k->rcur = 0;
    k->hwtail = k->rtail = k->pipe_tail = tail;
}

/* nm_txsync_prologue */
static int tx_prologue(struct kring *k)
{
    uint32_t head = k->ring->head, cur = k->ring->cur;
    if (k->rtail >= NUM_SLOTS)
        return 0;
    if (k->rtail >= k->rhead) {
        if (head < k->rhead || head > k->rtail || cur < head || cur > k->rtail)
            return 0;
    } else {
        if (head > k->rtail && head < k->rhead)
            return 0;
        if (head <= k->rtail) {
            if (cur < head || cur > k->rtail)
                return 0;
        } else if (cur > k->rtail && cur < head) {
            return 0;
        }
    }
    if (k->ring->tail != k->rtail)
        k->ring->tail = k->rtail;
    k->rhead = head;
    k->rcur = cur;
    return 1;
}

/* nm_rxsync_prologue */
static int rx_prologue(struct kring *k)
{
    uint32_t cur = k->rcur = k->ring->cur;
    uint32_t head = k->rhead = k->ring->head;
    int ok;
    if (k->hwcur <= k->hwtail)
        ok = head >= k->hwcur && head <= k->hwtail && cur >= head && cur <= k->hwtail;
    else
        ok = !(head < k->hwcur && head > k->hwtail) &&
             (head <= k->hwtail ? cur >= head && cur <= k->hwtail : !(cur < head && cur > k->hwtail));
    if (ok && k->ring->tail != k->rtail)
        k->ring->tail = k->rtail;
    return ok;
}

static void finalize(struct kring *k) { k->ring->tail = k->rtail = k->hwtail; }

/* netmap_pipe_txsync */
static void pipe_txsync(struct kring *tx)
{
    struct kring *rx = tx->peer;
    uint32_t k = tx->hwcur, published = UINT32_MAX;
    tx->hwtail = tx->pipe_tail;
    while (k != tx->rhead) {
        struct nmabi_netmap_slot *ts = &tx->ring->slot[k];
        rx->ring->slot[k] = *ts;
        ts->flags &= (uint16_t)~NS_BUF_CHANGED;
        int complete = (ts->flags & NS_MOREFRAG) == 0;
        k = nxt(k);
        if (complete)
            published = k;
    }
    tx->hwcur = k;
    if (published != UINT32_MAX)
        rx->pipe_tail = published;
}

/* netmap_pipe_rxsync */
static void pipe_rxsync(struct kring *rx)
{
    struct kring *tx = rx->peer;
    uint32_t k = rx->hwcur;
    rx->hwtail = rx->pipe_tail;
    if (k == rx->rhead)
        return;
    while (k != rx->rhead) {
        struct nmabi_netmap_slot *rs = &rx->ring->slot[k];
        if (rs->flags & NS_BUF_CHANGED) {
            tx->ring->slot[k] = *rs;
            rs->flags &= (uint16_t)~NS_BUF_CHANGED;
        }
        k = nxt(k);
    }
    tx->pipe_tail = prv(k);
    rx->hwcur = k;
}

static void txsync(struct kring *k)
{
    pthread_mutex_lock(&pipe_lock);
    if (tx_prologue(k)) {
        pipe_txsync(k);
        finalize(k);
    }
    pthread_mutex_unlock(&pipe_lock);
}

static void rxsync(struct kring *k)
{
    pthread_mutex_lock(&pipe_lock);
    (void)rx_prologue(k); /* a real reinit is never needed in this loop */
    pipe_rxsync(k);
    finalize(k);
    pthread_mutex_unlock(&pipe_lock);
}

static uint8_t *buffer(const struct nmabi_netmap_ring *ring, uint32_t buf_idx)
{
    return (uint8_t *)ring + ring->buf_ofs + (uint64_t)buf_idx * ring->nr_buf_size;
}

static void roundtrip(struct kring *a_tx, struct kring *b_rx, const uint8_t *frame, uint16_t frame_len, uint64_t frames)
{
    uint64_t sent = 0, received = 0, total = 0;
    while (received < frames) {
        struct nmabi_netmap_ring *tx = a_tx->ring;
        uint32_t n = 0;
        while (n < BATCH && sent < frames && tx->head != tx->tail) {
            uint32_t i = tx->head;
            memcpy(buffer(tx, tx->slot[i].buf_idx), frame, frame_len);
            tx->slot[i].len = frame_len;
            tx->head = tx->cur = nxt(i);
            n++;
            sent++;
        }
        txsync(a_tx);
        rxsync(b_rx);
        struct nmabi_netmap_ring *rx = b_rx->ring;
        while (rx->head != rx->tail) {
            uint32_t i = rx->head;
            if (rx->slot[i].len != frame_len)
                abort();
            total += buffer(rx, rx->slot[i].buf_idx)[0];
            rx->head = rx->cur = nxt(i);
            received++;
        }
    }
    sink = total;
}

int main(int argc, char **argv)
{
    uint64_t frames = argc > 1 ? strtoull(argv[1], NULL, 10) : 50000000ull;
    if (frames == 0) {
        fprintf(stderr, "usage: pipebench [frames > 0]\n");
        return 2;
    }
    /* Four rings (A tx, A rx, B tx, B rx) then one pool: indexes 0 and 1 reserved, each
     * pre-paired ring pair owns NUM_SLOTS buffers. */
    size_t pool_bufs = 2 + 2 * NUM_SLOTS;
    size_t total = 4 * RING_BYTES + pool_bufs * BUF_SIZE;
    uint8_t *memory = aligned_alloc(4096, (total + 4095) & ~(size_t)4095);
    if (memory == NULL) {
        perror("aligned_alloc");
        return 1;
    }
    memset(memory, 0, total);
    struct kring k[4];
    for (uint32_t r = 0; r < 4; r++) {
        struct nmabi_netmap_ring *ring = (struct nmabi_netmap_ring *)(memory + r * RING_BYTES);
        ring->buf_ofs = (int64_t)((4 - r) * RING_BYTES);
        ring->num_slots = NUM_SLOTS;
        ring->nr_buf_size = BUF_SIZE;
        uint32_t pair = r == 0 || r == 3 ? 0 : 1; /* A tx + B rx share pair 0, B tx + A rx pair 1 */
        for (uint32_t i = 0; i < NUM_SLOTS; i++) {
            ring->slot[i].buf_idx = 2 + pair * NUM_SLOTS + i;
            ring->slot[i].len = BUF_SIZE;
        }
        init_kring(&k[r], ring, r == 0 || r == 2);
    }
    k[0].peer = &k[3];
    k[3].peer = &k[0];
    k[2].peer = &k[1];
    k[1].peer = &k[2];

    uint8_t frame[FRAME_LEN];
    uint16_t frame_len = bench_frame(argc, argv, 2, frame);
    if (frame_len == 0) {
        fprintf(stderr, "frame_len must be 1..%u\n", FRAME_LEN);
        return 2;
    }
    double ns;
    MEASURE(ns, frames, roundtrip(&k[0], &k[3], frame, frame_len, frames));
    printf("pipe-roundtrip %.3f\n", ns);
    free(memory);
    return 0;
}
