/* matrix.c — the authorization matrix: every route of the route table,
 * for every kind of reader, and for each visibility where the route shows
 * one thing. The expected outcomes are the table below; a route missing
 * from it fails the test, so that no new route escapes it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/buf.h"
#include "../../src/db.h"
#include "../../src/route.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"

#define PASSWORD "un mot de passe assez long"

/* The readers, in the order of the table's columns. */
enum { ANON, MEMBER, OTHER, BOARD, COORD, ADMIN, READERS };
static const char *const reader_names[READERS] = {
	"anonyme", "partenaire membre", "partenaire non membre", "conseil", "coordination",
	"administration"};
static const char *const reader_emails[READERS] = {
	NULL, "cpas@pages.test", "partenaire@pages.test", "ca@pages.test", "coord@pages.test",
	"admin@pages.test"};

/* One row: who may use the route (A allowed, D denied: 401, 403, 404 or
 * sent to the login page), and whether what it shows follows the
 * visibility of its object (then a reader who may not see the object is
 * denied too). An SQL statement run before each call puts the object in
 * the state the route expects. */
struct row {
	const char *method, *pattern, *who;
	bool follows_visibility;
	const char *setup;
};

/* Who may read an object of each visibility (public, members of its body,
 * internal), by reader. */
static const char *const by_visibility[3] = {"AAAAAA", "DADAAA", "DDDAAA"};

