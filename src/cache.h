/* cache.h — the pages anonymous visitors read most, kept in memory once
 * made: any committed change to the database (from this server or from
 * another process) forgets them all, and none is older than 30 seconds. */
#ifndef MAILLAGE_CACHE_H
#define MAILLAGE_CACHE_H

#include <stdbool.h>

#include "req.h"

/* Serves req from the cache into resp when it may (an anonymous GET of a
 * page made since the last change); true on a hit. On a miss, *stamp is
 * what cache_put needs to keep the page about to be made. */
bool cache_get(struct req *req, struct resp *resp, long long *stamp);
/* Keeps resp, made for req after cache_get missed with stamp, when it is
 * a 200 meant for any anonymous visitor. */
void cache_put(const struct req *req, const struct resp *resp, long long stamp);
/* Turns the cache off (for --dev, where templates change under it) or on,
 * forgetting every page kept (new templates make new pages). */
void cache_enable(bool on);
/* Counts the pages served from the cache and made for it, since start. */
void cache_stats(long long *hits, long long *misses);

#endif
