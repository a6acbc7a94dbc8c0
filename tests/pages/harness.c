/* harness.c — calls route() in process against a temporary database. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <unistd.h>

#include "../../src/asset.h"
#include "../../src/auth.h"
#include "../../src/buf.h"
#include "../../src/content.h"
#include "../../src/db.h"
#include "../../src/html.h"
#include "../../src/mem.h"
#include "../../src/page.h"
#include "../../src/route.h"

static char dir[] = "/tmp/maillage-pages-XXXXXX";

/* The test accounts: email, name, role, organisation. */
static const char *const accounts[][4] = {
	{HARNESS_ADMIN, "Administration des tests", "admin", NULL},
	{HARNESS_PARTNER, "Partenaire des tests", "partner", "forem"},
	{HARNESS_MEMBER, "Membre du CPAS", "partner", "cpas-de-namur"},
	{HARNESS_BOARD, "Membre du CA", "board", NULL},
	{HARNESS_COORD, "Coordination des tests", "coordinator", "cai"},
};

/* Creates the temporary database with the network and the test accounts,
 * keeps its pristine copy, loads templates and assets; 0 or -1. */
int harness_setup(void)
{
	struct buf err = {0};
	char path[128];
	mem_init();
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/test.db", dir);
	int rc = db_open(path, true, &err) < 0 || page_init("templates", false, &err) < 0 ||
		 asset_load_dir("templates/assets", &err) < 0 ||
		 content_import_dir("content", &err) < 0 || content_demo_documents() != 0 ? -1 : 0;
	for (size_t i = 0; rc == 0 && i < sizeof(accounts) / sizeof(accounts[0]); i++)
		rc = auth_user_add(accounts[i][0], accounts[i][1], accounts[i][2], accounts[i][3],
				   PASSWORD, 0, &err) < 0 ? -1 : 0;
	snprintf(path, sizeof(path), "%s/pristine.db", dir);
	if (rc == 0)
		rc = db_backup(path, &err);
	if (rc < 0)
		fprintf(stderr, "harness: %s\n", buf_str(&err));
	buf_free(&err);
	return rc;
}

/* Puts the database back as harness_setup left it. */
void harness_fresh(void)
{
	char path[160];
	struct buf err = {0};
	snprintf(path, sizeof(path), "%s/pristine.db", dir);
	if (db_restore(path, &err) < 0) {
		fprintf(stderr, "harness: %s\n", buf_str(&err));
		abort();
	}
	buf_free(&err);
}

/* Returns the path of the temporary database. */
const char *harness_db_path(void)
{
	static char path[160];
	snprintf(path, sizeof(path), "%s/test.db", dir);
	return path;
}

/* Removes the temporary database. */
void harness_teardown(void)
{
	char cmd[200];
	db_close();
	page_shutdown();
	asset_free();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "harness: %s n'a pas pu être effacé\n", dir);
}

/* Sets or replaces cookie name=value in the browser's jar (empty value deletes). */
static void jar_set(struct browser *b, const char *name, size_t nlen, const char *value,
		    size_t vlen)
{
	char out[sizeof(b->cookies)] = "";
	const char *p = b->cookies;
	while (*p) {
		const char *end = strstr(p, "; ");
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (!(len > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '='))
			snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%.*s",
				 *out ? "; " : "", (int)len, p);
		p += len + (end ? 2 : 0);
	}
	if (vlen)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%.*s=%.*s",
			 *out ? "; " : "", (int)nlen, name, (int)vlen, value);
	memcpy(b->cookies, out, sizeof(out));
}

/* Keeps the cookies set by the response and the CSRF token of the page. */
static void browser_update(struct browser *b, const struct resp *resp)
{
	for (size_t i = 0; i < resp->nheaders; i++) {
		if (strcmp(resp->headers[i].key, "Set-Cookie") != 0)
			continue;
		const char *v = resp->headers[i].val, *eq = strchr(v, '=');
		size_t vlen = strcspn(eq + 1, ";");
		bool expired = strstr(v, "Max-Age=0") != NULL;
		jar_set(b, v, (size_t)(eq - v), eq + 1, expired ? 0 : vlen);
	}
	const char *t = strstr(buf_str(&resp->body), "name=\"_csrf\" value=\"");
	if (t) {
		t += strlen("name=\"_csrf\" value=\"");
		snprintf(b->csrf, sizeof(b->csrf), "%.*s", (int)strcspn(t, "\""), t);
	}
}

/* Makes the files (field, path, name triples) the request's, as server.c
 * does with a multipart form; 0 or the status refusing them. */
static int attach_files(struct req *req, const char *const *files)
{
	size_t n = 0;
	while (files[n * 3])
		n++;
	req->content_type = "multipart/form-data; boundary=x";
	req->files = arena_alloc(&req->arena, (n ? n : 1) * sizeof(struct upload));
	for (size_t i = 0; i < n; i++, req->nfiles++)
		if (upload_from_path(&req->files[i], files[i * 3], files[i * 3 + 2],
				     files[i * 3 + 1]) < 0)
			return req->files[i].error;
	return 0;
}

/* Reads a streamed body (a stored file) into the response's body. */
static void read_stream(struct resp *resp)
{
	char chunk[65536];
	for (unsigned long long pos = 0; resp->stream.read && pos < resp->stream.size;) {
		size_t want = resp->stream.size - pos < sizeof(chunk) ? resp->stream.size - pos
								       : sizeof(chunk);
		long n = resp->stream.read(resp->stream.ctx, pos, chunk, want);
		if (n <= 0)
			break;
		buf_append(&resp->body, chunk, (size_t)n);
		pos += (unsigned long long)n;
	}
	if (resp->stream.free)
		resp->stream.free(resp->stream.ctx);
	resp->stream = (struct resp_stream){0};
}

