/* basics.c — page tests of the server as every request meets it: 404, 405,
 * HEAD, the way to the login page, role refusals, CSRF, security headers,
 * static files, typed parameters, every route answering, bad input,
 * templates read again in development. Starts from the harness's pristine
 * network (harness_fresh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "../../src/asset.h"
#include "../../src/auth.h"
#include "../../src/buf.h"
#include "../../src/content.h"
#include "../../src/db.h"
#include "../../src/doc.h"
#include "../../src/html.h"
#include "../../src/meeting.h"
#include "../../src/page.h"
#include "../../src/route.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"

/* An unknown URL gets the French 404 page in the layout. */
static void unknown_url_is_404(void)
{
	struct call c;
	CHECK_INT(call(&c, NULL, "GET", "/nulle-part", NULL), 404);
	CHECK(body_has(&c, "Page introuvable"));
	CHECK(body_has(&c, "<html lang=\"fr\">"));
	CHECK(body_has(&c, "Revenir à l'accueil"));
	call_free(&c);
	CHECK_INT(call(&c, NULL, "GET", "/assets/../src/db.c", NULL), 404);
	call_free(&c);
	CHECK_INT(call(&c, NULL, "GET", "/assets/.gitignore", NULL), 404);
	call_free(&c);
}

/* A known URL with the wrong method gets 405 and the Allow header. */
static void wrong_method_is_405(void)
{
	struct call c;
	CHECK_INT(call(&c, NULL, "POST", "/healthz", "a=b"), 405);
	CHECK_STR(resp_get_header(&c.resp, "Allow"), "GET, HEAD");
	CHECK(body_has(&c, "Méthode non autorisée"));
	call_free(&c);
	CHECK_INT(call(&c, NULL, "DELETE", "/login", NULL), 405);
	CHECK(header_has(&c, "Allow", "POST"));
	call_free(&c);
}

/* HEAD is answered wherever GET is, with the same status and type. */
static void head_follows_get(void)
{
	size_t n;
	const struct route *r = route_table(&n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(r[i].method, "GET") != 0 || strchr(r[i].pattern, ':'))
			continue;
		struct call g, h;
		int sg = call(&g, NULL, "GET", r[i].pattern, NULL);
		int sh = call(&h, NULL, "HEAD", r[i].pattern, NULL);
		CHECKF(sg == sh, "%s: GET %d, HEAD %d", r[i].pattern, sg, sh);
		CHECK(h.req.head);
		CHECK_STR(g.resp.content_type, h.resp.content_type);
		call_free(&g);
		call_free(&h);
	}
}

/* Anonymous visitors are sent to the login page, and come back after. */
static void anonymous_goes_to_login(void)
{
	struct call c;
	CHECK_INT(call(&c, NULL, "GET", "/admin/users", NULL), 302);
	CHECK_STR(resp_get_header(&c.resp, "Location"), "/login?next=%2Fadmin%2Fusers");
	call_free(&c);
	struct browser b = {0};
	CHECK_INT(call(&c, &b, "GET", "/login?next=%2Fadmin%2Fusers", NULL), 200);
	CHECK(body_has(&c, "name=\"next\" value=\"/admin/users\""));
	call_free(&c);
}

/* A logged-in account without the role gets 403; the admin gets the page. */
static void roles_are_enforced(void)
{
	struct browser partner = {0}, admin = {0};
	struct call c;
	CHECK_INT(harness_login(&partner, HARNESS_PARTNER, PASSWORD), 303);
	CHECK_INT(call(&c, &partner, "GET", "/admin/users", NULL), 403);
	CHECK(body_has(&c, "Accès refusé"));
	call_free(&c);
	CHECK_INT(call(&c, &partner, "GET", "/account", NULL), 200);
	CHECK(body_has(&c, HARNESS_PARTNER) && body_has(&c, "partenaire"));
	call_free(&c);
	CHECK_INT(harness_login(&admin, HARNESS_ADMIN, PASSWORD), 303);
	CHECK_INT(call(&c, &admin, "GET", "/admin/users", NULL), 200);
	CHECK(body_has(&c, HARNESS_PARTNER) && body_has(&c, HARNESS_ADMIN));
	call_free(&c);
}