static const struct row table[] = {
	{"GET", "/", "AAAAAA", false, NULL},
	{"GET", "/healthz", "AAAAAA", false, NULL},
	{"GET", "/assets/:file", "AAAAAA", false, NULL},
	{"GET", "/login", "AAAAAA", false, NULL},
	{"POST", "/login", "AAAAAA", false, NULL},
	{"POST", "/logout", "DAAAAA", false, NULL},
	{"GET", "/account", "DAAAAA", false, NULL},
	{"POST", "/account/password", "DAAAAA", false, NULL},
	{"POST", "/account/calendar", "DAAAAA", false, NULL},
	{"POST", "/account/calendar/delete", "DAAAAA", false, NULL},
	{"POST", "/account/api-token", "DAAAAA", false, NULL},
	{"POST", "/account/api-token/delete", "DAAAAA", false, NULL},
	{"GET", "/bodies", "AAAAAA", false, NULL},
	{"GET", "/bodies/new", "DDDDAA", false, NULL},
	{"POST", "/bodies", "DDDDAA", false, NULL},
	{"GET", "/bodies/:slug", "AAAAAA", false, NULL},
	{"POST", "/bodies/:slug", "DDDDAA", false, NULL},
	{"GET", "/bodies/:slug/edit", "DDDDAA", false, NULL},
	{"GET", "/bodies/:slug/calendar.ics", "AAAAAA", false, NULL},
	{"GET", "/meetings", "AAAAAA", false, NULL},
	{"GET", "/meetings/new", "DDDDAA", false, NULL},
	{"POST", "/meetings", "DDDDAA", false, NULL},
	{"GET", "/meetings/:id", "AAAAAA", true, NULL},
	{"POST", "/meetings/:id", "DDDDAA", false, NULL},
	{"GET", "/meetings/:id/edit", "DDDDAA", false, NULL},
	{"GET", "/meetings/:id/history", "AAAAAA", true, NULL},
	{"GET", "/meetings/:id/diff", "AAAAAA", true, NULL},
	{"GET", "/meetings/:id/prepare", "DDDDAA", false, NULL},
	{"POST", "/meetings/:id/restore", "DDDDAA", false, NULL},
	{"POST", "/meetings/:id/delete", "DDDDAA", false,
	 "UPDATE meeting SET deleted = 0 WHERE title LIKE 'Matrice %'"},
	{"POST", "/meetings/:id/undelete", "DDDDAA", false,
	 "UPDATE meeting SET deleted = 1 WHERE title = 'Matrice members'"},
	{"POST", "/meetings/:id/invite", "DDDDAA", false,
	 "UPDATE meeting SET deleted = 0 WHERE title LIKE 'Matrice %'"},
	{"POST", "/preview", "DAAAAA", false, NULL},
	{"GET", "/actions", "AAAAAA", false, NULL},
	{"GET", "/letters", "AAAAAA", false, NULL},
	{"GET", "/letters/new", "DDDDAA", false, NULL},
	{"POST", "/letters", "DDDDAA", false, NULL},
	{"GET", "/letters/:id", "AAAAAA", true, NULL},
	{"POST", "/letters/:id", "DDDDAA", false, NULL},
	{"GET", "/letters/:id/edit", "DDDDAA", false, NULL},
	{"POST", "/letters/:id/events", "DDDDAA", false, NULL},
	{"POST", "/letters/:id/delete", "DDDDAA", false,
	 "UPDATE letter SET deleted = 0 WHERE title LIKE 'Matrice %'"},
	{"POST", "/letters/:id/undelete", "DDDDAA", false,
	 "UPDATE letter SET deleted = 1 WHERE title = 'Matrice members'"},
	{"GET", "/motions", "AAAAAA", false, NULL},
	{"GET", "/motions/:slug", "AAAAAA", true, NULL},
	{"GET", "/motions/:slug/communes/:nis", "AAAAAA", true, NULL},
	{"POST", "/motions/:slug/communes/:nis", "DDDDAA", false, NULL},
	{"GET", "/interpellations", "AAAAAA", false, NULL},
	{"GET", "/interpellations.csv", "AAAAAA", false, NULL},
	{"GET", "/feeds/interpellations.atom", "AAAAAA", false, NULL},
	{"GET", "/organisations", "AAAAAA", false, NULL},
	{"GET", "/organisations/:slug", "AAAAAA", false, NULL},
	{"GET", "/search", "AAAAAA", false, NULL},
	{"GET", "/search.json", "AAAAAA", false, NULL},
	{"GET", "/communes", "AAAAAA", false, NULL},
	{"GET", "/communes/:nis", "AAAAAA", false, NULL},
	{"GET", "/calendar.ics", "AAAAAA", false, NULL},
	{"GET", "/calendar/:file", "DDDDDD", false, NULL}, /* the secret decides, not the session */
	{"GET", "/feeds/minutes.atom", "AAAAAA", false, NULL},
	{"GET", "/api/v1", "AAAAAA", false, NULL},
	{"GET", "/api/v1/organizations", "AAAAAA", false, NULL},
	{"GET", "/api/v1/organizations/:slug", "AAAAAA", false, NULL},
	{"GET", "/api/v1/partners", "AAAAAA", false, NULL},
	{"GET", "/api/v1/partners/:slug", "AAAAAA", false, NULL},
	{"GET", "/api/v1/meetings", "AAAAAA", false, NULL},
	{"GET", "/api/v1/meetings/:id", "AAAAAA", true, NULL},
	{"GET", "/api/v1/papers", "AAAAAA", false, NULL},
	{"GET", "/api/v1/papers/:key", "AAAAAA", true, NULL},
	{"GET", "/api/v1/consultations", "AAAAAA", false, NULL},
	{"GET", "/api/v1/consultations/:id", "AAAAAA", true, NULL},
	{"GET", "/api/v1/communes", "AAAAAA", false, NULL},
	{"GET", "/api/v1/communes/:nis", "AAAAAA", false, NULL},
	{"GET", "/admin/users", "DDDDDA", false, NULL},
	{"GET", "/admin/outbox", "DDDDDA", false, NULL},
	{"POST", "/admin/outbox/:id/retry", "DDDDDA", false,
	 "UPDATE outbox SET status = 'failed' WHERE id = (SELECT min(id) FROM outbox)"},
	{"GET", "/admin/webhooks", "DDDDDA", false, NULL},
	{"POST", "/admin/webhooks", "DDDDDA", false, NULL},
	{"POST", "/admin/webhooks/:id/delete", "DDDDDA", false,
	 "INSERT OR IGNORE INTO webhook (id, url) VALUES (999, 'https://matrice.example.org/h')"},
};

