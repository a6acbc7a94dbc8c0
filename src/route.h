/* route.h — the table of every URL: method, pattern, handler, minimum role. */
#ifndef MAILLAGE_ROUTE_H
#define MAILLAGE_ROUTE_H

#include <stdbool.h>
#include <stddef.h>

#include "req.h"

/* Route flags. */
#define ROUTE_STATIC 1 /* no session lookup, no CSRF cookie (assets) */
#define ROUTE_CACHE 2  /* anonymous visitors may get it from the cache */
#define ROUTE_TOKEN 4  /* an API token may read it (every other route refuses one) */
#define ROUTE_LINK 8   /* the secret in its address is the authority: a POST needs no
                          form token (a mail reader's one-click unsubscribe) */

struct route {
	const char *method;  /* "GET" (HEAD follows it) or "POST" */
	const char *pattern; /* "/meetings/:id"; :id, :nis, :slug, :file, :token are typed */
	int (*handler)(struct req *req, struct resp *resp); /* returns the HTTP status */
	int min_role;        /* enum role */
	int flags;
};

/* Answers req into resp: finds the route, checks role and CSRF, calls the
 * handler, renders error pages and adds the security headers. */
void route(struct req *req, struct resp *resp);
/* Answers req into resp, as the server sends it: when status is not 0 (a
 * request refused before routing: bad target, body too large, malformed
 * form), its error page with the security headers; else route(). */
void route_answer(struct req *req, struct resp *resp, int status);
/* Returns the route table and its length (for tests that walk it). */
const struct route *route_table(size_t *n);
/* Tells whether some route answers method on path. */
bool route_exists(const char *method, const char *path);
/* Adds the headers every response carries (CSP, nosniff, …). */
void route_security_headers(struct resp *resp);

#endif
