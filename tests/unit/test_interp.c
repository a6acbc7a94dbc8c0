/* test_interp.c — interpellations: the motions' state machine (every pair
 * of states), the stale rule, events and their audit, the follow-up list,
 * the CSV cells a spreadsheet opens, and the SVG map and chart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/buf.h"
#include "../../src/csv.h"
#include "../../src/db.h"
#include "../../src/interp.h"
#include "../../src/svg.h"
#include "../../src/vocab.h"
#include "../test.h"
#include "unit.h"

/* The transitions the centre asked for, written out pair by pair. */
static const char *const allowed_pairs[] = {
	"not_started>contact", "not_started>concertation", "not_started>submitted",
	"contact>concertation", "contact>submitted", "contact>adopted_college", "contact>rejected",
	"contact>stalled",
	"concertation>submitted", "concertation>adopted_college", "concertation>rejected",
	"concertation>stalled",
	"submitted>concertation", "submitted>adopted_college", "submitted>adopted_council",
	"submitted>rejected", "submitted>stalled",
	"adopted_college>submitted", "adopted_college>adopted_council",
	"adopted_college>implementation", "adopted_college>rejected", "adopted_college>stalled",
	"adopted_council>implementation", "adopted_council>stalled",
	"rejected>contact", "rejected>concertation", "rejected>submitted",
	"implementation>stalled",
	"stalled>contact", "stalled>concertation", "stalled>submitted", "stalled>implementation",
};

/* Every pair of states: allowed exactly when listed; nothing goes back to
 * not_started, nothing stays put, unknown states go nowhere. */
static void state_machine(void)
{
	size_t allowed = 0;
	for (size_t a = 0; a < vocab_motion_states.n; a++)
		for (size_t b = 0; b < vocab_motion_states.n; b++) {
			char pair[64];
			snprintf(pair, sizeof(pair), "%s>%s", vocab_motion_states.items[a].value, vocab_motion_states.items[b].value);
			bool listed = false;
			for (size_t k = 0; k < sizeof(allowed_pairs) / sizeof(allowed_pairs[0]); k++)
				listed = listed || strcmp(pair, allowed_pairs[k]) == 0;
			bool got = interp_transition_allowed(vocab_motion_states.items[a].value, vocab_motion_states.items[b].value);
			CHECKF(got == listed, "%s : %s attendu", pair, listed ? "permis" : "refusé");
			allowed += got;
		}
	CHECK_INT(allowed, sizeof(allowed_pairs) / sizeof(allowed_pairs[0]));
	CHECK(!interp_transition_allowed("adopted_council", "not_started"));
	CHECK(!interp_transition_allowed("voted", "contact"));
	CHECK(!interp_transition_allowed("contact", "voted"));
	CHECK(!interp_transition_allowed(NULL, "contact"));
	CHECK(!interp_transition_allowed("contact", NULL));
}

/* Six months without activity make a motion stale; a commune where
 * nothing started, or where the council decided (voted, rejected, put in
 * place), is never stale. */
static void stale_rule(void)
{
	CHECK(!interp_is_stale("concertation", "2020-01-15", "2020-07-14"));
	CHECK(interp_is_stale("concertation", "2020-01-15", "2020-07-15"));
	CHECK(!interp_is_stale("adopted_council", "2020-12-01", "2026-11-26"));
	CHECK(!interp_is_stale("rejected", NULL, "2026-11-26"));
	CHECK(!interp_is_stale("implementation", "2020-01-01", "2021-01-01"));
	CHECK(interp_is_stale("adopted_college", "2020-01-01", "2021-01-01"));
	CHECK(interp_is_stale("stalled", "2020-01-01", "2021-01-01"));
	CHECK(!interp_is_stale("implementation", "2026-06-01", "2026-11-26"));
	CHECK(!interp_is_stale("not_started", NULL, "2026-11-26"));
	CHECK(!interp_is_stale("not_started", "2001-01-01", "2026-11-26"));
	CHECK(interp_is_stale("contact", NULL, "2026-11-26"));
	/* month ends: 31 August + 6 months is the end of February */
	CHECK(!interp_is_stale("contact", "2021-08-31", "2022-02-27"));
	CHECK(interp_is_stale("contact", "2021-08-31", "2022-02-28"));
	CHECK(!interp_is_stale("contact", "2023-08-31", "2024-02-28"));
	CHECK(interp_is_stale("contact", "2023-08-31", "2024-02-29"));
	/* across the year */
	CHECK(!interp_is_stale("submitted", "2020-09-30", "2021-03-29"));
	CHECK(interp_is_stale("submitted", "2020-09-30", "2021-03-30"));
}

