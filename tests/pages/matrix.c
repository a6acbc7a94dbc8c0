/* matrix.c — the authorization matrix: every route of the route table,
 * for every kind of reader, and for each visibility where the route shows
 * one thing. The expected outcomes are the table below; a route missing
 * from it fails the test, so that no new route escapes it. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../src/auth.h"
#include "../../src/buf.h"
#include "../../src/db.h"
#include "../../src/route.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"


/* The readers, in the order of the table's columns: the five accounts
 * through their session, then the same five kinds of account through an
 * API token (sent with an empty CSRF field on POSTs, as an attacker with a
 * token would). */
enum { ANON, MEMBER, OTHER, BOARD, COORD, ADMIN, T_MEMBER, T_OTHER, T_BOARD, T_COORD, T_ADMIN,
       READERS };
#define TOKENS T_MEMBER /* the first reader that uses a token */
static const char *const reader_names[READERS] = {
	"anonyme", "partenaire membre", "partenaire non membre", "conseil", "coordination",
	"administration", "jeton de partenaire membre", "jeton de partenaire non membre",
	"jeton du conseil", "jeton de la coordination", "jeton de l'administration"};
static const char *const reader_emails[READERS] = {
	NULL, "cpas@pages.test", "partenaire@pages.test", "ca@pages.test", "coord@pages.test",
	"admin@pages.test"};

/* One row: who may use the route (A allowed, D denied: 401, 403, 404 or
 * sent to the login page; a token is denied with 401 alone), and whether what it shows follows the
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
static const char *const by_visibility[3] = {"AAAAAAAAAAA", "DADAAAADAAA", "DDDAAADDAAA"};

/* Puts the memberships of the Namur local coordination back in force. */
#define BODY_MEMBER_BACK "UPDATE membership SET end_date = NULL WHERE body_id = (SELECT id " \
			 "FROM body WHERE slug = 'coordination-locale-namur')"

/* Puts the test's contact back (undeleted, not erased) before a call. */
#define CONTACT_BACK "UPDATE person SET deleted = 0, erased_at = NULL WHERE organisation_id = " \
		     "(SELECT id FROM organisation WHERE slug = 'cai')"