/* Sends method target from browser b; returns the status. */
int call(struct call *c, struct browser *b, const char *method, const char *target,
	 const char *form)
{
	memset(c, 0, sizeof(*c));
	struct req *req = &c->req;
	req->host = "127.0.0.1:8080";
	req->remote_addr = "127.0.0.1";
	int status = req_set_target(req, method, target);
	if (b && *b->cookies)
		req_parse_cookies(req, b->cookies);
	if (b && b->origin && strcmp(method, "POST") == 0)
		req->origin = b->origin;
	if (b)
		req->authorization = b->authorization;
	if (b) {
		req->range = b->range;
		req->if_none_match = b->if_none_match;
	}
	if (form) {
		req->content_type = "application/x-www-form-urlencoded";
		req->body = form;
		req->body_len = strlen(form);
		if (!status && b && b->files)
			status = attach_files(req, b->files);
		if (!status)
			status = req_parse_form(req);
	}
	route_answer(req, &c->resp, status); /* as the server answers */
	read_stream(&c->resp);
	if (b && !status)
		browser_update(b, &c->resp);
	return c->resp.status;
}

/* Frees a call. */
void call_free(struct call *c)
{
	req_free(&c->req);
	resp_free(&c->resp);
}

/* Logs b in as email/password; returns the final status (303 on success). */
int harness_login(struct browser *b, const char *email, const char *password)
{
	struct call c;
	struct buf form = {0};
	call(&c, b, "GET", "/login", NULL);
	call_free(&c);
	buf_printf(&form, "_csrf=%s&email=", b->csrf);
	html_url_encode(&form, email, strlen(email));
	buf_puts(&form, "&password=");
	html_url_encode(&form, password, strlen(password));
	int status = call(&c, b, "POST", "/login", buf_str(&form));
	call_free(&c);
	buf_free(&form);
	if (status == 303) {
		call(&c, b, "GET", "/account", NULL); /* picks up the session's CSRF token */
		call_free(&c);
	}
	return status;
}

/* Sends method target from b; copies the body into *body; the status. */
int harness_fetch(struct browser *b, const char *method, const char *target, const char *form,
		  struct buf *body)
{
	struct call c;
	int status = call(&c, b, method, target, form);
	if (body) {
		buf_reset(body);
		buf_append(body, c.resp.body.data ? c.resp.body.data : "", c.resp.body.len);
	}
	call_free(&c);
	return status;
}

/* Tells whether the response has header name containing s. */
bool header_has(const struct call *c, const char *name, const char *s)
{
	const char *v = resp_get_header(&c->resp, name);
	return v && strstr(v, s);
}

/* Posts pairs and files as a multipart form (see harness.h). */
int harness_upload(struct call *c, struct browser *b, const char *target,
		   const char *const *pairs, const char *const *files)
{
	struct buf form = {0};
	harness_form(&form, b->csrf, pairs);
	b->files = files;
	int st = call(c, b, "POST", target, buf_str(&form));
	b->files = NULL;
	buf_free(&form);
	return st;
}

/* Tells whether c's response body contains s. */
bool body_has(const struct call *c, const char *s)
{
	return strstr(buf_str(&c->resp.body), s) != NULL;
}

/* Writes into out the CSRF token and the URL-encoded pairs of a form. */
void harness_form(struct buf *out, const char *csrf, const char *const *pairs)
{
	buf_reset(out);
	buf_printf(out, "_csrf=%s", csrf);
	for (size_t i = 0; pairs[i]; i += 2) {
		buf_printf(out, "&%s=", pairs[i]);
		html_url_encode(out, pairs[i + 1], strlen(pairs[i + 1]));
	}
}

/* Posts pairs to target from b (see harness.h). */
int harness_post(struct browser *b, const char *target, const char *const *pairs,
		 struct buf *out)
{
	struct buf form = {0};
	harness_form(&form, b->csrf, pairs);
	int st = harness_fetch(b, "POST", target, buf_str(&form), out);
	buf_free(&form);
	return st;
}

/* Appends a part of the newest mail of prefix (see harness.h). */
bool harness_mail_part(const char *address, const char *prefix, const char *type, struct buf *out)
{
	json_t *r = db_row("SELECT body FROM outbox WHERE kind = 'mail' AND subject LIKE ? || '%' "
			   "AND (?2 IS NULL OR recipient = ?2) ORDER BY id DESC LIMIT 1", "tt",
			   prefix, address);
	char want[64];
	snprintf(want, sizeof(want), "Content-Type: %s", type);
	const char *body = r ? db_str(r, "body") : NULL;
	const char *part = body ? strstr(body, want) : NULL;
	const char *data = part ? strstr(part, "\r\n\r\n") : NULL;
	const char *end = data ? strstr(data + 4, "\r\n--") : NULL;
	bool ok = false;
	if (end) {
		size_t n = (size_t)(end - data), len = 0;
		unsigned char *bin = malloc(n);
		ok = bin && sodium_base642bin(bin, n, data + 4, n - 4, "\r\n", &len, NULL,
					      sodium_base64_VARIANT_ORIGINAL) == 0;
		if (ok)
			buf_append(out, (const char *)bin, len);
		free(bin);
	}
	json_decref(r);
	return ok;
}

/* Appends the text part of the newest mail of prefix (see harness.h). */
bool harness_mail_text(const char *address, const char *prefix, struct buf *out)
{
	return harness_mail_part(address, prefix, "text/plain", out);
}
