/* main.c — page tests: route() called in process for every route and role,
 * with the error pages, HEAD, role refusals, CSRF and security headers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "../../src/auth.h"
#include "../../src/content.h"
#include "../../src/db.h"
#include "../../src/doc.h"
#include "../../src/buf.h"
#include "../../src/html.h"
#include "../../src/meeting.h"
#include "../../src/page.h"
#include "../../src/route.h"
#include "../../src/asset.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"

#define ADMIN "admin@pages.test"
#define PARTNER "partenaire@pages.test"
#define PASSWORD "un mot de passe assez long"

/* Tells whether the response body contains s. */
static bool body_has(const struct call *c, const char *s)
{
	return strstr(buf_str(&c->resp.body), s) != NULL;
}

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
	CHECK_INT(harness_login(&partner, PARTNER, PASSWORD), 303);
	CHECK_INT(call(&c, &partner, "GET", "/admin/users", NULL), 403);
	CHECK(body_has(&c, "Accès refusé"));
	call_free(&c);
	CHECK_INT(call(&c, &partner, "GET", "/account", NULL), 200);
	CHECK(body_has(&c, PARTNER) && body_has(&c, "partenaire"));
	call_free(&c);
	CHECK_INT(harness_login(&admin, ADMIN, PASSWORD), 303);
	CHECK_INT(call(&c, &admin, "GET", "/admin/users", NULL), 200);
	CHECK(body_has(&c, PARTNER) && body_has(&c, ADMIN));
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
	CHECK_INT(call(&c, &b, "POST", "/login", "email=" PARTNER "&password=x"), 403);
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
	CHECK_INT(harness_login(&p, PARTNER, PASSWORD), 303);
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

/* Login: French errors, cookie flags, safe "next", logout ends the session. */
static void login_and_logout(void)
{
	struct browser b = {0};
	struct call c;
	char form[400];
	call(&c, &b, "GET", "/login", NULL);
	call_free(&c);
	snprintf(form, sizeof(form), "_csrf=%s&email=" PARTNER "&password=faux", b.csrf);
	CHECK_INT(call(&c, &b, "POST", "/login", form), 200);
	CHECK(body_has(&c, "Adresse e-mail ou mot de passe incorrect."));
	CHECK(body_has(&c, "value=\"" PARTNER "\""));
	CHECK(!strstr(b.cookies, AUTH_SESSION_COOKIE));
	call_free(&c);
	snprintf(form, sizeof(form), "_csrf=%s&email=" PARTNER "&password=%s&next=//evil.example",
		 b.csrf, "un+mot+de+passe+assez+long");
	CHECK_INT(call(&c, &b, "POST", "/login", form), 303);
	CHECK_STR(resp_get_header(&c.resp, "Location"), "/");
	const char *cookie = resp_get_header(&c.resp, "Set-Cookie");
	CHECK(cookie && strstr(cookie, "HttpOnly") && strstr(cookie, "SameSite=Lax") &&
	      !strstr(cookie, "Secure"));
	call_free(&c);
	CHECK_INT(call(&c, &b, "GET", "/", NULL), 200);
	CHECK(body_has(&c, "Bonjour, Partenaire des tests."));
	CHECK(body_has(&c, "Se déconnecter"));
	call_free(&c);
	char logout[100];
	snprintf(logout, sizeof(logout), "_csrf=%s", b.csrf);
	char old_cookies[sizeof(b.cookies)];
	memcpy(old_cookies, b.cookies, sizeof(old_cookies));
	CHECK_INT(call(&c, &b, "POST", "/logout", logout), 303);
	call_free(&c);
	memcpy(b.cookies, old_cookies, sizeof(old_cookies)); /* replaying the old cookie */
	CHECK_INT(call(&c, &b, "GET", "/account", NULL), 302);
	call_free(&c);
}

/* An anonymous reader gets no cookie for reading; the login form's page
 * sets the CSRF cookie its token needs. */
static void no_cookie_for_reading(void)
{
	static const char *const reading[] = {"/", "/meetings", "/bodies", "/search?q=r%C3%A9union",
					      "/interpellations", "/communes/92094"};
	for (size_t i = 0; i < sizeof(reading) / sizeof(reading[0]); i++) {
		struct call c;
		CHECK_INT(call(&c, NULL, "GET", reading[i], NULL), 200);
		CHECKF(!resp_get_header(&c.resp, "Set-Cookie"), "%s pose un cookie", reading[i]);
		call_free(&c);
	}
	struct call c;
	CHECK_INT(call(&c, NULL, "GET", "/login", NULL), 200);
	const char *cookie = resp_get_header(&c.resp, "Set-Cookie");
	CHECK(cookie && strncmp(cookie, AUTH_CSRF_COOKIE "=", strlen(AUTH_CSRF_COOKIE) + 1) == 0);
	call_free(&c);
}

/* Behind https, the session cookie gets Secure. */
static void secure_cookie_behind_https(void)
{
	struct browser b = {0};
	page_cfg.base_url = "https://maillage.example.org";
	page_cfg.secure = true;
	b.origin = "https://maillage.example.org";
	struct call c;
	call(&c, &b, "GET", "/login", NULL);
	CHECK(header_has(&c, "Set-Cookie", "; Secure"));
	call_free(&c);
	char form[300];
	snprintf(form, sizeof(form), "_csrf=%s&email=" PARTNER "&password=%s", b.csrf,
		 "un+mot+de+passe+assez+long");
	CHECK_INT(call(&c, &b, "POST", "/login", form), 303);
	CHECK(header_has(&c, "Set-Cookie", "; Secure"));
	call_free(&c);
	page_cfg.base_url = NULL;
	page_cfg.secure = false;
}

/* Changing one's password checks the current one and keeps one logged in. */
static void password_change(void)
{
	struct browser b = {0};
	struct call c;
	char form[400];
	CHECK_INT(harness_login(&b, ADMIN, PASSWORD), 303);
	snprintf(form, sizeof(form), "_csrf=%s&current=faux&password=nouveau+secret+1&"
		 "confirm=nouveau+secret+1", b.csrf);
	CHECK_INT(call(&c, &b, "POST", "/account/password", form), 422);
	CHECK(body_has(&c, "mot de passe actuel est incorrect"));
	call_free(&c);
	snprintf(form, sizeof(form), "_csrf=%s&current=%s&password=court&confirm=court", b.csrf,
		 "un+mot+de+passe+assez+long");
	CHECK_INT(call(&c, &b, "POST", "/account/password", form), 422);
	CHECK(body_has(&c, "au moins 10 caractères"));
	call_free(&c);
	snprintf(form, sizeof(form), "_csrf=%s&current=%s&password=nouveau+secret+1&"
		 "confirm=nouveau+secret+1", b.csrf, "un+mot+de+passe+assez+long");
	CHECK_INT(call(&c, &b, "POST", "/account/password", form), 303);
	call_free(&c);
	CHECK_INT(call(&c, &b, "GET", "/account?ok=1", NULL), 200);
	CHECK(body_has(&c, "mot de passe a été changé"));
	call_free(&c);
	struct browser again = {0};
	CHECK_INT(harness_login(&again, ADMIN, "nouveau secret 1"), 303);
	struct buf err = {0};
	CHECK(auth_user_set_password(ADMIN, PASSWORD, 0, &err) == 0);
	buf_free(&err);
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
	CHECK_INT(harness_login(&partner, PARTNER, PASSWORD), 303);
	CHECK_INT(harness_login(&admin, ADMIN, PASSWORD), 303);
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
	CHECK(body_has(&c, "Suivre les interpellations"));
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

/* Documents stored by an older renderer are found and rendered again, with
 * the glossary and wiki links of the database. */
static void stale_documents_rerendered(void)
{
	CHECK(db_exec("INSERT OR REPLACE INTO glossary (acronym, expansion) VALUES ('GT', 'Groupe de travail')",
		      NULL) == 1);
	doc_glossary_changed(); /* written here behind content import's back */
	CHECK(db_exec("INSERT INTO body (slug, name, kind, description) VALUES "
		      "('gt-essai-rendu', 'GT Essai', 'working_group', '# Objectifs du GT\n\nVoir [[GT Essai]].')",
		      NULL) == 1);
	long long body = db_last_id();
	CHECK(db_exec("INSERT INTO meeting (body_id, title, start, agenda, minutes, render_version) "
		      "VALUES (?, 'Réunion', '2020-06-15T10:00', '1. Accueil', '- [ ] Relancer @CAI', ?)",
		      "ii", body, (long long)MD_RENDERER_VERSION - 1) == 1);
	CHECK_INT(doc_stale_count(), 2);
	CHECK_INT(doc_refresh_stale(), 2);
	CHECK_INT(doc_stale_count(), 0);
	json_t *b = db_row("SELECT description_html, description_text FROM body WHERE id = ?", "i", body);
	const char *html = json_string_value(json_object_get(b, "description_html"));
	CHECK(html && strstr(html, "<h1 id=\"objectifs-du-gt\">Objectifs du <abbr title=\"Groupe de travail\">GT</abbr></h1>"));
	CHECK(html && strstr(html, "<a href=\"/bodies/gt-essai-rendu\" class=\"wikilink\">GT Essai</a>"));
	const char *text = json_string_value(json_object_get(b, "description_text"));
	CHECK(text && strstr(text, "Voir GT Essai.") != NULL);
	json_decref(b);
	json_t *m = db_row("SELECT agenda_html, minutes_html FROM meeting WHERE body_id = ?", "i", body);
	CHECK(strstr(json_string_value(json_object_get(m, "agenda_html")), "<ol>") != NULL);
	CHECK(strstr(json_string_value(json_object_get(m, "minutes_html")), "task-list-item") != NULL);
	json_decref(m);
	CHECK_INT(doc_refresh_stale(), 0);
}

/* The communes: the list by reception office, one commune's page, and
 * typed NIS codes (anything else is 404). */
static void communes_pages(void)
{
	struct call c;
	CHECK_INT(call(&c, NULL, "GET", "/communes", NULL), 200);
	CHECK(body_has(&c, "Les 38 communes"));
	CHECK(body_has(&c, "Bureau de Philippeville"));
	CHECK(body_has(&c, "<a href=\"/communes/93088\">Walcourt</a>"));
	CHECK(body_has(&c, "<a href=\"/communes\" aria-current=\"page\">Communes</a>"));
	call_free(&c);
	CHECK_INT(call(&c, NULL, "GET", "/communes/92094", NULL), 200);
	CHECK(body_has(&c, "<h1>Namur</h1>") && body_has(&c, "Assesse") && !body_has(&c, ">Namur</a>"));
	CHECK(body_has(&c, "<a href=\"/bodies/coordination-locale-namur\">Coordination locale de Namur</a>"));
	CHECK(!body_has(&c, "Rencontre avec les services sociaux")); /* members only */
	call_free(&c);
	static const char *missing[] = {"/communes/12345", "/communes/9209", "/communes/92094x",
					"/communes/-9209", "/communes/%39%32%30%39%34%00"};
	for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
		int st = call(&c, NULL, "GET", missing[i], NULL);
		CHECKF(st == 404 || st == 400, "%s : %d", missing[i], st);
		call_free(&c);
	}
}