static const char *const visibilities[3] = {"public", "members", "internal"};

/* The ids of the test's objects, one per visibility. */
static long long meeting_ids[3], letter_ids[3], motion_ids[3], consultation_ids[3];
static long long revision_ids[3][2]; /* two versions of each meeting's agenda */

/* Makes a meeting, a letter and a motion (with one commune) of each
 * visibility, all of the Namur local coordination. */
static void objects(void)
{
	for (int v = 0; v < 3; v++) {
		CHECK(db_exec("INSERT INTO meeting (body_id, title, start, status, visibility) SELECT "
			      "id, 'Matrice ' || ?1, '2031-01-01', 'planned', ?1 FROM body WHERE "
			      "slug = 'coordination-locale-namur'", "t", visibilities[v]) == 1);
		meeting_ids[v] = db_last_id();
		for (int k = 0; k < 2; k++) {
			CHECK(db_exec("INSERT INTO revision (meeting_id, field, text) VALUES (?, 'agenda', ?)",
				      "it", meeting_ids[v], k ? "Ordre du jour, version 2" : "Ordre du jour")
			      == 1);
			revision_ids[v][k] = db_last_id();
		}
		CHECK(db_exec("INSERT INTO letter (slug, kind, level, title, date, status, visibility, "
			      "body_id) SELECT 'matrice-' || ?1, 'courrier', 'commune', 'Matrice ' || ?1, "
			      "'2031-01-01', 'sent', ?1, id FROM body WHERE slug = "
			      "'coordination-locale-namur'", "t", visibilities[v]) == 1);
		letter_ids[v] = db_last_id();
		CHECK(db_exec("INSERT INTO motion (slug, title, visibility, body_id) SELECT 'matrice-' "
			      "|| ?1, 'Matrice ' || ?1, ?1, id FROM body WHERE slug = "
			      "'coordination-locale-namur'", "t", visibilities[v]) == 1);
		motion_ids[v] = db_last_id();
		CHECK(db_exec("INSERT INTO motion_commune (motion_id, commune_nis, state) VALUES (?, "
			      "92094, 'contact')", "i", motion_ids[v]) == 1);
		consultation_ids[v] = db_last_id();
	}
}

/* Writes into out the path of pattern with its parameters filled with the
 * test's object of visibility v. */
static void fill(const char *pattern, int v, char *out, size_t size)
{
	struct buf b = {0};
	for (const char *p = pattern; *p;) {
		if (*p != ':') {
			buf_putc(&b, *p++);
			continue;
		}
		size_t n = strcspn(p + 1, "/");
		char name[32];
		snprintf(name, sizeof(name), "%.*s", (int)n, p + 1);
		p += n + 1;
		if (strcmp(name, "file") == 0)
			buf_puts(&b, strstr(pattern, "calendar") ? "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics"
							    : "maillage.css");
		else if (strcmp(name, "nis") == 0)
			buf_puts(&b, "92094");
		else if (strcmp(name, "key") == 0)
			buf_printf(&b, "letter-%lld", letter_ids[v]);
		else if (strcmp(name, "slug") == 0 && strstr(pattern, "/motions/"))
			buf_printf(&b, "matrice-%s", visibilities[v]);
		else if (strcmp(name, "slug") == 0 && strstr(pattern, "/partners/"))
			buf_puts(&b, "cai");
		else if (strcmp(name, "slug") == 0 && strstr(pattern, "/organisations/"))
			buf_puts(&b, "cai");
		else if (strcmp(name, "slug") == 0)
			buf_puts(&b, "coordination-locale-namur");
		else if (strstr(pattern, "/letters/"))
			buf_printf(&b, "%lld", letter_ids[v]);
		else if (strstr(pattern, "/consultations/"))
			buf_printf(&b, "%lld", consultation_ids[v]);
		else if (strstr(pattern, "/outbox/"))
			buf_printf(&b, "%lld", db_int(1, "SELECT min(id) FROM outbox", NULL));
		else if (strstr(pattern, "/webhooks/"))
			buf_puts(&b, "999");
		else
			buf_printf(&b, "%lld", meeting_ids[v]);
	}
	if (strstr(pattern, "/diff"))
		buf_printf(&b, "?from=%lld&to=%lld", revision_ids[v][0], revision_ids[v][1]);
	snprintf(out, size, "%s", buf_str(&b));
	buf_free(&b);
}