static const struct row table[] = {
	{"GET", "/", "AAAAAADDDDD", false, NULL},
	{"GET", "/healthz", "AAAAAADDDDD", false, NULL},
	{"GET", "/assets/:file", "AAAAAADDDDD", false, NULL},
	{"GET", "/login", "AAAAAADDDDD", false, NULL},
	{"POST", "/login", "AAAAAADDDDD", false, NULL},
	{"POST", "/logout", "DAAAAADDDDD", false, NULL},
	{"GET", "/account", "DAAAAADDDDD", false, NULL},
	{"POST", "/account/password", "DAAAAADDDDD", false, NULL},
	{"POST", "/account/calendar", "DAAAAADDDDD", false, NULL},
	{"POST", "/account/calendar/delete", "DAAAAADDDDD", false, NULL},
	{"POST", "/account/api-token", "DAAAAADDDDD", false, NULL},
	{"POST", "/account/api-token/delete", "DAAAAADDDDD", false, NULL},
	{"GET", "/password/forgot", "AAAAAADDDDD", false, NULL},
	{"POST", "/password/forgot", "AAAAAADDDDD", false, NULL},
	{"GET", "/password/:token", "DDDDDDDDDDD", false, NULL}, /* the link decides, not the session */
	{"POST", "/password/:token", "DDDDDDDDDDD", false, NULL},
	{"GET", "/bodies", "AAAAAADDDDD", false, NULL},
	{"GET", "/bodies/new", "DDDDAADDDDD", false, NULL},
	{"POST", "/bodies", "DDDDAADDDDD", false, NULL},
	{"GET", "/bodies/:slug", "AAAAAADDDDD", false, NULL},
	{"POST", "/bodies/:slug", "DDDDAADDDDD", false, NULL},
	{"GET", "/bodies/:slug/edit", "DDDDAADDDDD", false, NULL},
	{"POST", "/bodies/:slug/memberships", "DDDDAADDDDD", false, NULL},
	{"POST", "/bodies/:slug/memberships/:id/end", "DDDDAADDDDD", false, BODY_MEMBER_BACK},
	{"GET", "/bodies/:slug/calendar.ics", "AAAAAADDDDD", false, NULL},
	{"GET", "/meetings", "AAAAAADDDDD", false, NULL},
	{"GET", "/meetings/new", "DDDDAADDDDD", false, NULL},
	{"POST", "/meetings", "DDDDAADDDDD", false, NULL},
	{"GET", "/meetings/:id", "AAAAAADDDDD", true, NULL},
	{"POST", "/meetings/:id", "DDDDAADDDDD", false, NULL},
	{"GET", "/meetings/:id/edit", "DDDDAADDDDD", false, NULL},
	{"GET", "/meetings/:id/history", "AAAAAADDDDD", true, NULL},
	{"GET", "/meetings/:id/diff", "AAAAAADDDDD", true, NULL},
	{"GET", "/meetings/:id/calendar.ics", "AAAAAADDDDD", true, NULL},
	{"GET", "/meetings/:id/prepare", "DDDDAADDDDD", false, NULL},
	{"POST", "/meetings/:id/restore", "DDDDAADDDDD", false, NULL},
	{"GET", "/meetings/:id/delete", "DDDDAADDDDD", false,
	 "UPDATE meeting SET deleted = 0 WHERE title LIKE 'Matrice %'"},
	{"POST", "/meetings/:id/delete", "DDDDAADDDDD", false,
	 "UPDATE meeting SET deleted = 0 WHERE title LIKE 'Matrice %'"},
	{"POST", "/meetings/:id/undelete", "DDDDAADDDDD", false,
	 "UPDATE meeting SET deleted = 1 WHERE title = 'Matrice members'"},
	{"POST", "/meetings/:id/invite", "DDDDAADDDDD", false,
	 "UPDATE meeting SET deleted = 0 WHERE title LIKE 'Matrice %'"},
	{"GET", "/api/v1/polls", "AAAAAAAAAAA", false, NULL}, /* empty but for the coordination */
	{"GET", "/api/v1/polls/:id", "DDDDAADDDAA", false, NULL},
	{"GET", "/bodies/:slug/polls/new", "DDDDAADDDDD", false, NULL},
	{"GET", "/bodies/:slug/reviews/:year", "DDDDAADDDDD", false, NULL},
	{"POST", "/bodies/:slug/reviews/:year", "DDDDAADDDDD", false, NULL},
	{"POST", "/bodies/:slug/polls", "DDDDAADDDDD", false, NULL},
	{"GET", "/polls/answer/:token", "DDDDDDDDDDD", false, NULL}, /* the link decides */
	{"POST", "/polls/answer/:token", "DDDDDDDDDDD", false, NULL},
	{"GET", "/polls/:id", "DDDDAADDDDD", false, NULL},
	{"GET", "/polls/:id/answer", "DADDADDDDDD", false, NULL}, /* an account of a member */
	{"POST", "/polls/:id/answer", "DADDADDDDDD", false, NULL},
	{"POST", "/polls/:id/close", "DDDDAADDDDD", false,
	 "UPDATE poll SET state = 'open', meeting_id = NULL WHERE title = 'Matrice'"},
	{"POST", "/meetings/:id/rsvp", "DADDADDDDDD", true, /* an account of a member organisation */
	 "UPDATE meeting SET deleted = 0, status = 'planned' WHERE title LIKE 'Matrice %'"},
	{"POST", "/meetings/:id/approve", "DDDDAADDDDD", false, NULL},
	{"POST", "/meetings/:id/reopen", "DDDDAADDDDD", false, NULL},
	{"POST", "/meetings/:id/minutes-document", "DDDDAADDDDD", false, NULL},
	{"POST", "/preview", "DAAAAADDDDD", false, NULL},
	{"POST", "/paste", "DAAAAADDDDD", false, NULL},
	{"GET", "/suggest", "DAAAAADDDDD", false, NULL},
	{"GET", "/files/:id", "AAAAAADDDDD", true, NULL},
	{"GET", "/files/:id/:name", "AAAAAADDDDD", true, NULL},
	{"POST", "/files", "DDDDAADDDDD", false, NULL},
	{"POST", "/files/:id/rename", "DDDDAADDDDD", false, "UPDATE file SET deleted = 0"},
	{"POST", "/files/:id/replace", "DDDDAADDDDD", false, "UPDATE file SET deleted = 0"},
	{"POST", "/files/:id/delete", "DDDDAADDDDD", false, "UPDATE file SET deleted = 0"},
	{"POST", "/files/:id/undelete", "DDDDAADDDDD", false, "UPDATE file SET deleted = 1"},
	{"GET", "/actions", "AAAAAADDDDD", false, NULL},
	{"GET", "/actions/:id", "AAAAAADDDDD", true, NULL},
	{"POST", "/actions/:id", "DADDAADDDDD", false, NULL}, /* the owner organisation, the staff */
	{"GET", "/letters", "AAAAAADDDDD", false, NULL},
	{"GET", "/letters/new", "DDDDAADDDDD", false, NULL},
	{"POST", "/letters", "DDDDAADDDDD", false, NULL},
	{"GET", "/letters/:id", "AAAAAADDDDD", true, NULL},
	{"POST", "/letters/:id", "DDDDAADDDDD", false, NULL},
	{"GET", "/letters/:id/edit", "DDDDAADDDDD", false, NULL},
	{"POST", "/letters/:id/events", "DDDDAADDDDD", false, NULL},
	{"POST", "/letters/:id/delete", "DDDDAADDDDD", false,
	 "UPDATE letter SET deleted = 0 WHERE title LIKE 'Matrice %'"},
	{"POST", "/letters/:id/undelete", "DDDDAADDDDD", false,
	 "UPDATE letter SET deleted = 1 WHERE title = 'Matrice members'"},
	{"GET", "/motions", "AAAAAADDDDD", false, NULL},
	{"GET", "/motions/new", "DDDDAADDDDD", false, NULL},
	{"POST", "/motions", "DDDDAADDDDD", false, NULL},
	{"GET", "/motions/:slug", "AAAAAADDDDD", true, NULL},
	{"POST", "/motions/:slug", "DDDDAADDDDD", false, NULL},
	{"GET", "/motions/:slug/edit", "DDDDAADDDDD", false, NULL},
	{"POST", "/motions/:slug/undelete", "DDDDAADDDDD", false,
	 "UPDATE motion SET deleted = 1 WHERE slug = 'matrice-members'"},
	{"POST", "/motions/:slug/delete", "DDDDAADDDDD", false, /* then every motion back */
	 "UPDATE motion SET deleted = 0 WHERE slug LIKE 'matrice-%'"},
	{"GET", "/motions/:slug/communes/:nis", "AAAAAADDDDD", true, NULL},
	{"POST", "/motions/:slug/communes/:nis", "DDDDAADDDDD", false, NULL},
	{"GET", "/interpellations", "AAAAAADDDDD", false, NULL},
	{"GET", "/interpellations.csv", "AAAAAADDDDD", false, NULL},
	{"GET", "/mandates", "AAAAAADDDDD", false, NULL},
	{"GET", "/mandates/new", "DDDDAADDDDD", false, NULL},
	{"POST", "/mandates", "DDDDAADDDDD", false, NULL},
	{"GET", "/mandates/:id/edit", "DDDDAADDDDD", false, NULL},
	{"POST", "/mandates/:id", "DDDDAADDDDD", false, NULL},
	{"POST", "/mandates/:id/delete", "DDDDAADDDDD", false,
	 "UPDATE mandate SET deleted = 0 WHERE id = 1"},
	{"GET", "/reports/:year", "AAAAAADDDDD", false, NULL},
	{"GET", "/reports/:year/figures.csv", "AAAAAADDDDD", false, NULL},
	{"GET", "/reports/:year/rapport.odt", "AAAAAADDDDD", false, NULL},
	{"GET", "/reports/:year/rapport.docx", "AAAAAADDDDD", false, NULL},
	{"GET", "/feeds/interpellations.atom", "AAAAAADDDDD", false, NULL},
	{"GET", "/organisations", "AAAAAADDDDD", false, NULL},
	{"GET", "/organisations/new", "DDDDAADDDDD", false, NULL},
	{"POST", "/organisations", "DDDDAADDDDD", false, NULL},
	{"GET", "/organisations/:slug", "AAAAAADDDDD", false, NULL},
	{"POST", "/organisations/:slug", "DDDDAADDDDD", false, NULL},
	{"GET", "/organisations/:slug/edit", "DDDDAADDDDD", false, NULL},
	{"POST", "/organisations/:slug/undelete", "DDDDAADDDDD", false,
	 "UPDATE organisation SET deleted = 1 WHERE slug = 'cai'"},
	{"POST", "/organisations/:slug/delete", "DDDDAADDDDD", false, /* cai takes part: 409 */
	 "UPDATE organisation SET deleted = 0 WHERE slug = 'cai'"},
	{"POST", "/organisations/:slug/contacts", "DDDDAADDDDD", false, NULL},
	{"POST", "/organisations/:slug/contacts/:id", "DDDDAADDDDD", false, CONTACT_BACK},
	{"POST", "/organisations/:slug/contacts/:id/delete", "DDDDAADDDDD", false, CONTACT_BACK},
	{"POST", "/organisations/:slug/contacts/:id/undelete", "DDDDAADDDDD", false, CONTACT_BACK},
	{"GET", "/rsvp/:token", "DDDDDDDDDDD", false, NULL}, /* the signed link decides */
	{"POST", "/rsvp/:token", "DDDDDDDDDDD", false, NULL},
	{"GET", "/unsubscribe/:token", "DDDDDDDDDDD", false, NULL}, /* the link decides */
	{"POST", "/unsubscribe/:token", "DDDDDDDDDDD", false, NULL},
	{"POST", "/organisations/:slug/memberships", "DDDDAADDDDD", false, NULL},
	{"POST", "/organisations/:slug/memberships/:id/end", "DDDDAADDDDD", false,
	 "UPDATE membership SET end_date = NULL WHERE organisation_id = (SELECT id FROM "
	 "organisation WHERE slug = 'cai')"},
	{"GET", "/search", "AAAAAADDDDD", false, NULL},
	{"GET", "/search.json", "AAAAAADDDDD", false, NULL},
	{"GET", "/glossary", "AAAAAADDDDD", false, NULL},
	{"POST", "/glossary", "DDDDAADDDDD", false, NULL},
	{"POST", "/glossary/:id/delete", "DDDDAADDDDD", false,
	 "INSERT INTO glossary (id, acronym, expansion) VALUES (999, 'MATRICE', 'Sigle de la "
	 "matrice') ON CONFLICT DO UPDATE SET deleted = 0"},
	{"POST", "/glossary/:id/undelete", "DDDDAADDDDD", false,
	 "UPDATE glossary SET deleted = 1 WHERE id = 999"},
	{"GET", "/communes", "AAAAAADDDDD", false, NULL},
	{"GET", "/communes/:nis", "AAAAAADDDDD", false, NULL},
	{"POST", "/communes/:nis", "DDDDAADDDDD", false, NULL},
	{"GET", "/calendar.ics", "AAAAAADDDDD", false, NULL},
	{"GET", "/calendar/:file", "DDDDDDDDDDD", false, NULL}, /* the secret decides, not the session */
	{"GET", "/feeds/minutes.atom", "AAAAAADDDDD", false, NULL},
	{"GET", "/api/v1", "AAAAAAAAAAA", false, NULL},
	{"GET", "/api/v1/organizations", "AAAAAAAAAAA", false, NULL},
	{"GET", "/api/v1/organizations/:slug", "AAAAAAAAAAA", false, NULL},
	{"GET", "/api/v1/partners", "AAAAAAAAAAA", false, NULL},
	{"GET", "/api/v1/partners/:slug", "AAAAAAAAAAA", false, NULL},
	{"GET", "/api/v1/meetings", "AAAAAAAAAAA", false, NULL},
	{"GET", "/api/v1/meetings/:id", "AAAAAAAAAAA", true, NULL},
	{"GET", "/api/v1/papers", "AAAAAAAAAAA", false, NULL},
	{"GET", "/api/v1/papers/:key", "AAAAAAAAAAA", true, NULL},
	{"GET", "/api/v1/consultations", "AAAAAAAAAAA", false, NULL},
	{"GET", "/api/v1/consultations/:id", "AAAAAAAAAAA", true, NULL},
	{"GET", "/api/v1/communes", "AAAAAAAAAAA", false, NULL},
	{"GET", "/api/v1/communes/:nis", "AAAAAAAAAAA", false, NULL},
	{"GET", "/api/v1/files/:id", "AAAAAAAAAAA", true, NULL},
	{"GET", "/admin/users", "DDDDDADDDDD", false, NULL},
	{"POST", "/admin/users", "DDDDDADDDDD", false, NULL},
	{"GET", "/admin/users/:id", "DDDDDADDDDD", false, NULL},
	{"POST", "/admin/users/:id", "DDDDDADDDDD", false, NULL},
	{"POST", "/admin/users/:id/disable", "DDDDDADDDDD", false,
	 "UPDATE user SET disabled = 0 WHERE email = 'matrice@pages.test'"},
	{"POST", "/admin/users/:id/enable", "DDDDDADDDDD", false,
	 "UPDATE user SET disabled = 1 WHERE email = 'matrice@pages.test'"},
	{"POST", "/admin/users/:id/link", "DDDDDADDDDD", false,
	 "UPDATE user SET disabled = 0 WHERE email = 'matrice@pages.test'"},
	{"GET", "/admin/contacts/:id/export", "DDDDDADDDDD", false, CONTACT_BACK},
	{"POST", "/admin/contacts/:id/erase", "DDDDDADDDDD", false, CONTACT_BACK},
	{"GET", "/admin/outbox", "DDDDDADDDDD", false, NULL},
	{"POST", "/admin/outbox/:id/retry", "DDDDDADDDDD", false,
	 "UPDATE outbox SET status = 'failed' WHERE id = (SELECT min(id) FROM outbox)"},
	{"GET", "/admin/webhooks", "DDDDDADDDDD", false, NULL},
	{"POST", "/admin/webhooks", "DDDDDADDDDD", false, NULL},
	{"POST", "/admin/webhooks/:id/delete", "DDDDDADDDDD", false,
	 "INSERT OR IGNORE INTO webhook (id, url) VALUES (999, 'https://matrice.example.org/h')"},
};