/* Writes text to a temporary file whose path is returned (static). */
static const char *temp_file(const char *text)
{
	static char path[64];
	snprintf(path, sizeof(path), "/tmp/maillage-content-XXXXXX");
	int fd = mkstemp(path);
	if (fd >= 0) {
		if (write(fd, text, strlen(text)) < 0)
			path[0] = '\0';
		close(fd);
	}
	return path;
}

/* A malformed communes file is refused with its path and line, and nothing
 * of it is kept; importing the same file twice changes nothing. */
static void commune_import_errors(void)
{
	static const char *bad[][2] = {
		{"nis,name,arrondissement,territory\n99999,Nouvelle,Namur,Namur\n9209a,X,Namur,Namur\n",
		 "ligne 3 : code INS « 9209a » invalide"},
		{"99999,Nouvelle,Namur,Namur\n99998,Seule\n", "ligne 2 : 4 colonnes attendues (nis, name"},
		{"99999,\"Nouvelle,Namur,Namur\n", "guillemet non refermé"},
		{"99999,Nouv\xFF" "elle,Namur,Namur\n", "UTF-8"},
		{"99999,,Namur,Namur\n", "obligatoires"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *path = temp_file(bad[i][0]);
		struct buf err = {0};
		CHECK_INT(content_import_communes(path, &err), -1);
		CHECKF(strstr(buf_str(&err), bad[i][1]) && strstr(buf_str(&err), path), "%s", buf_str(&err));
		CHECK_INT(db_int(-1, "SELECT count(*) FROM commune WHERE nis >= 99998", NULL), 0);
		buf_free(&err);
		unlink(path);
	}
	CHECK_INT(db_int(-1, "SELECT count(*) FROM commune", NULL), 38);
	struct buf err = {0};
	CHECK(db_exec("UPDATE commune SET modified = '2000-01-01T00:00:00Z'", NULL) == 38);
	CHECK_INT(content_import_communes("content/communes.csv", &err), 38);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM commune WHERE modified <> '2000-01-01T00:00:00Z'",
			 NULL), 0);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM territory", NULL), 8);
	CHECK_INT(content_import_communes("/nulle/part.csv", &err), -1);
	CHECK(strstr(buf_str(&err), "illisible") != NULL);
	buf_free(&err);
	/* wiki links now reach communes */
	struct buf html = {0};
	const char *md = "Rencontre à [[Ciney]] et à [[Atlantide]].";
	CHECK(doc_render(md, strlen(md), NULL, &html, NULL, NULL) == 0);
	CHECK(strstr(buf_str(&html), "<a href=\"/communes/91030\" class=\"wikilink\">Ciney</a>") != NULL);
	CHECK(strstr(buf_str(&html), "class=\"missing\"") != NULL);
	buf_free(&html);
}

/* The bodies: grouped by kind, filtered, one body's page; an internal body
 * exists only for the board and the staff. */
