/* bench.h — what the benchmarks share: a seeded pseudo-random sequence (the
 * same corpus every run) and the monotonic clock. */
#ifndef MAILLAGE_BENCH_H
#define MAILLAGE_BENCH_H

#include <stdint.h>
#include <time.h>

/* Returns the next number of the sequence seeded by *state (xorshift64). */
static inline uint64_t bench_next(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* Returns seconds of the monotonic clock. */
static inline double bench_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

#endif