/* Cells with commas, quotes, newlines and formulas: quoted as RFC 4180
 * says, formulas turned into text for a spreadsheet only. */
static void csv_cells(void)
{
	struct {
		const char *in, *plain, *sheet;
	} cases[] = {
		{"simple", "simple", "simple"},
		{"", "", ""},
		{"a,b", "\"a,b\"", "\"a,b\""},
		{"dit \"non\"", "\"dit \"\"non\"\"\"", "\"dit \"\"non\"\"\""},
		{"ligne\nsuivante", "\"ligne\nsuivante\"", "\"ligne\nsuivante\""},
		{"=HYPERLINK(\"http://x.test\",\"clic\")", "\"=HYPERLINK(\"\"http://x.test\"\",\"\"clic\"\")\"",
		 "\"'=HYPERLINK(\"\"http://x.test\"\",\"\"clic\"\")\""},
		{"+32 81 00 00 00", "+32 81 00 00 00", "\"'+32 81 00 00 00\""},
		{"-2+3", "-2+3", "\"'-2+3\""},
		{"@SUM(A1)", "@SUM(A1)", "\"'@SUM(A1)\""},
		{"\t=1", "\t=1", "\"'\t=1\""},
		{"\r=1", "\"\r=1\"", "\"'\r'=1\""},
		{"a=b", "a=b", "a=b"},
		{"a;b", "\"a;b\"", "\"a;b\""},
		{"Lettre;=cmd|' /C calc'!A0", "\"Lettre;=cmd|' /C calc'!A0\"",
		 "\"Lettre;'=cmd|' /C calc'!A0\""},
		{"a,-1;+2\n@x", "\"a,-1;+2\n@x\"", "\"a,'-1;'+2\n'@x\""},
		{"a; =b", "\"a; =b\"", "\"a; =b\""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf a = {0}, b = {0};
		csv_put(&a, cases[i].in, false);
		csv_put(&b, cases[i].in, true);
		CHECKF(strcmp(buf_str(&a), cases[i].plain) == 0, "texte %zu : %s", i, buf_str(&a));
		CHECKF(strcmp(buf_str(&b), cases[i].sheet) == 0, "tableur %zu : %s", i, buf_str(&b));
		buf_free(&a);
		buf_free(&b);
	}
}

/* Tells whether the file at path is well-formed XML (Python's parser). */
static bool well_formed(const char *xml)
{
	char path[] = "/tmp/maillage-svg-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f)
		return false;
	fputs(xml, f);
	fclose(f);
	char cmd[200];
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 -c 'import sys, xml.dom.minidom; "
		 "xml.dom.minidom.parse(sys.argv[1])' %s 2>/dev/null", path);
	int rc = system(cmd);
	unlink(path);
	return rc == 0;
}

/* Counts the occurrences of needle in s. */
static int count(const char *s, const char *needle)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The map places the 38 communes once each, escapes what it writes and
 * is well-formed; an unknown code is left out; the chart writes its counts. */