static const char *const visibilities[3] = {"public", "members", "internal"};

/* The ids of the test's objects, one per visibility. */
static long long meeting_ids[3], action_ids[3], letter_ids[3], motion_ids[3], consultation_ids[3];
static long long file_ids[3]; /* a PDF attached to each meeting */
static long long revision_ids[3][2]; /* two versions of each meeting's agenda */
static long long account_id; /* the account the administration routes act on */
static long long contact_id; /* the contact the contacts' routes act on */
static long long poll_id;    /* the date poll its routes act on */

/* Makes a meeting, a letter and a motion (with one commune) of each
 * visibility, all of the Namur local coordination. */
static void objects(void)
{
	CHECK(db_exec("INSERT INTO user (email, name, role) VALUES ('matrice@pages.test', "
		      "'Compte de la matrice', 'partner')", NULL) == 1);
	account_id = db_last_id();
	CHECK(db_exec("INSERT INTO person (organisation_id, name, email) SELECT id, 'Contact de la "
		      "matrice', 'contact-matrice@pages.test' FROM organisation WHERE slug = 'cai'",
		      NULL) == 1);
	contact_id = db_last_id();
	/* a message of each kind and state in the outbox, for its page */
	CHECK(db_exec("INSERT INTO outbox (kind, message_id, recipient, subject, body, status) "
		      "VALUES ('mail', '<m1@matrice>', 'a@pages.test', 'Invitation', 'x', 'sent'), "
		      "('webhook', '<m2@matrice>', 'https://matrice.example.org/h', 'Motion', '{}', "
		      "'failed'), ('mail', '<m3@matrice>', 'b@pages.test', 'Rappel', 'x', 'queued')",
		      NULL) == 3);
	for (int v = 0; v < 3; v++) {
		CHECK(db_exec("INSERT INTO meeting (body_id, title, start, status, visibility) SELECT "
			      "id, 'Matrice ' || ?1, '2031-01-01', 'planned', ?1 FROM body WHERE "
			      "slug = 'coordination-locale-namur'", "t", visibilities[v]) == 1);
		meeting_ids[v] = db_last_id();
		CHECK(db_exec("INSERT INTO action (meeting_id, position, text, owner_organisation_id) "
			      "SELECT ?, 1, 'Action de la matrice', id FROM organisation WHERE slug = "
			      "'cpas-de-namur'", "i", meeting_ids[v]) == 1);
		action_ids[v] = db_last_id();
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
		if (v == 0) {
			CHECK(db_exec("INSERT INTO poll (body_id, title, closes) SELECT id, 'Matrice', "
				      "'2099-01-01' FROM body WHERE slug = 'coordination-locale-namur'",
				      NULL) == 1);
			poll_id = db_last_id();
			CHECK(db_exec("INSERT INTO poll_slot (poll_id, start, end) VALUES (?, "
				      "'2099-02-01T10:00', '2099-02-01T12:00')", "i", poll_id) == 1);
		}
		CHECK(db_exec("INSERT INTO blob (sha256, size) VALUES ('matrice-' || ?, 9)", "t",
			      visibilities[v]) == 1);
		long long blob = db_last_id();
		CHECK(db_exec("INSERT INTO blob_part (blob_id, seq, data) VALUES (?, 0, "
			      "CAST('%PDF-1.4\n' AS BLOB))", "i", blob) == 1);
		CHECK(db_exec("INSERT INTO file (meeting_id, name, mime, blob_id) VALUES (?, "
			      "'matrice.pdf', 'application/pdf', ?)", "ii", meeting_ids[v], blob) == 1);
		file_ids[v] = db_last_id();
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
		else if (strcmp(name, "year") == 0)
			buf_puts(&b, "2020");
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
		else if (strcmp(name, "name") == 0)
			buf_puts(&b, "matrice.pdf");
		else if (strstr(pattern, "/files/"))
			buf_printf(&b, "%lld", file_ids[v]);
		else if (strstr(pattern, "/polls/"))
			buf_printf(&b, "%lld", poll_id);
		else if (strstr(pattern, "/glossary/"))
			buf_puts(&b, "999");
		else if (strstr(pattern, "/mandates/"))
			buf_puts(&b, "1");
		else if (strstr(pattern, "/contacts/"))
			buf_printf(&b, "%lld", contact_id);
		else if (strstr(pattern, "/bodies/") && strstr(pattern, "/memberships/"))
			buf_printf(&b, "%lld", db_int(0, "SELECT min(m.id) FROM membership m JOIN body "
						 "b ON b.id = m.body_id WHERE b.slug = "
						 "'coordination-locale-namur'", NULL));
		else if (strstr(pattern, "/memberships/"))
			buf_printf(&b, "%lld", db_int(0, "SELECT min(m.id) FROM membership m JOIN "
						 "organisation o ON o.id = m.organisation_id WHERE "
						 "o.slug = 'cai'", NULL));
		else if (strstr(pattern, "/admin/users/"))
			buf_printf(&b, "%lld", account_id);
		else if (strstr(pattern, "/actions/"))
			buf_printf(&b, "%lld", action_ids[v]);
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

/* Logs each reader in (anonymous stays out); gives each token reader an
 * API token of its own account, a copy of its kind's session account. */
static void log_in(struct browser b[READERS])
{
	static char bearer[READERS][64];
	for (int w = 0; w < READERS; w++) {
		memset(&b[w], 0, sizeof(b[w]));
		if (w < TOKENS && reader_emails[w])
			CHECKF(harness_login(&b[w], reader_emails[w], PASSWORD) == 303, "%s", reader_emails[w]);
		if (w < TOKENS)
			continue;
		const char *like = reader_emails[w - TOKENS + MEMBER];
		CHECK(db_exec("INSERT OR IGNORE INTO user (email, name, role, organisation_id, "
			      "password_hash) SELECT 'jeton-' || email, name, role, organisation_id, "
			      "password_hash FROM user WHERE email = ?", "t", like) >= 0);
		long long id = db_int(0, "SELECT id FROM user WHERE email = 'jeton-' || ?", "t", like);
		char token[AUTH_TOKEN_LEN + 1];
		CHECK(id > 0 && auth_token_issue(id, "api", token) == 0);
		snprintf(bearer[w], sizeof(bearer[w]), "Bearer %s", token);
		b[w].authorization = bearer[w];
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
				CHECKF(w < TOKENS || got[w] == 'A' || strncmp(path, "/api/v1", 7) == 0 ||
				       st == 401, "%s %s, %s : statut %d au lieu de 401", t->method, path,
				       reader_names[w], st);
				call_free(&c);
				if (strcmp(t->pattern, "/logout") == 0 && w < TOKENS && reader_emails[w])
					harness_login(&b[w], reader_emails[w], PASSWORD);
			}
			want[READERS] = '\0';
			CHECKF(strcmp(got, want) == 0, "%s %s (%s) : %s au lieu de %s", t->method, t->pattern,
			       visibilities[vis], got, want);
		}
	}
}