/* POSTs without the token, with another token or a foreign Origin get 403. */
static void csrf_is_checked(void)
{
	struct browser b = {0};
	struct call c;
	char form[300];
	call(&c, &b, "GET", "/login", NULL);
	call_free(&c);
	CHECK(strlen(b.csrf) == AUTH_TOKEN_LEN);
	CHECK_INT(call(&c, &b, "POST", "/login", "email=" HARNESS_PARTNER "&password=x"), 403);
	CHECK(body_has(&c, "formulaire a expiré"));
	call_free(&c);
	CHECK_INT(call(&c, &b, "POST", "/login",
		       "_csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&email=a@b.c&password=x"), 403);
	call_free(&c);
	snprintf(form, sizeof(form), "_csrf=%s&email=a%%40b.c&password=x", b.csrf);
	b.origin = "http://evil.example";
	CHECK_INT(call(&c, &b, "POST", "/login", form), 403);
	call_free(&c);
	b.origin = "http://127.0.0.1:8080";
	CHECK_INT(call(&c, &b, "POST", "/login", form), 200);
	CHECK(body_has(&c, "mot de passe incorrect"));
	call_free(&c);
	/* a logged-in form needs the session's token, not the anonymous one */
	struct browser p = {0};
	CHECK_INT(harness_login(&p, HARNESS_PARTNER, PASSWORD), 303);
	CHECK_INT(call(&c, &p, "POST", "/logout", "_csrf=wrong"), 403);
	call_free(&c);
	CHECK_INT(call(&c, &p, "GET", "/account", NULL), 200);
	call_free(&c);
}

/* Every kind of response carries the security headers. */
static void security_headers_everywhere(void)
{
	static const char *targets[][2] = {{"GET", "/"},        {"GET", "/nulle-part"},
					   {"POST", "/healthz"}, {"GET", "/assets/maillage.css"},
					   {"GET", "/healthz"},  {"POST", "/login"}};
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		struct call c;
		call(&c, NULL, targets[i][0], targets[i][1], targets[i][0][0] == 'P' ? "x=1" : NULL);
		const char *csp = resp_get_header(&c.resp, "Content-Security-Policy");
		CHECKF(csp && strstr(csp, "frame-ancestors 'none'") && strstr(csp, "script-src 'self'") &&
		       !strstr(csp, "unsafe-inline"), "%s %s: CSP %s", targets[i][0], targets[i][1],
		       csp ? csp : "absente");
		const char *nosniff = resp_get_header(&c.resp, "X-Content-Type-Options");
		CHECK(nosniff && strcmp(nosniff, "nosniff") == 0);
		CHECK(resp_get_header(&c.resp, "Referrer-Policy") != NULL);
		call_free(&c);
	}
}

/* Assets have an ETag, a long cache with the version, and answer 304. */
static void assets_are_cached(void)
{
	struct call c;
	char target[128];
	snprintf(target, sizeof(target), "/assets/maillage.css?v=%s", asset_version());
	CHECK_INT(call(&c, NULL, "GET", target, NULL), 200);
	CHECK_STR(c.resp.content_type, "text/css; charset=utf-8");
	CHECK(header_has(&c, "Cache-Control", "max-age=31536000"));
	const char *etag = resp_get_header(&c.resp, "ETag");
	CHECK(etag && etag[0] == '"');
	CHECK(body_has(&c, "@media print"));
	struct call again = {0};
	again.req.if_none_match = etag;
	CHECK_INT(req_set_target(&again.req, "GET", target), 0);
	route(&again.req, &again.resp);
	CHECK_INT(again.resp.status, 304);
	CHECK_INT(again.resp.body.len, 0);
	call_free(&again);
	call_free(&c);
}

/* Malformed input gets a 400, never a crash. */
static void bad_input_is_400(void)
{
	struct call c;
	CHECK_INT(call(&c, NULL, "GET", "/%C3%28", NULL), 400);
	call_free(&c);
	/* a link's query is read as well as it can be: the bad next is ignored */
	CHECK_INT(call(&c, NULL, "GET", "/login?next=%00", NULL), 200);
	CHECK(!body_has(&c, "name=\"next\" value=\"\xEF\xBF\xBD\""));
	call_free(&c);
	CHECK_INT(call(&c, NULL, "POST", "/login", "email=%FF%FE"), 400);
	call_free(&c);
	struct buf many = {0};
	for (int i = 0; i < 10000; i++)
		buf_printf(&many, "f%d=x&", i);
	CHECK_INT(call(&c, NULL, "POST", "/login", buf_str(&many)), 400);
	call_free(&c);
	buf_free(&many);
	CHECK_INT(call(&c, NULL, "GET", "relative", NULL), 400);
	call_free(&c);
}

