/* report.c — the annual report's key figures on a network built here in
 * 2031 (the demo lives in 2020): each figure is what the test counts by
 * hand, an organisation present at three meetings counts once, the year
 * before has its own column, a year without anything is all zeros but
 * the communes (they keep their state) and the actions still late, and a
 * visitor's figures leave out what is for members or internal. */
#include <stdio.h>
#include <string.h>

#include "../../src/auth.h"
#include "../../src/buf.h"
#include "../../src/db.h"
#include "../../src/report.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"

/* A body of two organisations; in 2031 three meetings held (one online,
 * one for members, one internal), one cancelled, one in 2030; attendance,
 * actions, letters and a motion's steps in both years. */
static const char network[] =
	"INSERT INTO organisation (slug, name) VALUES ('rap-a', 'Rap A'), ('rap-b', 'Rap B');"
	"INSERT INTO body (slug, name, kind) VALUES ('rap-gt', 'GT rapport', 'working_group');"
	"INSERT INTO membership (body_id, organisation_id) SELECT b.id, o.id FROM body b, "
	"organisation o WHERE b.slug = 'rap-gt' AND o.slug IN ('rap-a', 'rap-b');"
	"INSERT INTO meeting (id, body_id, title, start, status, format, visibility) SELECT v.column1, "
	"b.id, 'R', v.column2, v.column3, v.column4, v.column5 FROM body b, (VALUES "
	"(9001, '2031-02-10T09:30', 'minutes_approved', 'on_site', 'public'), "
	"(9002, '2031-05-10T09:30', 'held', 'remote', 'members'), "
	"(9003, '2031-09-10T09:30', 'minutes_draft', 'on_site', 'internal'), "
	"(9004, '2031-11-10T09:30', 'cancelled', 'on_site', 'public'), "
	"(9005, '2030-11-10T09:30', 'held', 'hybrid', 'public')) v WHERE b.slug = 'rap-gt';"
	"INSERT INTO attendance (meeting_id, organisation_id, presence) SELECT v.column1, o.id, "
	"v.column3 FROM "
	"organisation o, (VALUES (9001, 'rap-a', 'present'), (9002, 'rap-a', 'present'), "
	"(9003, 'rap-a', 'present'), (9001, 'rap-b', 'present'), (9002, 'rap-b', 'excused'), "
	"(9005, 'rap-b', 'present')) v WHERE o.slug = v.column2;"
	"INSERT INTO action (meeting_id, position, text, due, state, closed_at) VALUES "
	"(9001, 1, 'a', '2031-03-01', 'done', '2031-04-01T10:00:00Z'), "
	"(9002, 1, 'b', '2031-06-01', 'open', NULL), "
	"(9005, 1, 'c', '2030-12-01', 'done', '2031-02-01T10:00:00Z'), "
	"(9005, 2, 'd', '2031-12-15', 'open', NULL);"
	"INSERT INTO letter (slug, title, kind, level, date, status, visibility) VALUES "
	"('rap-1', 'L1', 'open_letter', 'federal', '2031-03-03', 'sent', 'public'), "
	"('rap-2', 'L2', 'memo', 'federal', '2031-04-03', 'sent', 'internal'), "
	"('rap-3', 'L3', 'open_letter', 'region', '2030-04-03', 'sent', 'public');";

/* Returns the value (or the previous year's) of figure key. */
static long long value_of(json_t *figures, const char *key, const char *column)
{
	json_t *f;
	size_t i;
	json_array_foreach(figures, i, f)
		if (strcmp(db_str(f, "key"), key) == 0)
			return db_num(f, column);
	return -1;
}