/* Appends to out what a reader of html sees or hears: its text, and the
 * values of its title, aria-label, placeholder and alt attributes; scripts
 * and styles left out. */
static void visible_text(const char *html, struct buf *out)
{
	static const char *const heard[] = {" title=\"", " aria-label=\"", " placeholder=\"",
					    " alt=\""};
	for (const char *p = html; *p;) {
		if (*p != '<') {
			buf_putc(out, *p++);
			continue;
		}
		const char *end = strchr(p, '>');
		if (!end)
			break;
		for (size_t k = 0; k < sizeof(heard) / sizeof(heard[0]); k++) {
			const char *a = memmem(p, (size_t)(end - p), heard[k], strlen(heard[k]));
			const char *q = a ? strchr(a + strlen(heard[k]), '"') : NULL;
			if (q && q < end) {
				buf_putc(out, ' ');
				buf_append(out, a + strlen(heard[k]), (size_t)(q - a - strlen(heard[k])));
			}
		}
		buf_putc(out, ' ');
		const char *skip = strncmp(p, "<script", 7) == 0 ? "</script>"
				   : strncmp(p, "<style", 6) == 0 ? "</style>" : NULL;
		const char *next = skip ? strstr(end, skip) : NULL;
		p = next ? next + strlen(skip) : end + 1;
	}
}

