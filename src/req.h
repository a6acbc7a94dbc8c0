/* req.h — the request and response every handler sees, built by server.c
 * (or by a test) and never tied to the HTTP library. */
#ifndef MAILLAGE_REQ_H
#define MAILLAGE_REQ_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "upload.h"

#define REQ_MAX_FIELDS 1000   /* form or query fields per request */
#define REQ_MAX_URI 32768     /* bytes of the request target (a 10,000-letter search fits) */
#define RESP_MAX_HEADERS 24

struct kv {
	const char *key;
	const char *val;
};

struct kv_list {
	struct kv *items;
	size_t n;
};

/* The logged-in account (id 0 and role ROLE_ANON when nobody is). */
struct user {
	long long id;
	const char *email;
	const char *name;
	int role;
	long long org_id;
	const char *org_name;
	long long session_id;
};

struct req {
	struct arena arena;        /* everything below lives here */
	const char *method;        /* "GET", "POST"… ("GET" for HEAD, see head) */
	bool head;
	const char *path;          /* decoded path, valid UTF-8, no NUL */
	const char *target;        /* the raw request target, for redirects */
	struct kv_list query, form, cookies, params;
	const char *host, *origin, *content_type, *if_none_match, *sec_fetch_site;
	const char *range, *if_range; /* the Range and If-Range headers, or NULL */
	const char *remote_addr;
	const char *authorization; /* the Authorization header, or NULL */
	bool bearer_refused;       /* it carried an unknown API token */
	const char *body;          /* raw body bytes (NUL-terminated copy) */
	size_t body_len;
	struct upload *files;      /* the files of a multipart form (spool files) */
	size_t nfiles;
	struct user user;
	const char *csrf;          /* the token forms must carry */
	bool csrf_new;             /* set the anonymous CSRF cookie */
};

/* A body read piece by piece instead of from resp.body (a stored file):
 * size bytes; read copies at most max bytes from pos into out and returns
 * how many (0 < n), or -1 on failure; free releases ctx once done. */
struct resp_stream {
	unsigned long long size;
	long (*read)(void *ctx, unsigned long long pos, char *out, size_t max);
	void (*free)(void *ctx);
	void *ctx;
};

struct resp {
	int status;
	const char *content_type;
	struct buf body;
	struct resp_stream stream; /* used instead of body when read is set */
	struct kv headers[RESP_MAX_HEADERS];
	size_t nheaders;
};

/* Fills method, path and query from the raw request target; returns 0, or
 * the HTTP status to answer (400 bad encoding, 414 too long). */
int req_set_target(struct req *req, const char *method, const char *target);
/* Parses an application/x-www-form-urlencoded body into req->form (or the
 * fields of a multipart form, which server.c encodes so); 0 or 400. */
int req_parse_form(struct req *req);
/* Parses a Cookie header into req->cookies (invalid pairs are skipped). */
void req_parse_cookies(struct req *req, const char *header);
/* Returns the first query field called key, or NULL. */
const char *req_query(const struct req *req, const char *key);
/* Returns the first file of field key that came with a name, or NULL. */
struct upload *req_file(const struct req *req, const char *key);
/* Returns the first form field called key, or NULL. */
const char *req_form(const struct req *req, const char *key);
/* Returns the form field key as a row id (1 to 18 digits), or 0. */
long long req_form_id(const struct req *req, const char *key);
/* Returns the cookie called key, or NULL. */
const char *req_cookie(const struct req *req, const char *key);
/* Returns the path parameter called key (without its colon), or NULL. */
const char *req_param(const struct req *req, const char *key);
/* Frees everything the request holds, its spool files removed. */
void req_free(struct req *req);

/* Adds a response header; the strings must outlive the response (arena). */
void resp_header(struct resp *resp, const char *name, const char *value);
/* Returns the value of a response header already set, or NULL. */
const char *resp_get_header(const struct resp *resp, const char *name);
/* Sets a redirect to location with the given 3xx status; returns it. */
int resp_redirect(struct req *req, struct resp *resp, int status, const char *location);
/* Tells whether resp's body carries req's CSRF token (a page with a form
 * made for this visitor). */
bool resp_carries_csrf(const struct req *req, const struct resp *resp);
/* Frees the response body (and its stream's context). */
void resp_free(struct resp *resp);

#endif
