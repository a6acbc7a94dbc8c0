/* search.c — page tests of the search as each reader meets it: permissions,
 * edits followed, filters, hostile queries. Starts from the harness's
 * pristine network (harness_fresh). */
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
	CHECK_INT(harness_login(&forem, HARNESS_PARTNER, PASSWORD), 303);
	CHECK_INT(harness_login(&cpas, "cpas@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&admin, HARNESS_ADMIN, PASSWORD), 303);
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
	harness_form(&form, coord.csrf, pairs);
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

/* Runs the search cases on a fresh copy of the network. */
void pages_search(void)
{
	harness_fresh();
	RUN(search_permissions);
	RUN(search_follows_edits);
	RUN(search_within);
	RUN(search_hostile);
}