/* Typed path parameters only match values of their type. */
static void typed_parameters(void)
{
	CHECK(route_exists("GET", "/assets/maillage.css"));
	CHECK(!route_exists("GET", "/assets/"));
	CHECK(!route_exists("GET", "/assets/a/b"));
	CHECK(!route_exists("GET", "/assets/.env"));
	CHECK(route_exists("POST", "/login"));
	CHECK(!route_exists("PUT", "/login"));
}

/* No GET route without parameters answers 5xx to any role. */
static void every_route_answers(void)
{
	struct browser anon = {0}, partner = {0}, admin = {0};
	struct browser *who[] = {&anon, &partner, &admin};
	CHECK_INT(harness_login(&partner, HARNESS_PARTNER, PASSWORD), 303);
	CHECK_INT(harness_login(&admin, HARNESS_ADMIN, PASSWORD), 303);
	size_t n;
	const struct route *r = route_table(&n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(r[i].method, "GET") != 0 || strchr(r[i].pattern, ':'))
			continue;
		for (size_t k = 0; k < 3; k++) {
			struct call c;
			int s = call(&c, who[k], "GET", r[i].pattern, NULL);
			CHECKF(s < 500, "%s as %zu: %d", r[i].pattern, k, s);
			call_free(&c);
		}
	}
}

/* With --dev, a changed template is picked up without a restart; a broken
 * one is refused and the previous version keeps serving. */
static void dev_reload(void)
{
	char dir[] = "/tmp/maillage-tmpl-XXXXXX", cmd[256], path[128];
	struct buf err = {0};
	CHECK(mkdtemp(dir) != NULL);
	snprintf(cmd, sizeof(cmd), "cp -r templates/. %s/", dir);
	CHECK(system(cmd) == 0);
	CHECK(page_init(dir, true, &err) == 0);
	struct call c;
	call(&c, NULL, "GET", "/", NULL);
	CHECK(body_has(&c, "Prochaines réunions publiques"));
	call_free(&c);
	snprintf(path, sizeof(path), "%s/home.mustache", dir);
	FILE *f = fopen(path, "w");
	fputs("{{> layout_head}}<p>Gabarit modifié</p>{{> layout_foot}}", f);
	fclose(f);
	struct timeval later[2];
	gettimeofday(&later[0], NULL);
	later[0].tv_sec += 10;
	later[1] = later[0];
	CHECK(utimes(path, later) == 0);
	call(&c, NULL, "GET", "/", NULL);
	CHECK(body_has(&c, "Gabarit modifié"));
	call_free(&c);
	f = fopen(path, "w");
	fputs("{{#jamais ferme}}", f);
	fclose(f);
	later[0].tv_sec += 10;
	later[1] = later[0];
	CHECK(utimes(path, later) == 0);
	/* the broken set is tried once, not at every request: one message */
	fflush(stderr);
	char log[] = "/tmp/maillage-tmpl-log-XXXXXX";
	int fd = mkstemp(log), saved = dup(2);
	CHECK(fd >= 0 && saved >= 0 && dup2(fd, 2) == 2);
	for (int i = 0; i < 3; i++) {
		call(&c, NULL, "GET", "/", NULL);
		CHECK_INT(c.resp.status, 200);
		CHECK(body_has(&c, "Gabarit modifié"));
		call_free(&c);
	}
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	struct buf logged = {0};
	CHECK(buf_read_file(&logged, log) == 0);
	int messages = 0;
	for (const char *p = buf_str(&logged); (p = strstr(p, "non fermée")); p++)
		messages++;
	CHECK_INT(messages, 1);
	buf_free(&logged);
	unlink(log);
	/* mended: read again */
	f = fopen(path, "w");
	fputs("{{> layout_head}}<p>Gabarit réparé</p>{{> layout_foot}}", f);
	fclose(f);
	later[0].tv_sec += 10;
	later[1] = later[0];
	CHECK(utimes(path, later) == 0);
	call(&c, NULL, "GET", "/", NULL);
	CHECK(body_has(&c, "Gabarit réparé"));
	call_free(&c);
	CHECK(page_init("templates", false, &err) == 0);
	buf_free(&err);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}

/* Runs the basics cases on a fresh copy of the network. */
void pages_basics(void)
{
	harness_fresh();
	RUN(unknown_url_is_404);
	RUN(wrong_method_is_405);
	RUN(head_follows_get);
	RUN(anonymous_goes_to_login);
	RUN(roles_are_enforced);
	RUN(csrf_is_checked);
	RUN(security_headers_everywhere);
	RUN(assets_are_cached);
	RUN(bad_input_is_400);
	RUN(typed_parameters);
	RUN(every_route_answers);
	RUN(dev_reload);
}
