/* bench.h — what the benchmarks share: a seeded pseudo-random sequence (the
 * same corpus every run), the monotonic clock, and (bench.c) the server,
 * timed requests, quantiles and wrk. */
#ifndef MAILLAGE_BENCH_H
#define MAILLAGE_BENCH_H

#include <curl/curl.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "../src/buf.h"

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

/* A running ./maillage serve. */
struct bench_server {
	pid_t pid;
	int port;
	double started; /* bench_now() when it was started */
};

/* What wrk measured. */
struct bench_wrk {
	double rps, p50_ms, p99_ms;
	int errors; /* answers other than 2xx/3xx and socket errors (timeouts too) */
};

/* Runs a shell command; 0 or -1. */
int bench_run(const char *cmd);
/* Starts ./maillage serve on db (two worker threads); 0 or -1. */
int bench_server_start(struct bench_server *s, const char *db);
/* Stops the server. */
void bench_server_stop(struct bench_server *s);
/* Returns the server's peak resident memory in MB (VmHWM), or -1. */
double bench_server_peak_mb(const struct bench_server *s);
/* GETs url (body kept when given); returns the seconds taken, exits on
 * anything but a 200. */
double bench_get(CURL *curl, const char *url, struct buf *body);
/* Sorts v[0..n) and returns its q-quantile. */
double bench_quantile(double *v, size_t n, double q);
/* Runs wrk on url (2 threads, c connections, optional Lua script); 0 or -1. */
int bench_wrk(const char *url, int c, int seconds, const char *script, struct bench_wrk *w);

/* Returns a loopback port free at the time of asking, or -1. */
int bench_free_port(void);
/* Starts nginx (two workers, no log) serving dir/static on port, ready once
 * its file probe answers; returns its pid, or -1. */
pid_t bench_nginx_start(const char *dir, int port, const char *probe);
/* Logs email in through the login form on curl (cookies kept); 0 or -1. */
int bench_login(CURL *curl, int port, const char *email, const char *password);

#endif
