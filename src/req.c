/* req.c — parsing of request targets, forms and cookies into struct req. */
#include "req.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"

/* Decodes s[0..n) into the arena, each NUL or byte that is not UTF-8
 * becoming U+FFFD: a link is read as well as it can be, never refused. */
static char *decode_lossy(struct req *req, const char *s, size_t n)
{
	char *raw = arena_alloc(&req->arena, n + 1);
	size_t rn = text_url_unescape(raw, s, n, true);
	struct buf out = {0};
	for (size_t i = 0; i < rn;) {
		unsigned cp;
		i += text_utf8_next(raw + i, rn - i, &cp);
		text_utf8_put(&out, cp ? cp : 0xFFFD);
	}
	char *val = arena_strndup(&req->arena, buf_str(&out), out.len);
	buf_free(&out);
	return val;
}

/* Splits s[0..n) at sep into decoded key=value pairs appended to list
 * (decoded lossily when lossy is set); returns 0, or 400 on bad encoding
 * or too many fields. */
static int parse_pairs(struct req *req, struct kv_list *list, const char *s, size_t n,
		       char sep, bool lossy)
{
	size_t count = 1;
	for (size_t i = 0; i < n; i++)
		count += s[i] == sep;
	if (count > REQ_MAX_FIELDS)
		return 400;
	list->items = arena_alloc(&req->arena, count * sizeof(struct kv));
	list->n = 0;
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != sep)
			continue;
		const char *p = s + start;
		size_t len = i - start;
		start = i + 1;
		if (len == 0)
			continue;
		const char *eq = memchr(p, '=', len);
		size_t klen = eq ? (size_t)(eq - p) : len;
		const char *v = eq ? eq + 1 : p + len;
		size_t vlen = eq ? len - klen - 1 : 0;
		if (lossy) {
			char *key = decode_lossy(req, p, klen);
			list->items[list->n++] = (struct kv){key, decode_lossy(req, v, vlen)};
			continue;
		}
		char *key = arena_alloc(&req->arena, klen + 1);
		char *val = arena_alloc(&req->arena, vlen + 1);
		if (text_url_decode(key, p, klen, true) < 0 || text_url_decode(val, v, vlen, true) < 0)
			return 400;
		list->items[list->n++] = (struct kv){key, val};
	}
	return 0;
}

/* Fills method, path and query from the raw request target. */
int req_set_target(struct req *req, const char *method, const char *target)
{
	size_t n = strlen(target);
	if (n > REQ_MAX_URI)
		return 414;
	req->head = strcmp(method, "HEAD") == 0;
	req->method = req->head ? "GET" : arena_strdup(&req->arena, method);
	req->target = arena_strndup(&req->arena, target, n);
	const char *q = memchr(target, '?', n);
	size_t plen = q ? (size_t)(q - target) : n;
	char *path = arena_alloc(&req->arena, plen + 1);
	if (plen == 0 || target[0] != '/' || text_url_decode(path, target, plen, false) < 0) {
		req->path = "/";
		return 400;
	}
	req->path = path;
	if (q)
		return parse_pairs(req, &req->query, q + 1, n - plen - 1, '&', true);
	return 0;
}

/* Parses an application/x-www-form-urlencoded body into req->form. */
int req_parse_form(struct req *req)
{
	const char *ct = req->content_type;
	if (!req->body_len)
		return 0;
	if (!ct || (strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0 &&
		    strncasecmp(ct, "multipart/form-data", 19) != 0))
		return 0;
	if (memchr(req->body, '\0', req->body_len))
		return 400;
	return parse_pairs(req, &req->form, req->body, req->body_len, '&', false);
}

/* Parses a Cookie header into req->cookies (invalid pairs are skipped). */
void req_parse_cookies(struct req *req, const char *header)
{
	size_t n = strlen(header), count = 1;
	for (size_t i = 0; i < n; i++)
		count += header[i] == ';';
	if (count > REQ_MAX_FIELDS)
		count = REQ_MAX_FIELDS;
	req->cookies.items = arena_alloc(&req->arena, count * sizeof(struct kv));
	req->cookies.n = 0;
	const char *p = header;
	while (*p && req->cookies.n < count) {
		while (*p == ' ' || *p == ';')
			p++;
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		if (eq && eq > p) {
			char *key = arena_strndup(&req->arena, p, (size_t)(eq - p));
			char *val = arena_strndup(&req->arena, eq + 1, len - (size_t)(eq - p) - 1);
			if (text_utf8_valid(val, strlen(val)))
				req->cookies.items[req->cookies.n++] = (struct kv){key, val};
		}
		p += len;
	}
}

/* Returns the value of the first pair called key in list, or NULL. */
static const char *find(const struct kv_list *list, const char *key)
{
	for (size_t i = 0; i < list->n; i++)
		if (strcmp(list->items[i].key, key) == 0)
			return list->items[i].val;
	return NULL;
}

/* Returns the first query field called key, or NULL. */
const char *req_query(const struct req *req, const char *key)
{
	return find(&req->query, key);
}

/* Returns the first form field called key, or NULL. */
const char *req_form(const struct req *req, const char *key)
{
	return find(&req->form, key);
}

/* Returns the first file of field key that came with a name, or NULL. */
struct upload *req_file(const struct req *req, const char *key)
{
	for (size_t i = 0; i < req->nfiles; i++)
		if (strcmp(req->files[i].field, key) == 0 && req->files[i].name[0])
			return &req->files[i];
	return NULL;
}

/* Returns the form field key as a row id (1 to 18 digits), or 0. */
long long req_form_id(const struct req *req, const char *key)
{
	const char *v = find(&req->form, key);
	return v && text_is_digits(v) ? strtoll(v, NULL, 10) : 0;
}

/* Returns the cookie called key, or NULL. */
const char *req_cookie(const struct req *req, const char *key)
{
	return find(&req->cookies, key);
}

/* Returns the path parameter called key (without its colon), or NULL. */
const char *req_param(const struct req *req, const char *key)
{
	return find(&req->params, key);
}

/* Frees everything the request holds. */
void req_free(struct req *req)
{
	for (size_t i = 0; i < req->nfiles; i++)
		upload_discard(&req->files[i]);
	arena_free(&req->arena);
}

/* Adds a response header; the strings must outlive the response (arena). */
void resp_header(struct resp *resp, const char *name, const char *value)
{
	if (resp->nheaders < RESP_MAX_HEADERS)
		resp->headers[resp->nheaders++] = (struct kv){name, value};
}

/* Returns the value of a response header already set, or NULL. */
const char *resp_get_header(const struct resp *resp, const char *name)
{
	for (size_t i = 0; i < resp->nheaders; i++)
		if (strcasecmp(resp->headers[i].key, name) == 0)
			return resp->headers[i].val;
	return NULL;
}

/* Sets a redirect to location with the given 3xx status; returns it. */
int resp_redirect(struct req *req, struct resp *resp, int status, const char *location)
{
	resp_header(resp, "Location", arena_strdup(&req->arena, location));
	resp->status = status;
	return status;
}

/* Tells whether resp's body carries req's CSRF token: a page with a form
 * made for this visitor. */
bool resp_carries_csrf(const struct req *req, const struct resp *resp)
{
	return req->csrf && *req->csrf && resp->body.len &&
	       memmem(resp->body.data, resp->body.len, req->csrf, strlen(req->csrf));
}

/* Frees the response body. */
void resp_free(struct resp *resp)
{
	buf_free(&resp->body);
	if (resp->stream.free)
		resp->stream.free(resp->stream.ctx);
	resp->stream = (struct resp_stream){0};
}
