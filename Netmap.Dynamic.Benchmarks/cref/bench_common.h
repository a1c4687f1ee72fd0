/* Timing helpers shared by the C reference benchmarks. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define RUNS 5

/* BENCH_CLOCK=cpu: time with the thread's CPU time and keep the best run instead of the median,
 * like the C# side's "cpu" mode (for a busy machine: time spent waiting for a CPU is not counted). */
static inline int cpu_clock(void)
{
    const char *clock = getenv("BENCH_CLOCK");
    return clock != NULL && clock[0] == 'c';
}

static inline double now_ns(void)
{
    struct timespec ts;
    clock_gettime(cpu_clock() ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Keeps the compiler from dropping work whose result is otherwise unused. */
static volatile uint64_t sink;

/* Median of RUNS timed runs (after one warm-up run), in ns per operation (the best with BENCH_CLOCK=cpu). */
#define MEASURE(result, ops, call)                                                                 \
    do {                                                                                           \
        double runs_[RUNS];                                                                        \
        call;                                                                                      \
        for (int r_ = 0; r_ < RUNS; r_++) {                                                        \
            double t0_ = now_ns();                                                                 \
            call;                                                                                  \
            runs_[r_] = (now_ns() - t0_) / (double)(ops);                                          \
        }                                                                                          \
        qsort(runs_, RUNS, sizeof runs_[0], compare_doubles);                                      \
        (result) = runs_[cpu_clock() ? 0 : RUNS / 2];                                              \
    } while (0)

/* MEASURE, then the line "name ns_per_op" the C# driver reads. */
#define REPORT(name, ops, call)                                                                    \
    do {                                                                                           \
        double ns_;                                                                                \
        MEASURE(ns_, ops, call);                                                                   \
        printf("%s %.3f\n", name, ns_);                                                            \
    } while (0)

/* The frame every data-plane benchmark writes: FRAME_LEN bytes of the pattern i * 7 + 1 (the
 * C# side builds the same), and the length to use, a run-time value from argv[arg] (default
 * FRAME_LEN) so that the compiler cannot fold the copies. Returns 0 when the length is invalid. */
#define FRAME_LEN 60u

static inline uint16_t bench_frame(int argc, char **argv, int arg, uint8_t frame[FRAME_LEN])
{
    unsigned long len = argc > arg ? strtoul(argv[arg], NULL, 10) : FRAME_LEN;
    for (uint32_t i = 0; i < FRAME_LEN; i++)
        frame[i] = (uint8_t)(i * 7 + 1);
    return len >= 1 && len <= FRAME_LEN ? (uint16_t)len : 0;
}

#endif