static void svg_drawings(void)
{
	static const long long nis[] = {
		91005, 91013, 91015, 91030, 91034, 91054, 91059, 91064, 91072, 91103, 91114, 91120,
		91141, 91142, 91143, 92003, 92006, 92035, 92045, 92048, 92054, 92087, 92094, 92097,
		92101, 92114, 92137, 92138, 92140, 92141, 92142, 93010, 93014, 93018, 93022, 93056,
		93088, 93090, 12345};
	size_t n = sizeof(nis) / sizeof(nis[0]);
	struct svg_tile tiles[sizeof(nis) / sizeof(nis[0])];
	char names[sizeof(nis) / sizeof(nis[0])][32], hrefs[sizeof(nis) / sizeof(nis[0])][64];
	for (size_t i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "C%lld <&\"'>", nis[i]);
		snprintf(hrefs[i], sizeof(hrefs[i]), "/communes/%lld?a=1&b=2", nis[i]);
		tiles[i] = (struct svg_tile){nis[i], names[i], "état", hrefs[i], (int)(i % 12) - 1,
					     i % 2 == 0};
	}
	struct buf svg = {0};
	svg_commune_map(&svg, tiles, n, "Carte & test");
	CHECK(well_formed(buf_str(&svg)));
	for (size_t i = 0; i + 1 < n; i++) {
		char label[64];
		snprintf(label, sizeof(label), "<title>C%lld &lt;&amp;&quot;&#39;&gt; : ", nis[i]);
		CHECKF(count(buf_str(&svg), label) == 1, "commune %lld", nis[i]);
	}
	CHECK(strstr(buf_str(&svg), "C12345") == NULL);
	CHECK_INT(count(buf_str(&svg), "<a href="), 38);
	CHECK(strstr(buf_str(&svg), "?a=1&amp;b=2") != NULL);
	buf_reset(&svg);
	struct svg_bar bars[] = {{"2021", "région", 3}, {"2021", "fédéral <UE>", 12},
				 {"2020", "commune", 0}};
	svg_bar_chart(&svg, bars, 3, "Par année");
	CHECK(well_formed(buf_str(&svg)));
	CHECK_INT(count(buf_str(&svg), ">2021<"), 1);
	CHECK_INT(count(buf_str(&svg), ">2020<"), 1);
	CHECK(strstr(buf_str(&svg), ">12</text>") && strstr(buf_str(&svg), ">0</text>"));
	CHECK(strstr(buf_str(&svg), "fédéral &lt;UE&gt;") != NULL);
	buf_reset(&svg);
	svg_bar_chart(&svg, NULL, 0, "vide");
	CHECK(well_formed(buf_str(&svg)));
	buf_free(&svg);
}

/* Adds a letter with a follow-up date days from today (NULL: none). */
static long long letter_due(const char *title, const char *days, const char *status,
			    long long commune)
{
	char due[16] = "";
	if (days) {
		json_t *r = db_row("SELECT date('now', ?) AS d", "t", days);
		snprintf(due, sizeof(due), "%s", json_string_value(json_object_get(r, "d")));
		json_decref(r);
	}
	json_t *communes = commune ? json_pack("[I]", (json_int_t)commune) : json_array();
	struct letter_in l = {.kind = "courrier", .level = "commune", .status = status,
			      .visibility = "public", .title = title, .date = "2026-01-05",
			      .next_followup = due, .communes = communes};
	const char *field;
	CHECK(interp_letter_check(&l, &field) == NULL);
	long long id = interp_letter_save(0, &l, 0);
	json_decref(communes);
	return id;
}

/* Tells whether rows hold a row whose title is title. */
static bool has_title(json_t *rows, const char *title)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
		if (strcmp(json_string_value(json_object_get(r, "title")), title) == 0)
			return true;
	return false;
}

/* Events move a motion along allowed transitions only, audited; letters
 * follow their events; the follow-up list holds what is due within 14
 * days or overdue, in its territory. */