/* Classifies a response: 'A' allowed, 'D' denied, '!' never acceptable. */
static char outcome(const struct call *c, int status)
{
	const char *loc = resp_get_header(&c->resp, "Location");
	if (status == 401 || status == 403 || status == 404 ||
	    (status == 302 && loc && strncmp(loc, "/login", 6) == 0))
		return 'D';
	if ((status >= 200 && status < 400) || status == 400 || status == 409 || status == 422)
		return 'A';
	return '!';
}

/* Every route in the table, every route of the table in the code. */
static void table_covers_routes(void)
{
	size_t n;
	const struct route *r = route_table(&n);
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (size_t k = 0; k < sizeof(table) / sizeof(table[0]); k++)
			found = found || (strcmp(table[k].method, r[i].method) == 0 &&
					  strcmp(table[k].pattern, r[i].pattern) == 0);
		CHECKF(found, "%s %s n'est pas dans la matrice des droits", r[i].method, r[i].pattern);
	}
	CHECK_INT(sizeof(table) / sizeof(table[0]), n);
}

/* Logs each reader in (anonymous stays out). */
static void log_in(struct browser b[READERS])
{
	for (int w = 0; w < READERS; w++) {
		memset(&b[w], 0, sizeof(b[w]));
		if (reader_emails[w])
			CHECKF(harness_login(&b[w], reader_emails[w], PASSWORD) == 303, "%s", reader_emails[w]);
	}
}

/* Each route, each reader, each visibility: the outcome of the table. */
static void matrix(void)
{
	objects();
	struct browser b[READERS];
	log_in(b);
	struct call home;
	call(&home, &b[ANON], "GET", "/", NULL); /* the anonymous reader's CSRF cookie */
	call_free(&home);
	for (size_t k = 0; k < sizeof(table) / sizeof(table[0]); k++) {
		const struct row *t = &table[k];
		int levels = t->follows_visibility ? 3 : 1;
		for (int v = 0; v < levels; v++) {
			int vis = t->follows_visibility ? v : 1;
			char path[300], got[READERS + 1] = "", want[READERS + 1];
			fill(t->pattern, vis, path, sizeof(path));
			for (int w = 0; w < READERS; w++) {
				want[w] = t->follows_visibility && by_visibility[vis][w] == 'D' ? 'D' : t->who[w];
				if (t->setup)
					CHECK(db_exec(t->setup, NULL) >= 0);
				struct call c;
				char form[128];
				snprintf(form, sizeof(form), "_csrf=%s&revision=%lld", b[w].csrf,
					 revision_ids[vis][0]);
				int st = call(&c, &b[w], t->method, path, strcmp(t->method, "POST") == 0 ? form : NULL);
				got[w] = outcome(&c, st);
				CHECKF(got[w] != '!', "%s %s, %s : statut %d", t->method, path, reader_names[w], st);
				call_free(&c);
				if (strcmp(t->pattern, "/logout") == 0 && reader_emails[w])
					harness_login(&b[w], reader_emails[w], PASSWORD);
			}
			want[READERS] = '\0';
			CHECKF(strcmp(got, want) == 0, "%s %s (%s) : %s au lieu de %s", t->method, t->pattern,
			       visibilities[vis], got, want);
		}
	}
}

/* Runs the authorization matrix. */
void pages_matrix(void)
{
	RUN(table_covers_routes);
	RUN(matrix);
}
