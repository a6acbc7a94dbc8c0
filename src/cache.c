/* cache.c — finished pages for anonymous visitors, kept in memory: a
 * fixed table of slots chosen by a hash of the request target, each page
 * stamped with the database generation it was made under (db_generation)
 * and served again only while that generation holds and for at most
 * CACHE_TTL seconds (pages speak of « today »). Pages that carry a form
 * token or set a cookie are never kept. */
#include "cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "auth.h"
#include "db.h"
#include "mem.h"

#define CACHE_SLOTS 512
#define CACHE_TTL 30                  /* seconds */
#define CACHE_MAX_PAGE (256u << 10)   /* bytes of one page */
#define CACHE_MAX_BYTES (16u << 20)   /* bytes of all pages */
#define CACHE_MAX_HEADERS 4

/* One kept page. */
struct entry {
	char *target;
	long long stamp;
	time_t expires;
	char *content_type;
	struct buf body;
	struct kv headers[CACHE_MAX_HEADERS];
	size_t nheaders;
};

static struct entry slots[CACHE_SLOTS];
static size_t bytes; /* of all bodies kept */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_bool enabled = true;
static atomic_llong hits, misses;

/* Empties a slot. */
static void entry_clear(struct entry *e)
{
	bytes -= e->body.len;
	free(e->target);
	free(e->content_type);
	buf_free(&e->body);
	for (size_t i = 0; i < e->nheaders; i++) {
		free((char *)e->headers[i].key);
		free((char *)e->headers[i].val);
	}
	memset(e, 0, sizeof(*e));
}

/* Turns the cache off or on, forgetting every page kept. */
void cache_enable(bool on)
{
	pthread_mutex_lock(&lock);
	atomic_store(&enabled, on);
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		entry_clear(&slots[i]);
	pthread_mutex_unlock(&lock);
}

/* Counts the pages served from the cache and made for it. */
void cache_stats(long long *hit, long long *miss)
{
	*hit = atomic_load(&hits);
	*miss = atomic_load(&misses);
}

/* Returns the slot of a request target (FNV-1a). */
static struct entry *slot(const char *target)
{
	unsigned long h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)target; *p; p++)
		h = (h ^ *p) * 16777619u;
	return &slots[h % CACHE_SLOTS];
}

/* Tells whether req is one the cache answers: an anonymous GET (or HEAD). */
static bool eligible(const struct req *req)
{
	return atomic_load(&enabled) && req->user.id == 0 && req->user.role == ROLE_ANON &&
	       !req->authorization && strcmp(req->method, "GET") == 0 && req->target;
}

/* Serves req from the cache into resp when a fresh page is kept. */
bool cache_get(struct req *req, struct resp *resp, long long *stamp)
{
	*stamp = -1;
	if (!eligible(req))
		return false;
	long long now = db_generation();
	bool hit = false;
	pthread_mutex_lock(&lock);
	struct entry *e = slot(req->target);
	if (e->target && e->stamp == now && e->expires > time(NULL) &&
	    strcmp(e->target, req->target) == 0) {
		resp->status = 200;
		resp->content_type = arena_strdup(&req->arena, e->content_type);
		buf_reset(&resp->body);
		buf_append(&resp->body, e->body.data, e->body.len);
		for (size_t i = 0; i < e->nheaders; i++)
			resp_header(resp, arena_strdup(&req->arena, e->headers[i].key),
				    arena_strdup(&req->arena, e->headers[i].val));
		hit = true;
	}
	pthread_mutex_unlock(&lock);
	atomic_fetch_add(hit ? &hits : &misses, 1);
	*stamp = now;
	return hit;
}

/* Tells whether resp may be kept for any anonymous visitor of req. */
static bool keepable(const struct req *req, const struct resp *resp)
{
	if (resp->status != 200 || resp->body.len > CACHE_MAX_PAGE ||
	    resp->nheaders > CACHE_MAX_HEADERS || resp_get_header(resp, "Set-Cookie"))
		return false;
	return !resp_carries_csrf(req, resp); /* a page with this visitor's form token */
}

/* Keeps resp, made for req under stamp, when it may serve others. */
void cache_put(const struct req *req, const struct resp *resp, long long stamp)
{
	if (stamp < 0 || !keepable(req, resp))
		return;
	pthread_mutex_lock(&lock);
	struct entry *e = slot(req->target);
	entry_clear(e);
	if (bytes + resp->body.len <= CACHE_MAX_BYTES) {
		e->target = mem_strdup(req->target);
		e->stamp = stamp;
		e->expires = time(NULL) + CACHE_TTL;
		e->content_type = mem_strdup(resp->content_type);
		buf_append(&e->body, resp->body.data, resp->body.len);
		for (size_t i = 0; i < resp->nheaders; i++)
			e->headers[e->nheaders++] = (struct kv){mem_strdup(resp->headers[i].key),
								mem_strdup(resp->headers[i].val)};
		bytes += e->body.len;
	}
	pthread_mutex_unlock(&lock);
}