/* The coordination's figures of 2031, and 2030 beside them. */
static void report_counts(void)
{
	CHECK(db_script(network) == 0);
	json_t *f = report_figures(2031, ROLE_COORDINATOR, 0);
	const struct {
		const char *key;
		long long now, before;
	} want[] = {
		{"held", 3, 1},	      {"cancelled", 1, 0}, {"online", 1, 1},
		{"presences", 4, 1},  {"organisations", 1 + 1, 1},
		{"opened", 2, 2},     {"closed", 2, 0},	   {"overdue", 2, 1},
		{"letters_federal", 2, 0}, {"letters_region", 0, 1},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		CHECKF(value_of(f, want[i].key, "value") == want[i].now, "%s : %lld au lieu de %lld",
		       want[i].key, value_of(f, want[i].key, "value"), want[i].now);
		CHECKF(value_of(f, want[i].key, "previous") == want[i].before,
		       "%s (année d'avant) : %lld au lieu de %lld", want[i].key,
		       value_of(f, want[i].key, "previous"), want[i].before);
	}
	json_decref(f);
}

/* A visitor sees only the public meeting and letter of 2031; a year with
 * nothing is all zeros; the CSV and Markdown carry every figure. */
static void report_visibility(void)
{
	json_t *f = report_figures(2031, ROLE_ANON, 0);
	CHECK_INT(value_of(f, "held", "value"), 1);
	CHECK_INT(value_of(f, "presences", "value"), 2);
	CHECK_INT(value_of(f, "opened", "value"), 1);
	CHECK_INT(value_of(f, "letters_federal", "value"), 1);
	json_decref(f);
	f = report_figures(2045, ROLE_ADMIN, 0);
	json_t *one;
	size_t i;
	bool zero = json_array_size(f) > 10;
	json_array_foreach(f, i, one) /* the motion's communes keep their state, though */
		if (strncmp(db_str(one, "key"), "communes_", 9) != 0 &&
		    strcmp(db_str(one, "key"), "overdue") != 0) /* and open actions stay late */
			zero = zero && db_num(one, "value") == 0 && db_num(one, "previous") == 0;
	CHECK(zero);
	CHECK_INT(value_of(f, "communes_adopted_college", "value"), 1); /* Gesves, in the demo */
	json_decref(f);
	f = report_figures(2031, ROLE_COORDINATOR, 0);
	struct buf csv = {0}, md = {0};
	report_csv(2031, f, &csv);
	report_markdown(2031, f, &md);
	CHECK(strstr(buf_str(&csv), "indicateur,2031,2030\r\nréunions tenues,3,1\r\n") != NULL);
	CHECK(strstr(buf_str(&csv), "organisations différentes présentes,2,1\r\n") != NULL);
	CHECK(strstr(buf_str(&md), "| réunions annulées | 1 | 0 |") != NULL);
	long long lines = 0;
	for (const char *p = buf_str(&csv); (p = strchr(p, '\n')); p++)
		lines++;
	CHECK_INT(lines, (long long)json_array_size(f) + 1); /* the header, then one a figure */
	buf_free(&csv);
	buf_free(&md);
	json_decref(f);
}

/* /reports/:year for a visitor and for the coordination: the public
 * meeting and letter only, or every one of them; the demo's board and
 * its four meetings of 2020 (two online) for the coordination alone; the
 * figures in CSV as report_csv writes them; no report for a year that
 * cannot be one. */