static void bodies_pages(void)
{
	struct browser anon = {0}, partner = {0}, admin = {0};
	struct call c;
	CHECK_INT(harness_login(&partner, PARTNER, PASSWORD), 303);
	CHECK_INT(harness_login(&admin, ADMIN, PASSWORD), 303);
	CHECK_INT(call(&c, &anon, "GET", "/bodies", NULL), 200);
	CHECK(body_has(&c, "<h2 id=\"k-platform\">Plateformes provinciales</h2>"));
	CHECK(body_has(&c, "<a href=\"/bodies/plateforme-citoyennete\">Plateforme citoyenneté</a>"));
	CHECK(body_has(&c, "Coordination locale d&#39;Andenne"));
	CHECK(!body_has(&c, "Bureau du conseil"));
	call_free(&c);
	CHECK_INT(call(&c, &partner, "GET", "/bodies", NULL), 200);
	CHECK(!body_has(&c, "Bureau du conseil"));
	call_free(&c);
	CHECK_INT(call(&c, &admin, "GET", "/bodies", NULL), 200);
	CHECK(body_has(&c, "Bureau du conseil"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/bodies?kind=working_group", NULL), 200);
	CHECK(body_has(&c, "GT mobilité") && !body_has(&c, "Plateforme citoyenneté"));
	CHECK(body_has(&c, "href=\"/bodies?kind=working_group\" aria-current=\"page\""));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/bodies?kind=%3Cscript%3E&status=%27%20OR%201=1", NULL), 200);
	CHECK(body_has(&c, "Aucune instance") && !body_has(&c, "<script>"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/bodies?axis=citoyennet%C3%A9", NULL), 200);
	CHECK(body_has(&c, "Plateforme citoyenneté</a>") && !body_has(&c, "Plateforme interculturelle</a>"));
	CHECK(body_has(&c, "<option value=\"citoyenneté\" selected>"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/bodies?status=dormant", NULL), 200);
	CHECK(body_has(&c, "GT mobilité</a>") && !body_has(&c, "GT santé</a>"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/bodies?territory=namur&kind=local_coordination", NULL), 200);
	CHECK(body_has(&c, "Coordination locale de Namur</a>") &&
	      !body_has(&c, "Coordination locale de Ciney</a>"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/bodies/gt-mobilite", NULL), 200);
	CHECK(body_has(&c, "<span class=\"tag\">en veille</span>"));
	CHECK(body_has(&c, "<a href=\"/organisations/province-de-namur\">Province de Namur</a>"));
	CHECK(body_has(&c, "<p>A finalisé en 2020 le répertoire"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/bodies/bureau-du-conseil", NULL), 404);
	call_free(&c);
	CHECK_INT(call(&c, &partner, "GET", "/bodies/bureau-du-conseil", NULL), 404);
	call_free(&c);
	CHECK_INT(call(&c, &admin, "GET", "/bodies/bureau-du-conseil", NULL), 200);
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/bodies/Majuscules", NULL), 404);
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/bodies/inconnue", NULL), 404);
	call_free(&c);
}

/* Long lists come a hundred at a time, with links to the next page. */
static void pagination(void)
{
	for (int i = 0; i < 130; i++) {
		char slug[32], name[64];
		snprintf(slug, sizeof(slug), "gt-genere-%03d", i);
		snprintf(name, sizeof(name), "GT généré %03d", i);
		db_exec("INSERT INTO body (slug, name, kind) VALUES (?, ?, 'working_group')", "tt", slug, name);
		db_exec("INSERT INTO organisation (slug, name) VALUES (?, ?)", "tt", slug, name);
	}
	struct call c;
	CHECK_INT(call(&c, NULL, "GET", "/bodies?kind=working_group", NULL), 200);
	CHECK(body_has(&c, "GT généré 000") && !body_has(&c, "GT généré 120"));
	CHECK(body_has(&c, "href=\"/bodies?page=2&amp;kind=working_group\""));
	call_free(&c);
	CHECK_INT(call(&c, NULL, "GET", "/bodies?kind=working_group&page=2", NULL), 200);
	CHECK(body_has(&c, "GT généré 120") && !body_has(&c, "GT généré 000"));
	call_free(&c);
	CHECK_INT(call(&c, NULL, "GET", "/organisations", NULL), 200);
	CHECK(body_has(&c, "href=\"/organisations?page=2\""));
	call_free(&c);
	CHECK_INT(call(&c, NULL, "GET", "/organisations?page=2", NULL), 200);
	CHECK(body_has(&c, "GT généré 129"));
	call_free(&c);
	long long meeting = db_int(0, "SELECT id FROM meeting WHERE slug = '2020-11-27'", NULL);
	long long cai = db_int(0, "SELECT id FROM organisation WHERE slug = 'cai'", NULL);
	for (int i = 0; i < 120; i++)
		db_exec("INSERT INTO action (meeting_id, position, text, owner_organisation_id) "
			"VALUES (?, ?, ?, ?)", "iiti", meeting, (long long)100 + i, "Action générée", cai);
	CHECK_INT(call(&c, NULL, "GET", "/actions", NULL), 200);
	CHECK(body_has(&c, "href=\"/actions?page=2\""));
	call_free(&c);
	CHECK_INT(call(&c, NULL, "GET", "/actions?page=2", NULL), 200);
	CHECK(body_has(&c, "Action générée") && body_has(&c, "href=\"/actions?page=1\""));
	call_free(&c);
	/* an organisation's page shows its first 50 and leads to the rest */
	CHECK_INT(call(&c, NULL, "GET", "/organisations/cai", NULL), 200);
	int shown = 0;
	for (const char *p = buf_str(&c.resp.body); (p = strstr(p, "Action générée")); p++)
		shown++;
	long long others = db_int(-1, "SELECT count(*) FROM action a JOIN meeting m ON m.id = "
				  "a.meeting_id WHERE a.owner_organisation_id = ? AND a.done = 0 AND "
				  "a.text <> 'Action générée' AND m.deleted = 0 AND m.visibility = "
				  "'public'", "i", cai);
	CHECK_INT(shown, 50 - others); /* its dated ones come first */
	CHECK(body_has(&c, "Les 50 premières par échéance") && body_has(&c, "href=\"/actions\""));
	call_free(&c);
	db_exec("DELETE FROM action WHERE text = 'Action générée'", NULL);
	db_exec("DELETE FROM body WHERE slug LIKE 'gt-genere-%'", NULL);
	db_exec("DELETE FROM organisation WHERE slug LIKE 'gt-genere-%'", NULL);
}

/* The organisations: the list, one partner's page and its bodies (without
 * the internal ones for visitors). */
static void organisations_pages(void)
{
	struct call c;
	CHECK_INT(call(&c, NULL, "GET", "/organisations", NULL), 200);
	CHECK(body_has(&c, "Les 20 organisations"));
	CHECK(body_has(&c, "<a href=\"/organisations/clps\">"));
	call_free(&c);
	CHECK_INT(call(&c, NULL, "GET", "/organisations/cai", NULL), 200);
	CHECK(body_has(&c, "(CAI)"));
	CHECK(body_has(&c, "Centre régional d'intégration de la province de Namur"));
	CHECK(body_has(&c, "<a href=\"/communes/92094\">Namur</a>"));
	CHECK(body_has(&c, "/bodies/plateforme-citoyennete") && !body_has(&c, "bureau-du-conseil"));
	CHECK(body_has(&c, "Mettre les capsules vidéo à disposition")); /* public meeting */
	CHECK(!body_has(&c, "Compléter le cadastre")); /* members only */
	call_free(&c);
	CHECK_INT(call(&c, NULL, "GET", "/organisations/personne", NULL), 404);
	call_free(&c);
}

/* The visibility rule: public for all, members for the bodies' member
 * organisations, everything for the board and the staff. */
static void visibility_rule(void)
{
	long long isp = db_int(0, "SELECT id FROM body WHERE slug = 'plateforme-isp-diversite'", NULL);
	long long cit = db_int(0, "SELECT id FROM body WHERE slug = 'plateforme-citoyennete'", NULL);
	long long forem = db_int(0, "SELECT id FROM organisation WHERE slug = 'forem'", NULL);
	struct user anon = {.role = ROLE_ANON}, board = {.id = 9, .role = ROLE_BOARD};
	struct user member = {.id = 7, .role = ROLE_PARTNER, .org_id = forem};
	struct user lone = {.id = 8, .role = ROLE_PARTNER};
	CHECK(auth_may_see(&anon, "public", isp));
	CHECK(!auth_may_see(&anon, "members", isp));
	CHECK(auth_may_see(&member, "members", isp));
	CHECK(!auth_may_see(&member, "members", cit));
	CHECK(!auth_may_see(&member, "internal", isp));
	CHECK(!auth_may_see(&lone, "members", isp));
	CHECK(auth_may_see(&board, "internal", cit));
	CHECK(!auth_may_see(&member, "secret", isp));
	/* a membership that ended no longer opens the door */
	db_exec("UPDATE membership SET end_date = '2020-01-01' WHERE body_id = ? AND organisation_id = ?",
		"ii", isp, forem);
	CHECK(!auth_may_see(&member, "members", isp));
	db_exec("UPDATE membership SET end_date = NULL WHERE body_id = ?", "i", isp);
}

/* Meetings: each role sees exactly what the rule allows, in lists, on
 * pages and on the body's page; the SQL and C forms of the rule agree. */
static void meetings_visibility(void)
{
	struct buf err = {0};
	CHECK(auth_user_add("cpas@pages.test", "Membre du CPAS", "partner", "cpas-de-namur", PASSWORD,
			    &err) > 0);
	buf_free(&err);
	CHECK(auth_user_add("ca@pages.test", "Membre du CA", "board", NULL, PASSWORD, &err) > 0);
	buf_free(&err);
	struct browser anon = {0}, forem = {0}, cpas = {0}, admin = {0}, board = {0};
	CHECK_INT(harness_login(&board, "ca@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&forem, PARTNER, PASSWORD), 303);
	CHECK_INT(harness_login(&cpas, "cpas@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&admin, ADMIN, PASSWORD), 303);
	long long pub = db_int(0, "SELECT id FROM meeting WHERE slug = '2020-11-27'", NULL);
	long long mem = db_int(0, "SELECT id FROM meeting WHERE slug = '2020-09-15'", NULL);
	long long inn = db_int(0, "SELECT id FROM meeting WHERE slug = '2020-10-02'", NULL);
	struct {
		struct browser *b;
		bool pub, mem, inn;
	} who[] = {{&anon, 1, 0, 0}, {&forem, 1, 0, 0}, {&cpas, 1, 1, 0}, {&admin, 1, 1, 1},
		   {&board, 1, 1, 1}};
	for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		long long ids[] = {pub, mem, inn};
		bool allowed[] = {who[i].pub, who[i].mem, who[i].inn};
		struct call list;
		CHECK_INT(call(&list, who[i].b, "GET", "/meetings", NULL), 200);
		for (int k = 0; k < 3; k++) {
			char target[64], link[80];
			snprintf(target, sizeof(target), "/meetings/%lld", ids[k]);
			snprintf(link, sizeof(link), "<a href=\"/meetings/%lld\">", ids[k]);
			struct call c;
			int st = call(&c, who[i].b, "GET", target, NULL);
			CHECKF(st == (allowed[k] ? 200 : 404), "visiteur %zu, %s : %d", i, target, st);
			CHECKF(body_has(&list, link) == allowed[k], "visiteur %zu, liste, %s", i, target);
			call_free(&c);
		}
		call_free(&list);
	}
	struct call c;
	CHECK_INT(call(&c, &cpas, "GET", "/bodies/coordination-locale-namur", NULL), 200);
	CHECK(body_has(&c, "Rencontre avec les services sociaux"));
	CHECK(body_has(&c, "Compléter le cadastre des opérateurs"));
	call_free(&c);
	CHECK_INT(call(&c, &cpas, "GET", "/communes/92094", NULL), 200);
	CHECK(body_has(&c, "Rencontre avec les services sociaux"));
	call_free(&c);
	CHECK_INT(call(&c, &forem, "GET", "/bodies/coordination-locale-namur", NULL), 200);
	CHECK(!body_has(&c, "Rencontre avec les services sociaux"));
	CHECK(!body_has(&c, "Compléter le cadastre") && body_has(&c, "Aucune action en cours."));
	call_free(&c);
	CHECK_INT(call(&c, &cpas, "GET", "/meetings/abc", NULL), 404);
	call_free(&c);
	/* the meeting page: French date, rendered minutes, actions, attendance */
	char target[64];
	snprintf(target, sizeof(target), "/meetings/%lld", mem);
	CHECK_INT(call(&c, &cpas, "GET", target, NULL), 200);
	CHECK(body_has(&c, "15 septembre 2020"));
	CHECK(body_has(&c, "<p>Vingt-cinq personnes ont participé"));
	CHECK(body_has(&c, "✓ Rédiger l&#39;appel d&#39;offre"));
	CHECK(body_has(&c, "<a href=\"/organisations/ville-de-namur\">Ville de Namur</a>"));
	call_free(&c);
	/* SQL and C agree for every meeting and every kind of user */
	long long cpas_org = db_int(0, "SELECT id FROM organisation WHERE slug = 'cpas-de-namur'", NULL);
	struct user users[] = {{.role = ROLE_ANON}, {.id = 1, .role = ROLE_PARTNER, .org_id = cpas_org},
			       {.id = 2, .role = ROLE_PARTNER}, {.id = 3, .role = ROLE_BOARD}};
	json_t *all = db_rows("SELECT id, visibility, body_id FROM meeting", NULL);
	size_t i;
	json_t *m;
	json_array_foreach(all, i, m) {
		for (size_t u = 0; u < 4; u++) {
			bool c_rule = auth_may_see(&users[u], json_string_value(json_object_get(m, "visibility")),
						   json_integer_value(json_object_get(m, "body_id")));
			long long sql = db_int(-1, "SELECT count(*) FROM meeting m WHERE m.id = ? AND "
					       AUTH_SEES_SQL("m.visibility", "m.body_id"), "iii",
					       json_integer_value(json_object_get(m, "id")),
					       (long long)users[u].role, users[u].org_id);
			CHECK_INT(sql, c_rule);
		}
	}
	json_decref(all);
	/* and the search index's form of the rule finds the same meetings */
	for (size_t u = 0; u < 4; u++) {
		struct buf rule = {0}, q = {0};
		bool limited = auth_sees_fts(users[u].role, users[u].org_id, &rule);
		buf_printf(&q, "tags : (kmeeting%s%s)", limited ? " AND " : "", buf_str(&rule));
		json_t *fts = db_row("SELECT group_concat(ref) AS ids FROM (SELECT d.ref FROM doc_fts "
				     "JOIN doc d ON d.id = doc_fts.rowid WHERE doc_fts MATCH ? "
				     "ORDER BY d.ref)", "t", buf_str(&q));
		json_t *sql = db_row("SELECT group_concat(id) AS ids FROM (SELECT m.id FROM meeting m "
				     "WHERE m.deleted = 0 AND " AUTH_SEES_SQL("m.visibility", "m.body_id")
				     " ORDER BY m.id)", "ii", (long long)users[u].role, users[u].org_id);
		CHECKF(fts && sql && json_equal(fts, sql), "utilisateur %zu", u);
		json_decref(fts);
		json_decref(sql);
		buf_free(&rule);
		buf_free(&q);
	}
}

/* Builds the urlencoded form of a meeting from NULL-terminated pairs. */
static void meeting_form_body(struct buf *out, const char *csrf, const char *const *pairs)
{
	buf_reset(out);
	buf_printf(out, "_csrf=%s", csrf);
	for (size_t i = 0; pairs[i]; i += 2) {
		buf_printf(out, "&%s=", pairs[i]);
		html_url_encode(out, pairs[i + 1], strlen(pairs[i + 1]));
	}
}

/* A coordinator creates and edits a meeting: server-side checks that show
 * the form again with the input, revisions of every new text, actions, the
 * audit log, locked approved minutes, and only coordinators may write. */
static void meeting_forms(void)
{
	struct buf err = {0}, form = {0};
	CHECK(auth_user_add("coord@pages.test", "Coordination des tests", "coordinator", "cai", PASSWORD,
			    &err) > 0);
	buf_free(&err);
	struct browser coord = {0}, partner = {0}, anon = {0};
	CHECK_INT(harness_login(&coord, "coord@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&partner, PARTNER, PASSWORD), 303);
	struct call c;
	CHECK_INT(call(&c, &anon, "GET", "/meetings/new", NULL), 302);
	call_free(&c);
	CHECK_INT(call(&c, &partner, "GET", "/meetings/new", NULL), 403);
	call_free(&c);
	CHECK_INT(call(&c, &coord, "GET", "/meetings/new?body=gt-sante", NULL), 200);
	CHECK(body_has(&c, "selected>GT santé</option>"));
	CHECK(body_has(&c, "<input id=\"title\" name=\"title\" value=\"\""));
	call_free(&c);
	char body_id[32];
	snprintf(body_id, sizeof(body_id), "%lld", db_int(0, "SELECT id FROM body WHERE slug = 'gt-sante'", NULL));
	long long before = db_int(0, "SELECT count(*) FROM meeting", NULL);
	const char *bad[][4] = {
		{"2021-03-01", "14:00", "09:00", "finir avant de commencer"},
		{"2021-02-30", "", "", "La date n&#39;existe pas"},
		{"", "", "", "La date n&#39;existe pas"},
	};
	for (size_t i = 0; i < 3; i++) {
		const char *pairs[] = {"body_id", body_id, "title", "Réunion <b>test</b>", "date", bad[i][0],
				       "start_time", bad[i][1], "end_time", bad[i][2], "format", "on_site",
				       "status", "planned", "visibility", "members", "agenda", "Ordre", NULL};
		meeting_form_body(&form, coord.csrf, pairs);
		CHECK_INT(call(&c, &coord, "POST", "/meetings", buf_str(&form)), 422);
		CHECKF(body_has(&c, bad[i][3]), "%s", bad[i][3]);
		CHECK(body_has(&c, "value=\"Réunion &lt;b&gt;test&lt;/b&gt;\""));
		call_free(&c);
	}
	CHECK_INT(db_int(0, "SELECT count(*) FROM meeting", NULL), before);
	/* an agenda over 1 MB is refused with the form shown again, nothing stored */
	struct buf huge = {0};
	for (int i = 0; i < 30000; i++)
		buf_puts(&huge, "Une ligne d'ordre du jour bien trop longue. ");
	const char *big[] = {"body_id", body_id, "title", "Trop long", "date", "2021-03-02", "format",
			     "on_site", "status", "planned", "visibility", "members", "agenda",
			     huge.data, NULL};
	meeting_form_body(&form, coord.csrf, big);
	CHECK_INT(call(&c, &coord, "POST", "/meetings", buf_str(&form)), 422);
	CHECK(body_has(&c, "L&#39;ordre du jour dépasse 1 Mo."));
	call_free(&c);
	buf_free(&huge);
	CHECK_INT(db_int(0, "SELECT count(*) FROM meeting", NULL), before);
	const char *js[] = {"body_id", body_id, "title", "Visio", "date", "2021-03-02", "format", "remote",
			    "status", "planned", "visibility", "members", "video", "javascript:alert(1)", NULL};
	meeting_form_body(&form, coord.csrf, js);
	CHECK_INT(call(&c, &coord, "POST", "/meetings", buf_str(&form)), 422);
	CHECK(body_has(&c, "visioconférence doit commencer par https://"));
	call_free(&c);
	const char *good[] = {"body_id", body_id, "title", "GT santé <script>alert(1)</script>",
			      "date", "2021-03-01", "start_time", "09:30", "end_time", "12:00",
			      "format", "remote", "status", "minutes_draft", "visibility", "members",
			      "video", "https://visio.example.org/gt-sante?x=1&y=2",
			      "agenda", "1. Accueil\n2. Séance d'information",
			      "minutes", "Le GT prépare la séance.\n\n- [ ] Envoyer l'invitation @CAI 2021-03-15",
			      NULL};
	meeting_form_body(&form, partner.csrf, good);
	CHECK_INT(call(&c, &partner, "POST", "/meetings", buf_str(&form)), 403);
	call_free(&c);
	meeting_form_body(&form, coord.csrf, good);
	CHECK_INT(call(&c, &coord, "POST", "/meetings", buf_str(&form)), 303);
	const char *loc = resp_get_header(&c.resp, "Location");
	long long id = loc ? atoll(loc + strlen("/meetings/")) : 0;
	call_free(&c);
	CHECK(id > 0);
	CHECK_INT(db_int(0, "SELECT count(*) FROM revision WHERE meeting_id = ?", "i", id), 2);
	CHECK_INT(db_int(0, "SELECT count(*) FROM action WHERE meeting_id = ? AND due = '2021-03-15'",
			 "i", id), 1);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'meeting' AND object_id = ? "
			 "AND action = 'create' AND user_id IS NOT NULL", "i", id), 1);
	char target[64];
	snprintf(target, sizeof(target), "/meetings/%lld", id);
	CHECK_INT(call(&c, &coord, "GET", target, NULL), 200);
	CHECK(body_has(&c, "<h1>GT santé &lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
	CHECK(body_has(&c, "1er mars 2021, 9 h 30"));
	CHECK(body_has(&c, "<a href=\"https://visio.example.org/gt-sante?x=1&amp;y=2\" rel=\"noopener nofollow\">"));
	CHECK(body_has(&c, "Envoyer l&#39;invitation") && body_has(&c, "pour le 15 mars 2021"));
	CHECK(!body_has(&c, "<script>alert"));
	call_free(&c);
	/* fifty saves of the minutes: fifty revisions, all in the history */
	for (int i = 1; i <= 50; i++) {
		char minutes[80];
		snprintf(minutes, sizeof(minutes), "Version %d du procès-verbal.", i);
		const char *pairs[] = {"body_id", body_id, "title", "GT santé", "date", "2021-03-01",
				       "format", "remote", "status", "minutes_draft", "visibility", "members",
				       "agenda", "1. Accueil\n2. Séance d'information", "minutes", minutes, NULL};
		meeting_form_body(&form, coord.csrf, pairs);
		CHECK_INT(call(&c, &coord, "POST", target, buf_str(&form)), 303);
		call_free(&c);
	}
	CHECK_INT(db_int(0, "SELECT count(*) FROM revision WHERE meeting_id = ? AND field = 'minutes'",
			 "i", id), 51);
	/* saving the same again writes nothing */
	db_exec("UPDATE meeting SET modified = '2000-01-01T00:00:00Z' WHERE id = ?", "i", id);
	CHECK_INT(call(&c, &coord, "POST", target, buf_str(&form)), 303);
	call_free(&c);
	CHECK_INT(db_int(0, "SELECT count(*) FROM meeting WHERE id = ? AND modified = "
			 "'2000-01-01T00:00:00Z'", "i", id), 1);
	char history[80];
	snprintf(history, sizeof(history), "/meetings/%lld/history", id);
	CHECK_INT(call(&c, &coord, "GET", history, NULL), 200);
	CHECK(body_has(&c, "Version 50 du procès-verbal.") && body_has(&c, "Version 1 du procès-verbal."));
	CHECK(body_has(&c, "Coordination des tests"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", history, NULL), 404);
	call_free(&c);
	/* diff between two versions, restore of an old one as a new version */
	long long r49 = db_int(0, "SELECT id FROM revision WHERE meeting_id = ? AND text = "
			       "'Version 49 du procès-verbal.'", "i", id);
	long long r50 = db_int(0, "SELECT id FROM revision WHERE meeting_id = ? AND text = "
			       "'Version 50 du procès-verbal.'", "i", id);
	char diff[120];
	snprintf(diff, sizeof(diff), "/meetings/%lld/diff?from=%lld&to=%lld", id, r49, r50);
	CHECK_INT(call(&c, &coord, "GET", diff, NULL), 200);
	CHECK(body_has(&c, "<span class=\"diff-removed\">Version 49 du procès-verbal.</span>"));
	CHECK(body_has(&c, "<span class=\"diff-added\">Version 50 du procès-verbal.</span>"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", diff, NULL), 404);
	call_free(&c);
	char restore[80], rform[120];
	snprintf(restore, sizeof(restore), "/meetings/%lld/restore", id);
	snprintf(rform, sizeof(rform), "_csrf=%s&revision=%lld", partner.csrf, r49);
	CHECK_INT(call(&c, &partner, "POST", restore, rform), 403);
	call_free(&c);
	snprintf(rform, sizeof(rform), "_csrf=%s&revision=%lld", coord.csrf, r49);
	CHECK_INT(call(&c, &coord, "POST", restore, rform), 303);
	call_free(&c);
	CHECK_INT(db_int(0, "SELECT count(*) FROM meeting WHERE id = ? AND minutes = "
			 "'Version 49 du procès-verbal.'", "i", id), 1);
	CHECK_INT(db_int(0, "SELECT count(*) FROM revision WHERE meeting_id = ? AND field = 'minutes'",
			 "i", id), 52);
	snprintf(rform, sizeof(rform), "_csrf=%s&revision=999999", coord.csrf);
	CHECK_INT(call(&c, &coord, "POST", restore, rform), 404);
	call_free(&c);
	/* approved minutes are locked until the meeting is reopened */
	db_exec("UPDATE meeting SET status = 'minutes_approved' WHERE id = ?", "i", id);
	const char *locked[] = {"body_id", body_id, "title", "GT santé", "date", "2021-03-01",
				"format", "remote", "status", "minutes_approved", "visibility", "members",
				"minutes", "Changement après approbation", NULL};
	meeting_form_body(&form, coord.csrf, locked);
	CHECK_INT(call(&c, &coord, "POST", target, buf_str(&form)), 422);
	CHECK(body_has(&c, "verrouillé"));
	call_free(&c);
	snprintf(rform, sizeof(rform), "_csrf=%s&revision=%lld", coord.csrf, r50);
	CHECK_INT(call(&c, &coord, "POST", restore, rform), 409);
	call_free(&c);
	locked[9] = "minutes_draft";
	meeting_form_body(&form, coord.csrf, locked);
	CHECK_INT(call(&c, &coord, "POST", target, buf_str(&form)), 303);
	call_free(&c);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object_id = ? AND object = 'meeting' AND "
			 "before LIKE '%minutes_approved%' AND after LIKE '%minutes_draft%'", "i", id), 1);
	buf_free(&form);
}

/* The live preview renders with the server's renderer, safely. */
static void preview(void)
{
	struct browser coord = {0}, anon = {0};
	CHECK_INT(harness_login(&coord, "coord@pages.test", PASSWORD), 303);
	struct buf form = {0};
	buf_printf(&form, "_csrf=%s&text=", coord.csrf);
	const char *md = "# Titre\n\nTexte <script>alert(1)</script> [x](javascript:alert(1)) le CPAS";
	html_url_encode(&form, md, strlen(md));
	struct call c;
	CHECK_INT(call(&c, &coord, "POST", "/preview", buf_str(&form)), 200);
	CHECK(body_has(&c, "<h1 id=\"titre\">Titre</h1>"));
	CHECK(body_has(&c, "&lt;script&gt;") && !body_has(&c, "<script") && !body_has(&c, "href=\"javascript"));
	CHECK(body_has(&c, "<abbr title=\"Centre public d&#39;action sociale\">CPAS</abbr>") ||
	      body_has(&c, "<abbr title=\"Centre public d'action sociale\">CPAS</abbr>"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "POST", "/preview", "text=x"), 403);
	call_free(&c);
	buf_free(&form);
}

/* Open actions: only those of meetings one may see; "mine" keeps those of
 * one's organisation; overdue ones are marked. */
static void actions_page(void)
{
	struct browser anon = {0}, cpas = {0}, coord = {0};
	CHECK_INT(harness_login(&cpas, "cpas@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&coord, "coord@pages.test", PASSWORD), 303);
	struct call c;
	CHECK_INT(call(&c, &anon, "GET", "/actions", NULL), 200);
	CHECK(body_has(&c, "Mettre les capsules vidéo à disposition"));
	CHECK(!body_has(&c, "Compléter le cadastre des opérateurs"));
	CHECK(!body_has(&c, "Rédiger l&#39;appel d&#39;offre")); /* done */
	call_free(&c);
	CHECK_INT(call(&c, &cpas, "GET", "/actions", NULL), 200);
	CHECK(body_has(&c, "Compléter le cadastre des opérateurs"));
	CHECK(body_has(&c, "Celles de mon organisation"));
	call_free(&c);
	CHECK_INT(call(&c, &cpas, "GET", "/actions?mine=1", NULL), 200);
	CHECK(body_has(&c, "Aucune action en cours."));
	call_free(&c);
	CHECK_INT(call(&c, &coord, "GET", "/actions?mine=1", NULL), 200);
	CHECK(body_has(&c, "<h1>Mes actions</h1>") && body_has(&c, "Compléter le cadastre"));
	CHECK(!body_has(&c, "en retard"));
	call_free(&c);
	db_exec("UPDATE action SET due = '2021-01-15' WHERE text LIKE 'Compléter le cadastre%'", NULL);
	CHECK_INT(call(&c, &coord, "GET", "/actions?mine=1", NULL), 200);
	CHECK(body_has(&c, "15 janvier 2021 <span class=\"tag late\">en retard</span>"));
	call_free(&c);
}

/* The meetings list filters by body, reception office and year, and keeps
 * the filters in its pages' links. */
static void meetings_filters(void)
{
	struct browser admin = {0};
	CHECK_INT(harness_login(&admin, ADMIN, PASSWORD), 303);
	struct call c;
	CHECK_INT(call(&c, &admin, "GET", "/meetings?body=bureau-du-conseil", NULL), 200);
	CHECK(body_has(&c, "Bureau du conseil d&#39;administration") &&
	      !body_has(&c, "Plénière du PPLI, édition virtuelle"));
	CHECK(body_has(&c, "<option value=\"bureau-du-conseil\" selected>"));
	call_free(&c);
	CHECK_INT(call(&c, &admin, "GET", "/meetings?territory=namur", NULL), 200);
	CHECK(body_has(&c, "Rencontre avec les services sociaux") && !body_has(&c, "Forum Emploi"));
	call_free(&c);
	CHECK_INT(call(&c, &admin, "GET", "/meetings?year=2021", NULL), 200);
	CHECK(body_has(&c, "GT santé") && !body_has(&c, "Forum Emploi Diversité</a>"));
	call_free(&c);
	CHECK_INT(call(&c, &admin, "GET", "/meetings?year=%27%3B%20DROP%20TABLE%20meeting%3B--", NULL), 200);
	CHECK(body_has(&c, "Aucune réunion à afficher."));
	call_free(&c);
	CHECK(db_int(0, "SELECT count(*) FROM meeting", NULL) > 0);
}

/* Preparing a meeting: the earlier open actions of the body, overdue first,
 * its members with last time's attendance, the last minutes. */
static void meeting_prepare(void)
{
	struct browser coord = {0}, partner = {0};
	CHECK_INT(harness_login(&coord, "coord@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&partner, PARTNER, PASSWORD), 303);
	long long body = db_int(0, "SELECT id FROM body WHERE slug = 'coordination-locale-namur'", NULL);
	struct meeting_in next = {.body_id = body, .title = "Coordination locale de Namur",
				  .start = "2020-12-01", .format = "remote", .status = "planned",
				  .visibility = "members", .agenda = "", .minutes = ""};
	long long id = meeting_save(0, &next, 0);
	CHECK(id > 0);
	char target[64];
	snprintf(target, sizeof(target), "/meetings/%lld/prepare", id);
	struct call c;
	CHECK_INT(call(&c, &partner, "GET", target, NULL), 403);
	call_free(&c);
	CHECK_INT(call(&c, &coord, "GET", target, NULL), 200);
	CHECK(body_has(&c, "Préparer la réunion du 1er décembre 2020"));
	CHECK(body_has(&c, "Compléter le cadastre des opérateurs") && body_has(&c, "en retard"));
	CHECK(!body_has(&c, "Rédiger l&#39;appel d&#39;offre")); /* done */
	CHECK(body_has(&c, "Ville de Namur</a> <span class=\"tag\">présente la dernière fois</span>"));
	CHECK(body_has(&c, "Lire et Écrire Namur</a></li>"));
	CHECK(body_has(&c, "<p>Vingt-cinq personnes ont participé"));
	call_free(&c);
}

/* Coordinators create and edit bodies: checks, members, rendered
 * description, audit; partners may not. */
static void body_forms(void)
{
	struct browser coord = {0}, partner = {0};
	CHECK_INT(harness_login(&coord, "coord@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&partner, PARTNER, PASSWORD), 303);
	long long cai = db_int(0, "SELECT id FROM organisation WHERE slug = 'cai'", NULL);
	long long clps = db_int(0, "SELECT id FROM organisation WHERE slug = 'clps'", NULL);
	struct buf form = {0};
	struct call c;
	CHECK_INT(call(&c, &coord, "GET", "/bodies/new", NULL), 200);
	CHECK(body_has(&c, "<input id=\"name\" name=\"name\" value=\"\""));
	call_free(&c);
	static const char *slugs[][2] = {{"../etc", "identifiant"}, {"gt-sante", "déjà cet identifiant"},
					  {"Majuscules", "identifiant"}};
	for (size_t i = 0; i < 3; i++) {
		buf_reset(&form);
		buf_printf(&form, "_csrf=%s&name=GT+logement&slug=", coord.csrf);
		html_url_encode(&form, slugs[i][0], strlen(slugs[i][0]));
		buf_puts(&form, "&kind=working_group&status=active&visibility=members");
		CHECK_INT(call(&c, &coord, "POST", "/bodies", buf_str(&form)), 422);
		CHECKF(body_has(&c, slugs[i][1]), "%s", slugs[i][0]);
		CHECK(body_has(&c, "value=\"GT logement\""));
		call_free(&c);
	}
	buf_reset(&form);
	buf_printf(&form, "_csrf=%s&name=GT+logement&slug=gt-logement&kind=working_group&status=active"
		   "&visibility=members&members=%lld&members=%lld&pilot_id=%lld&description=%s",
		   partner.csrf, cai, clps, cai, "Le+**logement**+des+primo-arrivants");
	CHECK_INT(call(&c, &partner, "POST", "/bodies", buf_str(&form)), 403);
	call_free(&c);
	buf_reset(&form);
	buf_printf(&form, "_csrf=%s&name=GT+logement&slug=gt-logement&kind=working_group&status=active"
		   "&visibility=members&members=%lld&members=%lld&pilot_id=%lld&description=%s",
		   coord.csrf, cai, clps, cai, "Le+**logement**+des+primo-arrivants");
	CHECK_INT(call(&c, &coord, "POST", "/bodies", buf_str(&form)), 303);
	CHECK_STR(resp_get_header(&c.resp, "Location"), "/bodies/gt-logement");
	call_free(&c);
	CHECK_INT(call(&c, &coord, "GET", "/bodies/gt-logement", NULL), 200);
	CHECK(body_has(&c, "<p>Le <strong>logement</strong> des primo-arrivants</p>"));
	CHECK(body_has(&c, "/organisations/clps"));
	call_free(&c);
	long long id = db_int(0, "SELECT id FROM body WHERE slug = 'gt-logement'", NULL);
	CHECK_INT(db_int(0, "SELECT count(*) FROM membership WHERE body_id = ?", "i", id), 2);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'body' AND object_id = ? AND "
			 "action = 'create'", "i", id), 1);
	buf_reset(&form);
	buf_printf(&form, "_csrf=%s&name=GT+logement&kind=working_group&status=dormant"
		   "&visibility=members&members=%lld&description=", coord.csrf, clps);
	CHECK_INT(call(&c, &coord, "POST", "/bodies/gt-logement", buf_str(&form)), 303);
	call_free(&c);
	CHECK_INT(db_int(0, "SELECT count(*) FROM membership WHERE body_id = ?", "i", id), 1);
	CHECK_INT(db_int(0, "SELECT count(*) FROM body WHERE id = ? AND status = 'dormant' AND "
			 "description_html = ''", "i", id), 1);
	CHECK_INT(call(&c, &coord, "GET", "/bodies/gt-logement/edit", NULL), 200);
	CHECK(body_has(&c, "value=\"dormant\" selected"));
	call_free(&c);
	CHECK_INT(call(&c, &coord, "POST", "/bodies/inconnue", buf_str(&form)), 404);
	call_free(&c);
	buf_free(&form);
}

/* Attendance is edited with the meeting: one choice per member. */
static void meeting_attendance(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, "coord@pages.test", PASSWORD), 303);
	long long id = db_int(0, "SELECT id FROM meeting WHERE slug = '2020-09-15'", NULL);
	long long lire = db_int(0, "SELECT id FROM organisation WHERE slug = 'lire-et-ecrire-namur'", NULL);
	long long ville = db_int(0, "SELECT id FROM organisation WHERE slug = 'ville-de-namur'", NULL);
	char target[64], edit[80];
	snprintf(target, sizeof(target), "/meetings/%lld", id);
	snprintf(edit, sizeof(edit), "/meetings/%lld/edit", id);
	struct call c;
	CHECK_INT(call(&c, &coord, "GET", edit, NULL), 200);
	char want[120];
	snprintf(want, sizeof(want), "<select id=\"att_%lld\" name=\"att_%lld\"><option value=\"\">—"
		 "</option><option value=\"present\" selected>", ville, ville);
	CHECK(body_has(&c, want));
	call_free(&c);
	json_t *m = db_row("SELECT body_id, title, agenda, minutes FROM meeting WHERE id = ?", "i", id);
	struct buf form = {0};
	buf_printf(&form, "_csrf=%s&body_id=%lld&date=2020-09-15&format=on_site&status=minutes_draft"
		   "&visibility=members&att_%lld=excused&att_%lld=&title=", coord.csrf,
		   json_integer_value(json_object_get(m, "body_id")), lire, ville);
	const char *t = json_string_value(json_object_get(m, "title"));
	html_url_encode(&form, t, strlen(t));
	buf_puts(&form, "&minutes=");
	t = json_string_value(json_object_get(m, "minutes"));
	html_url_encode(&form, t, strlen(t));
	buf_puts(&form, "&agenda=");
	t = json_string_value(json_object_get(m, "agenda"));
	html_url_encode(&form, t, strlen(t));
	json_decref(m);
	CHECK_INT(call(&c, &coord, "POST", target, buf_str(&form)), 303);
	call_free(&c);
	CHECK_INT(db_int(0, "SELECT count(*) FROM attendance WHERE meeting_id = ? AND organisation_id = ? "
			 "AND presence = 'excused'", "ii", id, lire), 1);
	CHECK_INT(db_int(0, "SELECT count(*) FROM attendance WHERE meeting_id = ? AND organisation_id = ?",
			 "ii", id, ville), 0);
	CHECK_INT(db_int(0, "SELECT count(*) FROM attendance WHERE meeting_id = ? AND presence = 'present'",
			 "i", id), 2);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE action = 'attendance' AND object_id = ? AND "
			 "before LIKE '%ville-de-namur:present%' AND after LIKE "
			 "'%lire-et-ecrire-namur:excused%' AND after NOT LIKE '%ville-de-namur%'", "i", id), 1);
	buf_free(&form);
}

/* Deleting a meeting hides it from everyone but the coordination, who can
 * bring it back; both are audited. */
static void meeting_delete(void)
{
	struct browser coord = {0}, partner = {0}, anon = {0};
	CHECK_INT(harness_login(&coord, "coord@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&partner, PARTNER, PASSWORD), 303);
	long long id = db_int(0, "SELECT id FROM meeting WHERE slug = '2020-02-13'", NULL);
	char target[64], del[80], form[120];
	snprintf(target, sizeof(target), "/meetings/%lld", id);
	snprintf(del, sizeof(del), "/meetings/%lld/delete", id);
	struct call c;
	snprintf(form, sizeof(form), "_csrf=%s", partner.csrf);
	CHECK_INT(call(&c, &partner, "POST", del, form), 403);
	call_free(&c);
	snprintf(form, sizeof(form), "_csrf=%s", coord.csrf);
	CHECK_INT(call(&c, &coord, "POST", del, form), 303);
	CHECK_STR(resp_get_header(&c.resp, "Location"), "/bodies/plateforme-isp-diversite");
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", target, NULL), 404);
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/meetings", NULL), 200);
	CHECK(!body_has(&c, "Forum Emploi Diversité"));
	call_free(&c);
	CHECK_INT(call(&c, &coord, "GET", target, NULL), 200);
	CHECK(body_has(&c, "Cette réunion est supprimée"));
	call_free(&c);
	CHECK_INT(call(&c, &coord, "POST", del, form), 404); /* already deleted */
	call_free(&c);
	snprintf(del, sizeof(del), "/meetings/%lld/undelete", id);
	CHECK_INT(call(&c, &coord, "POST", del, form), 303);
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", target, NULL), 200);
	call_free(&c);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'meeting' AND object_id = ? AND "
			 "action IN ('delete', 'undelete')", "i", id), 2);
}

/* Returns the total of a /search.json call by browser b (-1 when it fails). */
static long long search_total(struct browser *b, const char *query)
{
	struct call c;
	char target[512];
	snprintf(target, sizeof(target), "/search.json?%s", query);
	long long n = -1;
	if (call(&c, b, "GET", target, NULL) == 200) {
		json_t *j = json_loads(buf_str(&c.resp.body), 0, NULL);
		n = json_integer_value(json_object_get(j, "total"));
		json_decref(j);
	}
	call_free(&c);
	return n;
}

/* Search: a members-only meeting's word is found by its members, the board
 * and the coordination, and by nobody else: not in results, counts, facets
 * or snippets. */
static void search_permissions(void)
{
	long long mem = db_int(0, "SELECT id FROM meeting WHERE slug = '2020-09-15'", NULL);
	long long inn = db_int(0, "SELECT id FROM meeting WHERE slug = '2020-10-02'", NULL);
	CHECK(db_exec("UPDATE meeting SET minutes_text = minutes_text || ' ornithorynque' "
		      "WHERE id = ?", "i", mem) == 1);
	CHECK(db_exec("UPDATE meeting SET minutes_text = minutes_text || ' ornithorynque' "
		      "WHERE id = ?", "i", inn) == 1);
	struct browser anon = {0}, forem = {0}, cpas = {0}, admin = {0}, board = {0};
	CHECK_INT(harness_login(&board, "ca@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&forem, PARTNER, PASSWORD), 303);
	CHECK_INT(harness_login(&cpas, "cpas@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&admin, ADMIN, PASSWORD), 303);
	struct {
		struct browser *b;
		int found; /* 0, 1 (the members' meeting) or 2 (and the internal one) */
	} who[] = {{&anon, 0}, {&forem, 0}, {&cpas, 1}, {&admin, 2}, {&board, 2}};
	for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		struct call c;
		char link[80];
		CHECK_INT(call(&c, who[i].b, "GET", "/search?q=ornithorynques", NULL), 200);
		snprintf(link, sizeof(link), "<a href=\"/meetings/%lld\">", mem);
		CHECKF(body_has(&c, link) == (who[i].found >= 1), "visiteur %zu : réunion des membres", i);
		snprintf(link, sizeof(link), "<a href=\"/meetings/%lld\">", inn);
		CHECKF(body_has(&c, link) == (who[i].found == 2), "visiteur %zu : réunion interne", i);
		CHECKF(body_has(&c, "<mark>ornithorynque</mark>") == (who[i].found > 0),
		       "visiteur %zu : extrait", i);
		CHECKF(body_has(&c, "class=\"facets\"") == (who[i].found > 0), "visiteur %zu : facettes", i);
		if (!who[i].found)
			CHECK(body_has(&c, "0 résultat</strong>") && body_has(&c, "Aucun résultat."));
		call_free(&c);
		CHECK_INT(search_total(who[i].b, "q=ornithorynque"), who[i].found);
		CHECK_INT(search_total(who[i].b, "q=ornithorynque&kind=meeting"), who[i].found);
	}
	struct call c;
	CHECK_INT(call(&c, &forem, "GET", "/search.json?q=ornithorynque", NULL), 200);
	json_t *j = json_loads(buf_str(&c.resp.body), 0, NULL);
	CHECK(json_is_array(json_object_get(j, "facets")) &&
	      json_array_size(json_object_get(j, "facets")) == 0);
	json_decref(j);
	CHECK(strstr(buf_str(&c.resp.body), "ornithorynque\"") != NULL); /* the query only */
	CHECK(strstr(buf_str(&c.resp.body), "<mark>") == NULL);
	call_free(&c);
}

/* Search follows the coordination's edits, soft deletes and restores made
 * on the web, with filters, facets, pages and suggestions. */
static void search_follows_edits(void)
{
	struct browser coord = {0}, anon = {0};
	struct buf form = {0};
	CHECK_INT(harness_login(&coord, "coord@pages.test", PASSWORD), 303);
	long long id = db_int(0, "SELECT id FROM meeting WHERE slug = '2020-11-27'", NULL);
	char target[64], form_csrf[100], query[128];
	snprintf(target, sizeof(target), "/meetings/%lld", id);
	CHECK_INT(search_total(&anon, "q=kangourou"), 0);
	json_t *m = db_row("SELECT b.id AS body_id, m.title, m.agenda FROM meeting m "
			   "JOIN body b ON b.id = m.body_id WHERE m.id = ?", "i", id);
	char body_id[32];
	snprintf(body_id, sizeof(body_id), "%lld", json_integer_value(json_object_get(m, "body_id")));
	const char *pairs[] = {"body_id", body_id, "title", json_string_value(json_object_get(m, "title")),
			       "date", "2020-11-27", "start_time", "09:30", "end_time", "12:00",
			       "format", "remote", "status", "held", "visibility", "public",
			       "agenda", json_string_value(json_object_get(m, "agenda")),
			       "minutes", "Le **kangourou** de la plénière virtuelle.", NULL};
	meeting_form_body(&form, coord.csrf, pairs);
	struct call c;
	CHECK_INT(call(&c, &coord, "POST", target, buf_str(&form)), 303);
	call_free(&c);
	json_decref(m);
	CHECK_INT(search_total(&anon, "q=kangourou"), 1);
	CHECK_INT(search_total(&anon, "q=Kangourou&year=2020"), 1);
	CHECK_INT(search_total(&anon, "q=kangourou&year=2019"), 0);
	CHECK_INT(search_total(&anon, "q=kangourou&kind=body"), 0);
	CHECK_INT(search_total(&anon, "q=kangourou&from=2020-11-27&to=2020-11-27"), 1);
	CHECK_INT(search_total(&anon, "q=kangourou&from=2020-11-28"), 0);
	CHECK_INT(search_total(&anon, "q=kangourou -pl%C3%A9ni%C3%A8re"), 0);
	CHECK_INT(search_total(&anon, "q=kang*"), 1);
	CHECK_INT(search_total(&anon, "q=%22kangourou+de+la%22"), 1);
	CHECK_INT(search_total(&anon, "q=%22de+la+kangourou%22"), 0);
	snprintf(form_csrf, sizeof(form_csrf), "_csrf=%s", coord.csrf);
	snprintf(query, sizeof(query), "%s/delete", target);
	CHECK_INT(call(&c, &coord, "POST", query, form_csrf), 303);
	call_free(&c);
	CHECK_INT(search_total(&coord, "q=kangourou"), 0);
	snprintf(query, sizeof(query), "%s/undelete", target);
	CHECK_INT(call(&c, &coord, "POST", query, form_csrf), 303);
	call_free(&c);
	CHECK_INT(search_total(&anon, "q=kangourou"), 1);
	/* zero results with a filter: a link without it */
	CHECK_INT(call(&c, &anon, "GET", "/search?q=kangourou&kind=organisation", NULL), 200);
	CHECK(body_has(&c, "<a href=\"/search?q=kangourou\">sans type « organisation »</a>"));
	call_free(&c);
	/* facets link to each kind, keeping the words */
	CHECK_INT(call(&c, &anon, "GET", "/search?q=plateforme", NULL), 200);
	CHECK(body_has(&c, "href=\"/search?q=plateforme&amp;kind=body\""));
	CHECK(body_has(&c, "value=\"plateforme\""));
	call_free(&c);
	/* pages of 20 */
	for (int i = 0; i < 25; i++)
		db_exec("INSERT INTO meeting (body_id, title, start, visibility, minutes_text) VALUES "
			"(?, 'Réunion de suivi', '2019-05-01', 'public', 'wombat')", "t", body_id);
	CHECK_INT(call(&c, &anon, "GET", "/search?q=wombat", NULL), 200);
	CHECK(body_has(&c, "25 résultats"));
	CHECK(body_has(&c, "<option value=\"2020\">2020</option><option value=\"2019\">2019</option></select>"));
	CHECK(body_has(&c, "href=\"/search?q=wombat&amp;page=2\""));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/search?q=wombat&page=2", NULL), 200);
	CHECK(body_has(&c, "<ol class=\"results\">"));
	CHECK(!body_has(&c, "page=3"));
	call_free(&c);
	db_exec("DELETE FROM meeting WHERE minutes_text = 'wombat'", NULL);
	CHECK_INT(search_total(&anon, "q=wombat"), 0);
	buf_free(&form);
}

/* A body's page and a commune's page search within themselves. */
static void search_within(void)
{
	struct browser cpas = {0};
	CHECK_INT(harness_login(&cpas, "cpas@pages.test", PASSWORD), 303);
	struct call c;
	CHECK_INT(call(&c, &cpas, "GET", "/bodies/coordination-locale-namur", NULL), 200);
	CHECK(body_has(&c, "<input type=\"hidden\" name=\"body\" value=\"coordination-locale-namur\">"));
	call_free(&c);
	CHECK_INT(call(&c, &cpas, "GET", "/communes/92094", NULL), 200);
	CHECK(body_has(&c, "<input type=\"hidden\" name=\"commune\" value=\"92094\">"));
	CHECK(body_has(&c, "<form method=\"get\" action=\"/search\" class=\"site-search\""));
	call_free(&c);
	long long all = search_total(&cpas, "q=sociaux");
	long long in_body = search_total(&cpas, "q=sociaux&body=coordination-locale-namur");
	long long in_commune = search_total(&cpas, "q=sociaux&commune=92094");
	CHECK(in_body >= 1 && in_body <= all);
	CHECK(in_commune >= 1 && in_commune <= all);
	CHECK_INT(search_total(&cpas, "q=sociaux&body=gt-sante"), 0);
	CHECK_INT(search_total(&cpas, "q=sociaux&commune=91005"), 0);
	CHECK_INT(call(&c, &cpas, "GET", "/search?q=sociaux&body=coordination-locale-namur", NULL), 200);
	CHECK(body_has(&c, "value=\"coordination-locale-namur\" selected>"));
	call_free(&c);
}

/* Hostile queries give a result page, never an error; bad filters a 400. */
static void search_hostile(void)
{
	const char *queries[] = {
		"q=", "q=%22", "q=%22%22%22", "q=(((", "q=a+OR+b", "q=NOT+a", "q=a+AND", "q=NEAR(a+b)",
		"q=title%3Aa", "q=*", "q=-", "q=--a", "q=%5E", "q=a+%2B+b", "q=%00", "q=a%00b",
		"q=%FF%FE", "q=%C3%28", "q=%F0%9F%99%82", "q=%27%3B+DROP+TABLE+doc%3B--",
		"q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "q=r%C3%A9union&page=99999",
		"q=r%C3%A9union&page=-3", "q=x&q=y", "kind=", "q=%0D%0A%09",
	};
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		char target[256];
		struct call c;
		snprintf(target, sizeof(target), "/search?%s", queries[i]);
		CHECKF(call(&c, NULL, "GET", target, NULL) == 200, "%s : %d", target, c.resp.status);
		CHECK(!body_has(&c, "<script>alert"));
		call_free(&c);
		snprintf(target, sizeof(target), "/search.json?%s", queries[i]);
		CHECKF(call(&c, NULL, "GET", target, NULL) == 200, "%s : %d", target, c.resp.status);
		json_t *j = json_loads(buf_str(&c.resp.body), 0, NULL);
		CHECKF(j && json_is_array(json_object_get(j, "results")), "%s", target);
		json_decref(j);
		call_free(&c);
	}
	struct buf huge = {0};
	buf_puts(&huge, "/search?q=");
	for (int i = 0; i < 1000; i++)
		buf_puts(&huge, "r%C3%A9u+mot+");
	struct call c;
	CHECK_INT(call(&c, NULL, "GET", buf_str(&huge), NULL), 200); /* 10,000 letters */
	call_free(&c);
	while (huge.len <= REQ_MAX_URI)
		buf_puts(&huge, "+encore");
	CHECK_INT(call(&c, NULL, "GET", buf_str(&huge), NULL), 414);
	call_free(&c);
	buf_free(&huge);
	CHECK_INT(db_int(0, "SELECT count(*) FROM doc", NULL) > 0, 1);
	const char *bad[][2] = {
		{"kind=courrier", "Type de document inconnu."},
		{"body=nulle-part", "Instance inconnue."},
		{"territory=nulle-part", "Bureau d&#39;accueil inconnu."},
		{"commune=abc", "Commune inconnue"},
		{"commune=99999", "Commune inconnue"},
		{"year=20", "quatre chiffres"},
		{"from=2020-02-30", "AAAA-MM-JJ"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char target[128];
		snprintf(target, sizeof(target), "/search?q=r%%C3%%A9union&%s", bad[i][0]);
		CHECKF(call(&c, NULL, "GET", target, NULL) == 400, "%s", target);
		CHECKF(body_has(&c, bad[i][1]), "%s", bad[i][1]);
		call_free(&c);
	}
}

/* Copies content/ into a temporary folder and returns its path (static). */
static const char *content_copy(void)
{
	static char dir[64];
	char cmd[200];
	snprintf(dir, sizeof(dir), "/tmp/maillage-content-XXXXXX");
	if (!mkdtemp(dir))
		return "/nonexistent";
	snprintf(cmd, sizeof(cmd), "cp -r content/. %s/", dir);
	return system(cmd) == 0 ? dir : "/nonexistent";
}

/* Replaces a file of a content copy. */
static void put_file(const char *dir, const char *name, const char *text)
{
	char path[300];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* A malformed file stops the whole import with its path and line; nothing
 * of it is kept; a second import of the same files changes nothing. */
static void content_import(void)
{
	static const char *bad[][3] = {
		{"bodies/gt-sante/body.md", "---\nname: GT santé\nkind: working_group\ncolour: vert\n---\n",
		 "bodies/gt-sante/body.md, ligne 4 : clé inconnue « colour »"},
		{"bodies/gt-sante/body.md", "---\nname: GT santé\nkind: groupe\n---\n",
		 "ligne 3 : « groupe » inattendu pour kind"},
		{"bodies/gt-sante/body.md", "---\nname: GT\nkind: working_group\nmembers:\n  - atlantide\n---\n",
		 "membre inconnu « atlantide »"},
		{"bodies/gt-sante/body.md", "name: pas d'en-tête\n", "ligne 1 : l'en-tête « --- » manque"},
		{"organisations/cai.md", "---\nname: CAI\ncommune: Atlantis\n---\n",
		 "organisations/cai.md, ligne 3 : commune inconnue « Atlantis »"},
		{"organisations/cai.md", "---\nname: CAI\nwebsite: javascript:alert(1)\n---\n",
		 "le site doit commencer par https://"},
		{"organisations/Mauvais Nom.md", "---\nname: X\n---\n", "nom de fichier invalide"},
		{"bodies/gt-sante/2021-02-30.md", "---\ntitle: R\n---\n", "date du nom de fichier impossible"},
		{"bodies/gt-sante/2021-03-01.md", "---\ntitle: R\nstart: \"14:00\"\nend: \"09:00\"\n---\n",
		 "ligne 4 : La réunion ne peut pas finir avant de commencer."},
		{"bodies/gt-sante/2021-03-02.md", "---\ntitle: R\nformat: en ligne\n---\n",
		 "ligne 3 : Le format doit être"},
		{"bodies/gt-sante/2021-03-01.md", "---\ntitle: R\nstart: \"25:00\"\n---\n",
		 "ligne 3 : « start » attend une heure"},
		{"bodies/gt-sante/2021-03-01.md", "---\ntitle: R\nattendance:\n  cai: peut-être\n---\n",
		 "« peut-être » inattendu pour attendance"},
		{"bodies/gt-sante/notes.md", "---\ntitle: R\n---\n", "nom attendu AAAA-MM-JJ.md"},
	};
	json_t *before = db_row("SELECT (SELECT count(*) FROM body) AS b, (SELECT count(*) FROM membership) AS m, "
				"(SELECT group_concat(modified) FROM organisation) AS om", NULL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *dir = content_copy();
		struct buf err = {0};
		put_file(dir, bad[i][0], bad[i][1]);
		db_exec("UPDATE body SET name = 'modifié' WHERE slug = 'gt-mobilite'", NULL);
		CHECK_INT(content_import_dir(dir, &err), -1);
		CHECKF(strstr(buf_str(&err), bad[i][2]) != NULL, "%s", buf_str(&err));
		CHECK_INT(db_int(0, "SELECT count(*) FROM body WHERE name = 'modifié'", NULL), 1);
		buf_free(&err);
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		CHECK(system(cmd) == 0);
	}
	struct buf err = {0};
	long long audits = db_int(0, "SELECT count(*) FROM audit WHERE action = 'import'", NULL);
	CHECK(audits >= 15 + 21); /* the first import: every organisation and body */
	CHECK_INT(content_import_dir("content", &err), 0);
	CHECK_INT(db_int(0, "SELECT count(*) FROM body WHERE name = 'modifié'", NULL), 0);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE action = 'import' AND object = 'body' "
			 "AND after = 'gt-mobilite' AND id > (SELECT max(id) - 5 FROM audit)", NULL), 1);
	audits = db_int(0, "SELECT count(*) FROM audit WHERE action = 'import'", NULL);
	db_exec("UPDATE organisation SET modified = '2000-01-01T00:00:00Z'", NULL);
	db_exec("UPDATE body SET modified = '2000-01-01T00:00:00Z'", NULL);
	db_exec("UPDATE membership SET modified = '2000-01-01T00:00:00Z'", NULL);
	long long ids = db_int(0, "SELECT sum(id) FROM membership", NULL);
	CHECK_INT(content_import_dir("content", &err), 0);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM organisation WHERE modified <> '2000-01-01T00:00:00Z'",
			 NULL), 0);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM body WHERE modified <> '2000-01-01T00:00:00Z'", NULL), 0);
	CHECK_INT(db_int(-1, "SELECT count(*) FROM membership WHERE modified <> '2000-01-01T00:00:00Z'",
			 NULL), 0);
	CHECK_INT(db_int(0, "SELECT sum(id) FROM membership", NULL), ids);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE action = 'import'", NULL), audits);
	json_t *after = db_row("SELECT (SELECT count(*) FROM body) AS b, (SELECT count(*) FROM membership) AS m, "
			       "(SELECT group_concat(modified) FROM organisation) AS om", NULL);
	CHECK(json_equal(json_object_get(before, "b"), json_object_get(after, "b")));
	CHECK(json_equal(json_object_get(before, "m"), json_object_get(after, "m")));
	json_decref(before);
	json_decref(after);
	buf_free(&err);
}

int main(void)
{
	struct buf err = {0};
	if (harness_setup() < 0 || content_import_dir("content", &err) < 0 ||
	    auth_user_add(ADMIN, "Administration des tests", "admin", NULL, PASSWORD, &err) < 0 ||
	    auth_user_add(PARTNER, "Partenaire des tests", "partner", "forem", PASSWORD, &err) < 0) {
		fprintf(stderr, "pages: préparation impossible : %s\n", buf_str(&err));
		return 1;
	}
	buf_free(&err);
	pages_api();
	RUN(unknown_url_is_404);
	RUN(wrong_method_is_405);
	RUN(head_follows_get);
	RUN(anonymous_goes_to_login);
	RUN(roles_are_enforced);
	RUN(csrf_is_checked);
	RUN(security_headers_everywhere);
	RUN(assets_are_cached);
	RUN(login_and_logout);
	RUN(no_cookie_for_reading);
	RUN(secure_cookie_behind_https);
	RUN(password_change);
	RUN(bad_input_is_400);
	RUN(typed_parameters);
	RUN(every_route_answers);
	RUN(dev_reload);
	RUN(stale_documents_rerendered);
	RUN(communes_pages);
	RUN(commune_import_errors);
	RUN(bodies_pages);
	RUN(organisations_pages);
	RUN(pagination);
	RUN(visibility_rule);
	RUN(meetings_visibility);
	RUN(content_import);
	RUN(meeting_forms);
	RUN(preview);
	RUN(actions_page);
	RUN(meetings_filters);
	RUN(meeting_prepare);
	RUN(body_forms);
	RUN(meeting_delete);
	RUN(meeting_attendance);
	RUN(search_permissions);
	RUN(search_follows_edits);
	RUN(search_within);
	RUN(search_hostile);
	pages_interp();
	pages_notify();
	pages_matrix();
	pages_sweep();
	pages_cache();
	pages_security();
	pages_errors();
	harness_teardown();
	return test_report("pages");
}