/* Returns what French text breaks in s, or NULL: an ISO date or timestamp,
 * a bracketed plural, an English word. */
static const char *not_french(const char *s, char *why, size_t size)
{
	static const char *const english[] = {
		"webhook", "webhooks", "mail", "mails", "sent", "queued", "failed", "token",
		"draft", "preview", "upload", "download", "login", "logout", "dashboard", "email",
		"click", "submit", "cancel", "delete", "edit", "save", "error", "warning", "true",
		"false", "null", "undefined", "meeting", "meetings", "minutes", "agenda_html"};
	for (const char *p = s; *p; p++) {
		if (p[0] >= '0' && p[0] <= '9' && strspn(p, "0123456789") == 4 && p[4] == '-' &&
		    strspn(p + 5, "0123456789") == 2 && p[7] == '-' &&
		    strspn(p + 8, "0123456789") == 2) {
			snprintf(why, size, "date ISO « %.16s »", p);
			return why;
		}
		if (strncmp(p, "Courriers", 9) == 0 || strncmp(p, "courriers", 9) == 0) {
			snprintf(why, size, "« courriers » au lieu de « lettres » : « %.40s »", p);
			return why;
		}
		if (strncmp(p, "(s)", 3) == 0 || strncmp(p, "(es)", 4) == 0 || strncmp(p, "(x)", 3) == 0) {
			snprintf(why, size, "pluriel entre parenthèses « %.20s »", p > s + 12 ? p - 12 : s);
			return why;
		}
		if (!isalpha((unsigned char)p[0]) || (p > s && (isalnum((unsigned char)p[-1]) ||
							       p[-1] == '_' || p[-1] == '/' ||
							       (unsigned char)p[-1] >= 0x80)))
			continue;
		size_t n = 0;
		while (isalpha((unsigned char)p[n]) || p[n] == '_')
			n++;
		if ((unsigned char)p[n] >= 0x80 || p[n] == '/' || p[n] == '.')
			continue; /* a French word going on, a path or a file name */
		bool e_mail = p >= s + 2 && strncmp(p - 2, "e-", 2) == 0;
		for (size_t k = 0; k < sizeof(english) / sizeof(english[0]); k++)
			if (strlen(english[k]) == n && strncasecmp(p, english[k], n) == 0 && !e_mail) {
				snprintf(why, size, "mot anglais « %.*s » dans « %.60s »", (int)n, p,
					 p > s + 30 ? p - 30 : s);
				return why;
			}
	}
	return NULL;
}