static void report_pages(void)
{
	struct browser anon = {0}, coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	struct call c;
	CHECK_INT(call(&c, &anon, "GET", "/reports/2031", NULL), 200);
	CHECK(body_has(&c, "Version publique") && body_has(&c, "10 février 2031"));
	CHECK(!body_has(&c, "10 mai 2031") && !body_has(&c, "10 septembre 2031"));
	CHECK(body_has(&c, ">L1</a>") && !body_has(&c, ">L2</a>"));
	CHECK(body_has(&c, "1 réunion tenue, en présentiel ; 2 présences notées, de 2 organisations "
			   "différentes ; 1 action décidée, faite depuis."));
	call_free(&c);
	CHECK_INT(call(&c, &coord, "GET", "/reports/2031", NULL), 200);
	CHECK(body_has(&c, "10 mai 2031") && body_has(&c, "10 septembre 2031"));
	CHECK(body_has(&c, ">L2</a>") && body_has(&c, "Les groupes de travail"));
	/* Rap A present at three meetings: three presences, one organisation */
	CHECK(body_has(&c, "3 réunions tenues, dont 1 à distance ou en hybride ; 4 présences notées, "
			   "de 2 organisations différentes ; 2 actions décidées, dont 1 faite depuis."));
	CHECK(body_has(&c, "<figcaption>Réunions tenues par type d&#39;instance, 2030 et 2031") ||
	      body_has(&c, "<figcaption>Réunions tenues par type d&#x27;instance, 2030 et 2031"));
	CHECK(body_has(&c, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\""));
	call_free(&c);
	CHECK_INT(call(&c, &coord, "GET", "/reports/2020", NULL), 200);
	CHECK(body_has(&c, "<h3 id=\"r-body-conseil-d-administration\">Conseil d&#39;administration"
			   "</h3>") || body_has(&c, "<h3 id=\"r-body-conseil-d-administration\">"
						"Conseil d&#x27;administration</h3>"));
	CHECK(body_has(&c, "4 réunions tenues, dont 2 à distance ou en hybride"));
	CHECK(body_has(&c, "Gesves") && body_has(&c, "adoptée par le collège"));
	CHECK(body_has(&c, "arrêté le budget 2021")); /* the board's bilan */
	CHECK(body_has(&c, "<h4>Ce qui a changé en 2020</h4>") &&
	      body_has(&c, "<li>1er décembre 2020 — Ciney : vote, votée par le conseil — "));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/reports/2020", NULL), 200);
	CHECK(!body_has(&c, "Conseil d&#39;administration") && !body_has(&c, "Bureau du conseil"));
	CHECK(!body_has(&c, "arrêté le budget 2021"));
	call_free(&c);
	/* a partner outside the working group: its members' and internal meetings left out */
	struct browser partner = {0};
	CHECK_INT(harness_login(&partner, HARNESS_PARTNER, PASSWORD), 303);
	CHECK_INT(call(&c, &partner, "GET", "/reports/2031", NULL), 200);
	CHECK(body_has(&c, "10 février 2031") && !body_has(&c, "10 mai 2031") &&
	      !body_has(&c, "10 septembre 2031") && !body_has(&c, ">L2</a>"));
	CHECK(body_has(&c, "Ce que vos instances vous permettent de lire"));
	call_free(&c);
	CHECK_INT(call(&c, &partner, "GET", "/reports/2031/figures.csv", NULL), 200);
	CHECK(body_has(&c, "réunions tenues,1,1\r\n") && body_has(&c, "lettres : fédéral,1,0\r\n"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/reports/2031/figures.csv", NULL), 200);
	json_t *f = report_figures(2031, ROLE_ANON, 0);
	struct buf csv = {0};
	buf_puts(&csv, "\xEF\xBB\xBF");
	report_csv(2031, f, &csv);
	CHECK(c.resp.body.len == csv.len && memcmp(c.resp.body.data, csv.data, csv.len) == 0);
	CHECK(header_has(&c, "Content-Disposition", "chiffres-2031.csv"));
	buf_free(&csv);
	json_decref(f);
	call_free(&c);
	const char *const bad[] = {"/reports/1800", "/reports/20a1", "/reports/02020", "/reports/2101"};
	for (size_t i = 0; i < 4; i++) {
		CHECKF(call(&c, &anon, "GET", bad[i], NULL) == 404, "%s", bad[i]);
		call_free(&c);
	}
}

/* Appends to text what pandoc reads back from the report of 2031 as
 * fetched by b in format (odt or docx); false when the page is not a 200
 * with the report's file name, or pandoc cannot read it. */
static bool document_text(struct browser *b, const char *format, struct buf *text)
{
	char path[96], file[160], cmd[300];
	snprintf(path, sizeof(path), "/reports/2031/rapport.%s", format);
	struct call c;
	int st = call(&c, b, "GET", path, NULL);
	snprintf(file, sizeof(file), "%s.rapport.%s", harness_db_path(), format);
	FILE *f = st == 200 ? fopen(file, "wb") : NULL;
	bool ok = f && fwrite(c.resp.body.data, 1, c.resp.body.len, f) == c.resp.body.len;
	char name[48];
	snprintf(name, sizeof(name), "rapport-activites-2031.%s", format);
	ok = f && fclose(f) == 0 && ok && header_has(&c, "Content-Disposition", name);
	call_free(&c);
	snprintf(cmd, sizeof(cmd), "pandoc -f %s -t plain --wrap=none %s", format, file);
	return ok && test_read_command(cmd, text) == 0;
}

/* The report as ODT and DOCX (pandoc reads them back): every chapter's
 * heading and the figures, the visitor's without what is not public. */
static void report_documents(void)
{
	struct browser anon = {0}, coord = {0}, partner = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	CHECK_INT(harness_login(&partner, HARNESS_PARTNER, PASSWORD), 303);
	const char *formats[] = {"odt", "docx"};
	for (int i = 0; i < 2; i++) {
		struct buf text = {0};
		CHECKF(document_text(&coord, formats[i], &text), "%s", formats[i]);
		const char *t = buf_str(&text);
		CHECKF(strstr(t, "Rapport d’activités 2031") && strstr(t, "Chiffres clés 2031") &&
		       strstr(t, "Coordination d’activités d’accueil et d’intégration") &&
		       strstr(t, "Interpellation") && strstr(t, "Instances") &&
		       strstr(t, "Les groupes de travail") && strstr(t, "GT rapport"), "%s", formats[i]);
		CHECKF(strstr(t, "réunions tenues") && strstr(t, "L1") && strstr(t, "L2") &&
		       strstr(t, "10 septembre 2031"), "%s", formats[i]);
		/* the two charts and the motion's map, as pictures with their titles */
		char cmd[300];
		struct buf md = {0};
		snprintf(cmd, sizeof(cmd), "pandoc -f %s -t markdown --wrap=none %s.rapport.%s",
			 formats[i], harness_db_path(), formats[i]);
		CHECK(test_read_command(cmd, &md) == 0);
		long long pictures = 0;
		for (const char *p = buf_str(&md); (p = strstr(p, "![")); p++)
			pictures++;
		CHECKF(pictures == 3, "%s : %lld images", formats[i], pictures);
		CHECKF(strstr(buf_str(&md), "Réunions tenues par type d'instance, 2030 et 2031") ||
		       strstr(buf_str(&md), "Réunions tenues par type d’instance, 2030 et 2031"), "%s",
		       formats[i]);
		CHECKF(strstr(buf_str(&md), "Lettres et cartes blanches par niveau") != NULL, "%s",
		       formats[i]);
		buf_free(&md);
		buf_reset(&text);
		CHECKF(document_text(&anon, formats[i], &text), "%s", formats[i]);
		t = buf_str(&text);
		CHECKF(strstr(t, "Version publique") && strstr(t, "L1") && !strstr(t, "L2") &&
		       !strstr(t, "10 septembre 2031") && !strstr(t, "10 mai 2031"), "%s", formats[i]);
		buf_reset(&text);
		CHECKF(document_text(&partner, formats[i], &text), "%s", formats[i]);
		t = buf_str(&text);
		CHECKF(strstr(t, "L1") && !strstr(t, "L2") && !strstr(t, "10 septembre 2031") &&
		       !strstr(t, "10 mai 2031") && strstr(t, "10 février 2031"), "%s", formats[i]);
		buf_free(&text);
	}
}

/* Returns the versions kept of rap-gt's bilan of 2031. */
static long long versions(void)
{
	return db_int(-1, "SELECT count(*) FROM body_review r JOIN body b ON b.id = r.body_id "
		      "WHERE b.slug = 'rap-gt' AND r.year = 2031", NULL);
}

/* A body's bilan and perspectives: only the coordination writes them;
 * each change is a version, an unchanged save is none; the body's page
 * and the report show the current one, with the year's actions still open
 * and next year's meetings (a visitor's report without the members'
 * action); too long a text is refused with the text kept, a hostile one
 * is shown as text. */
static void report_reviews(void)
{
	struct browser anon = {0}, partner = {0}, coord = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	CHECK_INT(harness_login(&partner, HARNESS_PARTNER, PASSWORD), 303);
	CHECK(db_script("INSERT INTO meeting (body_id, title, start, status, visibility) SELECT id, "
			"'Relance 2032', '2032-03-04T09:30', 'planned', 'public' FROM body WHERE "
			"slug = 'rap-gt';") == 0);
	struct call c;
	const char *form = "/bodies/rap-gt/reviews/2031";
	CHECK_INT(call(&c, &anon, "GET", form, NULL), 302); /* to the login page */
	call_free(&c);
	CHECK_INT(call(&c, &partner, "GET", form, NULL), 403);
	call_free(&c);
	CHECK_INT(call(&c, &coord, "GET", form, NULL), 200);
	CHECK(body_has(&c, "Aucune version n'est encore enregistrée pour 2031."));
	call_free(&c);
	CHECK_INT(harness_post(&partner, form, (const char *[]){"bilan", "x", NULL}, NULL), 403);
	CHECK_INT(harness_post(&coord, form, (const char *[]){"bilan", "Un **premier** bilan.",
			       "perspectives", "Relancer le <script>alert(1)</script> groupe.",
			       NULL}, NULL), 303);
	CHECK_INT(versions(), 1);
	CHECK_INT(harness_post(&coord, form, (const char *[]){"bilan", "Un **premier** bilan.",
			       "perspectives", "Relancer le <script>alert(1)</script> groupe.",
			       NULL}, NULL), 303);
	CHECK_INT(versions(), 1); /* nothing changed: no version */
	CHECK_INT(harness_post(&coord, form, (const char *[]){"bilan", "Un **second** bilan.",
			       "perspectives", "Relancer le <script>alert(1)</script> groupe.",
			       NULL}, NULL), 303);
	CHECK_INT(versions(), 2);
	struct buf big = {0};
	for (int i = 0; i < 1 << 20; i++)
		buf_putc(&big, 'a' + i % 26);
	CHECK_INT(call(&c, &coord, "GET", form, NULL), 200);
	call_free(&c);
	struct buf out = {0};
	CHECK_INT(harness_post(&coord, form, (const char *[]){"bilan", buf_str(&big),
			       "perspectives", "gardées", NULL}, &out), 422);
	CHECK(strstr(buf_str(&out), "Le bilan dépasse 50 000 caractères") != NULL);
	CHECK(strstr(buf_str(&out), ">gardées</textarea>") != NULL);
	CHECK_INT(versions(), 2);
	buf_free(&out);
	buf_free(&big);
	CHECK_INT(call(&c, &coord, "GET", form, NULL), 200);
	CHECK(body_has(&c, "Un **second** bilan.</textarea>"));
	CHECK(body_has(&c, "<strong>premier</strong>") && body_has(&c, "<strong>second</strong>"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/bodies/rap-gt", NULL), 200);
	CHECK(body_has(&c, "id=\"bilan-2031\"") && body_has(&c, "<strong>second</strong>"));
	CHECK(!body_has(&c, "<strong>premier</strong>") && !body_has(&c, "<script>alert"));
	CHECK(!body_has(&c, "Écrire le bilan"));
	call_free(&c);
	/* the subjects: each agenda item once, without its Markdown, tasks left out */
	CHECK(db_exec("UPDATE meeting SET agenda = ? WHERE id = 9001", "t",
		      "1. **Budget** du réseau\n2. Budget du réseau\n3. Plan *2032*\n\n- [ ] une tâche\n")
	      == 1);
	CHECK_INT(call(&c, &coord, "GET", "/reports/2031", NULL), 200);
	CHECK(body_has(&c, "<span class=\"muted\">Sujets :</span> Budget du réseau ; Plan 2032</p>"));
	CHECK(body_has(&c, "<strong>second</strong>") && body_has(&c, "Relancer le"));
	CHECK(body_has(&c, "Actions encore ouvertes au 31 décembre 2031"));
	CHECK(body_has(&c, "<li>b, pour le 1er juin 2031</li>"));
	CHECK(body_has(&c, "Réunions prévues en 2032") && body_has(&c, "Relance 2032"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/reports/2031", NULL), 200);
	CHECK(body_has(&c, "<strong>second</strong>") && body_has(&c, "Relance 2032"));
	CHECK(!body_has(&c, "<li>b, pour le") && !body_has(&c, "<script>alert"));
	call_free(&c);
	/* in the search: the current version only, and an internal body's for the board's
	 * readers only */
	CHECK_INT(call(&c, &anon, "GET", "/search?q=second&kind=review", NULL), 200);
	CHECK(body_has(&c, "Bilan 2031 — GT rapport"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/search?q=premier&kind=review", NULL), 200);
	CHECK(!body_has(&c, "Bilan 2031 — GT rapport"));
	call_free(&c);
	CHECK_INT(call(&c, &anon, "GET", "/search?q=budget", NULL), 200);
	CHECK(!body_has(&c, "Bilan 2020 — Conseil"));
	call_free(&c);
	CHECK_INT(call(&c, &coord, "GET", "/search?q=budget", NULL), 200);
	CHECK(body_has(&c, "Bilan 2020 — Conseil d&#39;administration") ||
	      body_has(&c, "Bilan 2020 — Conseil d&#x27;administration"));
	call_free(&c);
	/* the body renamed, then made internal: its bilan's document follows */
	CHECK(db_exec("UPDATE body SET name = 'GT bilan annuel' WHERE slug = 'rap-gt'", NULL) == 1);
	CHECK_INT(call(&c, &anon, "GET", "/search?q=second&kind=review", NULL), 200);
	CHECK(body_has(&c, "Bilan 2031 — GT bilan annuel") && !body_has(&c, "— GT rapport<"));
	call_free(&c);
	CHECK(db_exec("UPDATE body SET visibility = 'internal', name = 'GT rapport' WHERE slug = "
		      "'rap-gt'", NULL) == 1);
	CHECK_INT(call(&c, &anon, "GET", "/search?q=second&kind=review", NULL), 200);
	CHECK(!body_has(&c, "Bilan 2031"));
	call_free(&c);
	CHECK_INT(call(&c, &coord, "GET", "/search?q=second&kind=review", NULL), 200);
	CHECK(body_has(&c, "Bilan 2031 — GT rapport"));
	call_free(&c);
	CHECK(db_exec("UPDATE body SET visibility = 'members' WHERE slug = 'rap-gt'", NULL) == 1);
	const char *const bad[] = {"/bodies/rap-gt/reviews/1800", "/bodies/rap-gt/reviews/20x1",
				   "/bodies/nulle-part/reviews/2031"};
	for (size_t i = 0; i < 3; i++) {
		CHECKF(call(&c, &coord, "GET", bad[i], NULL) == 404, "%s", bad[i]);
		call_free(&c);
	}
	CHECK_INT(harness_post(&coord, "/bodies/rap-gt/reviews/2101", (const char *[]){"bilan",
			       "x", NULL}, NULL), 404);
}

/* Runs the report tests. */
void pages_report(void)
{
	harness_fresh();
	RUN(report_counts);
	RUN(report_visibility);
	RUN(report_pages);
	RUN(report_documents);
	RUN(report_reviews);
}
