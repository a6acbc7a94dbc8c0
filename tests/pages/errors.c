/* errors.c — page tests of the error policy: a failed statement answers
 * 500 « Erreur interne », never the 404 or the empty list its missing rows
 * would make, and such a page is never kept by the cache. */
#include <stdio.h>
#include <string.h>

#include "../../src/auth.h"
#include "../../src/buf.h"
#include "../../src/cache.h"
#include "../../src/db.h"
#include "../../src/html.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"

/* Tells whether GET target answers 500 with the internal error page. */
static bool internal_error(struct browser *b, const char *target)
{
	struct buf body = {0};
	int st = harness_fetch(b, "GET", target, NULL, &body);
	bool ok = st == 500 && strstr(buf_str(&body), "Erreur interne") != NULL;
	if (!ok)
		fprintf(stderr, "  %s : %d\n", target, st);
	buf_free(&body);
	return ok;
}

/* A table hidden behind the pages' back (a temporary view of the same name
 * that has none of its columns, so every statement on it fails): a list, a
 * page, a body's page, the API and a search answer 500; once it is back,
 * the same pages are whole again (nothing of the failure was cached). */
static void database_failure_is_500(void)
{
	struct browser anon = {0};
	long long id = db_int(0, "SELECT id FROM meeting WHERE slug = '2020-11-27' AND deleted = 0",
			      NULL);
	char page[48];
	snprintf(page, sizeof(page), "/meetings/%lld", id);
	CHECK(id > 0);
	/* a commit first: no page kept from before may answer for the failure */
	CHECK(db_exec("UPDATE meeting SET title = title || '' WHERE id = ?", "i", id) == 1);
	CHECK(db_exec("CREATE TEMP VIEW meeting AS SELECT 1 AS rien", NULL) >= 0);
	CHECK(internal_error(&anon, "/meetings"));
	CHECK(internal_error(&anon, page));
	CHECK(internal_error(&anon, "/bodies/coordination-locale-namur"));
	CHECK_INT(harness_fetch(&anon, "GET", "/api/v1/meetings", NULL, NULL), 500);
	CHECK(db_exec("DROP VIEW temp.meeting", NULL) >= 0);
	CHECK(db_exec("CREATE TEMP VIEW doc AS SELECT 1 AS rien", NULL) >= 0);
	CHECK(internal_error(&anon, "/search?q=r%C3%A9union"));
	CHECK(internal_error(&anon, "/search.json?q=r%C3%A9union"));
	CHECK(db_exec("DROP VIEW temp.doc", NULL) >= 0);
	/* healthy again: whole pages, made afresh (no error was kept) */
	struct buf body = {0};
	long long hits, misses, hits_after;
	cache_stats(&hits, &misses);
	CHECK_INT(harness_fetch(&anon, "GET", "/meetings", NULL, &body), 200);
	cache_stats(&hits_after, &misses);
	CHECK_INT(hits_after, hits);
	CHECK(strstr(buf_str(&body), "href=\"/meetings/") != NULL);
	CHECK_INT(harness_fetch(&anon, "GET", page, NULL, NULL), 200);
	CHECK_INT(harness_fetch(&anon, "GET", "/bodies/coordination-locale-namur", NULL, NULL), 200);
	CHECK_INT(harness_fetch(&anon, "GET", "/search?q=pl%C3%A9ni%C3%A8re+virtuelle", NULL, &body), 200);
	const char *res = strstr(buf_str(&body), "<main");
	res = res ? strstr(res, "</form>") : NULL;
	CHECKF(strstr(buf_str(&body), "href=\"/meetings/") != NULL, "%.3000s", res ? res : "");
	buf_free(&body);
}

/* An attendance that cannot be written (a trigger refuses it) makes the
 * whole save a 500 that changes nothing, and frees what it read
 * (LeakSanitizer checks this program as it ends). */
static void attendance_failure(void)
{
	struct buf err = {0};
	if (!db_int(0, "SELECT 1 FROM user WHERE email = 'err-coord@pages.test'", NULL))
		CHECK(auth_user_add("err-coord@pages.test", "Coordination", "coordinator", "cai",
				    "un mot de passe assez long", 0, &err) > 0);
	buf_free(&err);
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, "err-coord@pages.test", "un mot de passe assez long"), 303);
	long long id = db_int(0, "SELECT id FROM meeting WHERE slug = '2020-09-15'", NULL);
	long long lire = db_int(0, "SELECT id FROM organisation WHERE slug = 'lire-et-ecrire-namur'",
				NULL);
	char target[64];
	snprintf(target, sizeof(target), "/meetings/%lld/edit", id);
	CHECK_INT(harness_fetch(&coord, "GET", target, NULL, NULL), 200);
	snprintf(target, sizeof(target), "/meetings/%lld", id);
	json_t *m = db_row("SELECT body_id, title FROM meeting WHERE id = ?", "i", id);
	struct buf form = {0};
	buf_printf(&form, "_csrf=%s&body_id=%lld&date=2020-09-15&format=on_site&status=minutes_draft"
		   "&visibility=members&att_%lld=absent&title=", coord.csrf,
		   json_integer_value(json_object_get(m, "body_id")), lire);
	const char *t = json_string_value(json_object_get(m, "title"));
	html_url_encode(&form, t, strlen(t));
	json_decref(m);
	CHECK(db_exec("DELETE FROM attendance WHERE meeting_id = ? AND organisation_id = ?", "ii", id,
		      lire) >= 0);
	CHECK(db_exec("INSERT INTO attendance (meeting_id, organisation_id, presence) VALUES (?, ?, "
		      "'present')", "ii", id, lire) == 1);
	long long audits = db_int(0, "SELECT count(*) FROM audit", NULL);
	/* the attendance of the form is first deleted: that fails */
	CHECK(db_exec("CREATE TEMP TRIGGER attendance_refused BEFORE DELETE ON attendance BEGIN "
		      "SELECT RAISE(ABORT, 'refusé par le test'); END", NULL) >= 0);
	CHECK_INT(harness_fetch(&coord, "POST", target, buf_str(&form), NULL), 500);
	CHECK(db_exec("DROP TRIGGER temp.attendance_refused", NULL) >= 0);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit", NULL), audits); /* nothing saved */
	CHECK_INT(db_int(0, "SELECT count(*) FROM attendance WHERE meeting_id = ? AND "
			 "organisation_id = ? AND presence = 'present'", "ii", id, lire), 1);
	buf_free(&form);
}

/* Runs the error-policy cases. */
void pages_errors(void)
{
	harness_fresh();
	RUN(database_failure_is_500);
	RUN(attendance_failure);
}