static void events_and_followups(void)
{
	char dir[] = "/tmp/maillage-interp-XXXXXX", path[128];
	struct buf err = {0};
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/i.db", dir);
	CHECK(db_open(path, true, &err) == 0);
	/* the search index names event kinds as the pages do (event_label) */
	CHECK_INT(db_int(0, "SELECT count(*) FROM event_label", NULL), 7);
	for (int i = 0; i < 7; i++)
		CHECKF(db_int(0, "SELECT lower(label) = ? FROM event_label WHERE kind = ?", "tt",
			      vocab_event_kinds.items[i].label, vocab_event_kinds.items[i].value) == 1,
		       "étiquette de « %s »", vocab_event_kinds.items[i].value);
	CHECK(db_script("INSERT INTO territory (id, slug, name) VALUES (1, 'ciney', 'Ciney'), "
			"(2, 'namur', 'Namur');"
			"INSERT INTO commune (nis, name, arrondissement, territory_id) VALUES "
			"(91030, 'Ciney', 'Dinant', 1), (92094, 'Namur', 'Namur', 2);"
			"INSERT INTO motion (id, slug, title) VALUES (1, 'm', 'Motion');") == 0);
	struct event_in e = {.motion_id = 1, .commune_nis = 91030, .date = "2026-01-10",
			     .kind = "meeting", .state = "adopted_council"};
	const char *field;
	CHECK(interp_event_check(&e, &field) != NULL); /* not_started → adopted_council */
	CHECK_STR(field, "state");
	e.state = "contact";
	CHECK(interp_event_check(&e, &field) == NULL);
	CHECK(interp_event_add(&e, 0) > 0);
	e.state = "not_started";
	CHECK(interp_event_check(&e, &field) != NULL);
	e = (struct event_in){.motion_id = 1, .commune_nis = 91030, .date = "2026-02-30",
			      .kind = "vote"};
	CHECK(interp_event_check(&e, &field) != NULL);
	CHECK_STR(field, "date");
	e.date = "2026-02-01", e.kind = "dance";
	CHECK(interp_event_check(&e, &field) != NULL);
	e.kind = "note", e.note = "bip\x07";
	CHECK(interp_event_check(&e, &field) != NULL);
	e.note = "rien de neuf", e.next_step = "Relancer l'échevin", e.next_followup = "";
	CHECK(interp_event_add(&e, 0) > 0); /* no state: kept */
	CHECK_INT(db_int(0, "SELECT count(*) FROM motion_commune WHERE state = 'contact' AND "
			 "next_step = 'Relancer l''échevin'", NULL), 1);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'motion_commune' AND "
			 "action = 'state' AND before = 'not_started' AND after = 'contact'", NULL), 1);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'event'", NULL), 2);

	long long soon = letter_due("Bientôt", "+10 days", "sent", 92094);
	long long late = letter_due("En retard", "-3 days", "sent", 0);
	letter_due("Plus tard", "+20 days", "sent", 0);
	letter_due("Clôturée", "-3 days", "closed", 0);
	long long gone = letter_due("Supprimée", "+1 day", "sent", 0);
	letter_due("Sans date", NULL, "sent", 0);
	CHECK(db_exec("UPDATE letter SET deleted = 1 WHERE id = ?", "i", gone) == 1);
	e = (struct event_in){.motion_id = 1, .commune_nis = 91030, .date = "2026-03-01",
			      .kind = "followup", .next_followup = "2000-01-01"};
	CHECK(interp_event_add(&e, 0) > 0);
	json_t *all = interp_followups(0, 0);
	CHECK_INT(json_array_size(all), 3);
	CHECK(has_title(all, "Bientôt") && has_title(all, "En retard") && has_title(all, "Motion — Ciney"));
	CHECK(json_is_true(json_object_get(json_array_get(all, 0), "overdue"))); /* oldest first */
	CHECK_STR(json_string_value(json_object_get(json_array_get(all, 0), "title")), "Motion — Ciney");
	json_decref(all);
	json_t *namur = interp_followups(2, 0), *ciney = interp_followups(1, 0);
	CHECK_INT(json_array_size(namur), 1);
	CHECK(has_title(namur, "Bientôt"));
	CHECK_INT(json_array_size(ciney), 1);
	CHECK(has_title(ciney, "Motion — Ciney"));
	json_decref(namur);
	json_decref(ciney);
	/* a letter's answer moves it on and clears its follow-up when asked */
	struct event_in answer = {.letter_id = late, .date = "2026-02-01", .kind = "answer",
				  .next_followup = ""};
	CHECK(interp_event_add(&answer, 0) > 0);
	CHECK_INT(db_int(0, "SELECT status = 'answered' AND next_followup IS NULL FROM letter "
			 "WHERE id = ?", "i", late), 1);
	answer.state = "contact", answer.letter_id = soon;
	CHECK(interp_event_check(&answer, &field) != NULL); /* a letter has no state */
	json_t *left = interp_followups(0, 0);
	CHECK_INT(json_array_size(left), 2);
	json_decref(left);
	buf_free(&err);
	db_close();
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	CHECK(system(path) == 0);
}

/* Runs the interpellation tests. */
void unit_interp(void)
{
	RUN(state_machine);
	RUN(stale_rule);
	RUN(csv_cells);
	RUN(svg_drawings);
	RUN(events_and_followups);
}