/* Every page of the matrix, read by the administration and by the
 * coordination, speaks French: dates in words, real plurals, no English,
 * one word for the letters (the section « Interpellations », its list
 * « Lettres et cartes blanches »). */
static void french_everywhere(void)
{
	if (!meeting_ids[0])
		objects();
	struct browser b[READERS];
	log_in(b);
	struct buf page = {0};
	CHECK_INT(harness_fetch(&b[ANON], "GET", "/interpellations", NULL, &page), 200);
	CHECK(strstr(buf_str(&page), "<h1>Interpellations</h1>") &&
	      strstr(buf_str(&page), "<a href=\"/letters\">Lettres et cartes blanches</a>"));
	buf_reset(&page);
	CHECK_INT(harness_fetch(&b[ANON], "GET", "/letters", NULL, &page), 200);
	CHECK(strstr(buf_str(&page), "<title>Lettres et cartes blanches · ") &&
	      strstr(buf_str(&page), "<h1>Lettres et cartes blanches</h1>"));
	buf_free(&page);
	static const int readers[] = {ADMIN, COORD, ANON};
	for (size_t k = 0; k < sizeof(table) / sizeof(table[0]); k++) {
		const struct row *t = &table[k];
		if (strcmp(t->method, "GET") != 0 || strncmp(t->pattern, "/api/", 5) == 0)
			continue;
		char path[300];
		fill(t->pattern, 1, path, sizeof(path));
		for (size_t w = 0; w < sizeof(readers) / sizeof(readers[0]); w++) {
			if (t->setup)
				CHECK(db_exec(t->setup, NULL) >= 0);
			struct call c;
			int st = call(&c, &b[readers[w]], "GET", path, NULL);
			const char *type = resp_get_header(&c.resp, "Content-Type");
			type = type ? type : c.resp.content_type;
			if (st == 200 && type && strncmp(type, "text/html", 9) == 0) {
				struct buf text = {0};
				char why[200];
				visible_text(buf_str(&c.resp.body), &text);
				const char *bad = not_french(buf_str(&text), why, sizeof(why));
				CHECKF(!bad, "%s (%s) : %s", path, reader_names[readers[w]], bad ? bad : "");
				buf_free(&text);
			}
			call_free(&c);
		}
	}
}

/* Runs the authorization matrix. */
void pages_matrix(void)
{
	harness_fresh();
	RUN(table_covers_routes);
	RUN(matrix);
	RUN(french_everywhere);
}
