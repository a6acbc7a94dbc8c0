/* interp.c — page tests of the interpellations: letters, motions, the
 * board's history, its CSV and feed, for every role. Runs after main.c's
 * cases, which create the test accounts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/buf.h"
#include "../../src/db.h"
#include "../../src/html.h"
#include "../../src/search.h"
#include "../../src/notify.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"


/* Sends GET target from b and returns the status, the body in *body. */
static int get(struct browser *b, const char *target, struct buf *body)
{
	return harness_fetch(b, "GET", target, NULL, body);
}

/* Saves three letters for the permission checks: a public one, one of a
 * body (members) and an internal one, each with a unique word. */
static void three_letters(long long ids[3])
{
	long long body = db_int(0, "SELECT id FROM body WHERE slug = "
			       "'plateforme-accompagnement-social-juridique'", NULL);
	const char *vis[] = {"public", "members", "internal"};
	const char *words[] = {"kangourou", "wombat", "dingo"};
	for (int i = 0; i < 3; i++) {
		char title[64];
		snprintf(title, sizeof(title), "Courrier %s", words[i]);
		CHECK(db_exec("INSERT INTO letter (slug, kind, level, title, date, text_text, status, "
			      "body_id, visibility) VALUES (?, 'courrier', 'commune', ?, '2025-03-0' || ?, "
			      "?, 'sent', ?, ?)", "ttitit", title, title, (long long)(i + 1), words[i],
			      body, vis[i]) == 1);
		ids[i] = db_int(0, "SELECT id FROM letter WHERE title = ?", "t", title);
		CHECK(db_exec("INSERT INTO letter_commune VALUES (?, 92094)", "i", ids[i]) == 1);
	}
}

/* The board and coordinators read every letter; a partner reads public
 * letters and those of its bodies; anonymous visitors public ones only —
 * in lists, pages, the history, its CSV and feed, the commune page and the
 * search; what one may not read is a 404. */
static void letters_by_role(void)
{
	long long ids[3];
	three_letters(ids);
	struct browser anon = {0}, forem = {0}, cpas = {0}, board = {0}, coord = {0};
	CHECK_INT(harness_login(&forem, "partenaire@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&cpas, "cpas@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&board, "ca@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&coord, "coord@pages.test", PASSWORD), 303);
	struct {
		struct browser *b;
		int sees; /* 1: public, 2: and members, 3: and internal */
	} who[] = {{&anon, 1}, {&forem, 1}, {&cpas, 2}, {&board, 3}, {&coord, 3}};
	const char *words[] = {"kangourou", "wombat", "dingo"};
	const char *lists[] = {"/letters", "/interpellations", "/interpellations.csv",
			       "/feeds/interpellations.atom", "/communes/92094",
			       "/interpellations?commune=92094&year=2025"};
	struct buf body = {0};
	for (size_t w = 0; w < sizeof(who) / sizeof(who[0]); w++) {
		for (int i = 0; i < 3; i++) {
			char target[64], title[64];
			bool may = i < who[w].sees;
			snprintf(target, sizeof(target), "/letters/%lld", ids[i]);
			CHECKF(get(who[w].b, target, &body) == (may ? 200 : 404), "%zu %s", w, target);
			snprintf(title, sizeof(title), "Courrier %s", words[i]);
			for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
				bool feed = strstr(lists[l], ".atom") != NULL; /* public, whoever asks */
				CHECKF(get(who[w].b, lists[l], &body) == 200, "%s", lists[l]);
				CHECKF((strstr(buf_str(&body), title) != NULL) == (feed ? i == 0 : may),
				       "visiteur %zu, %s, %s", w, lists[l], title);
			}
			snprintf(target, sizeof(target), "/search?q=%s", words[i]);
			get(who[w].b, target, &body);
			CHECKF((strstr(buf_str(&body), "<mark>") != NULL) == may, "recherche %zu %s", w,
			       words[i]);
		}
	}
	/* only coordinators write */
	struct call c;
	struct buf form = {0};
	const char *fields[] = {"title", "Essai", "date", "2025-04-01", "kind", "memo", "level",
				"region", "status", "draft", "visibility", "public", NULL};
	for (size_t w = 0; w < 4; w++) {
		harness_form(&form, who[w].b->csrf, fields);
		int s = call(&c, who[w].b, "POST", "/letters", buf_str(&form));
		CHECKF(s == 403, "visiteur %zu : %d", w, s);
		call_free(&c);
		CHECKF(get(who[w].b, "/letters/new", NULL) == (w == 0 ? 302 : 403), "formulaire %zu", w);
	}
	CHECK_INT(db_int(0, "SELECT count(*) FROM letter WHERE title = 'Essai'", NULL), 0);
	buf_free(&form);
	buf_free(&body);
}

/* A coordinator creates, edits, follows, deletes and restores a letter;
 * bad input shows the form again with a French message and keeps nothing. */
static void letter_forms(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, "coord@pages.test", PASSWORD), 303);
	struct call c;
	struct buf form = {0};
	long long cai = db_int(0, "SELECT id FROM organisation WHERE slug = 'cai'", NULL);
	char signer[24];
	snprintf(signer, sizeof(signer), "%lld", cai);
	const char *bad[][3] = {
		{"title", "", "Le titre est obligatoire"},
		{"date", "2025-02-30", "La date n&#39;existe pas"},
		{"kind", "tract", "Type de lettre inconnu"},
		{"level", "galaxie", "Niveau de pouvoir inconnu"},
		{"link", "javascript:alert(1)", "https://"},
		{"next_followup", "demain", "relance"},
		{"title", "deux\nlignes", "une ligne"},
		{"addressees", "bip\x01", "caractère de contrôle"},
	};
	long long before = db_int(0, "SELECT count(*) FROM letter", NULL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *f[] = {"title", "Lettre <b>test</b>", "date", "2025-05-06", "kind",
				   "open_letter", "level", "province", "status", "draft", "visibility",
				   "members", "addressees", "Collège provincial", "text", "# Texte",
				   "link", "", "next_followup", "", NULL};
		for (size_t k = 0; f[k]; k += 2)
			if (strcmp(f[k], bad[i][0]) == 0)
				f[k + 1] = bad[i][1];
		harness_form(&form, coord.csrf, f);
		CHECKF(call(&c, &coord, "POST", "/letters", buf_str(&form)) == 422, "%s", bad[i][0]);
		CHECKF(body_has(&c, bad[i][2]), "message pour %s", bad[i][0]);
		CHECK(body_has(&c, strcmp(bad[i][0], "addressees") ? "Collège provincial" : "# Texte"));
		call_free(&c);
	}
	CHECK_INT(db_int(0, "SELECT count(*) FROM letter", NULL), before);
	const char *good[] = {"title", "Lettre <b>test</b> =1+1", "date", "2025-05-06", "kind",
			      "open_letter", "level", "province", "status", "draft", "visibility",
			      "public", "addressees", "Collège provincial", "signers", signer,
			      "communes", "91030", "communes", "99999", "text", "Premier **paragraphe**.",
			      "next_followup", "", NULL};
	harness_form(&form, coord.csrf, good);
	CHECK_INT(call(&c, &coord, "POST", "/letters", buf_str(&form)), 303);
	const char *loc = resp_get_header(&c.resp, "Location");
	long long id = loc && strncmp(loc, "/letters/", 9) == 0 ? atoll(loc + 9) : 0;
	call_free(&c);
	CHECK(id > 0);
	CHECK_INT(db_int(0, "SELECT count(*) FROM letter_commune WHERE letter_id = ?", "i", id), 1);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'letter' AND object_id = ? "
			 "AND action = 'create'", "i", id), 1);
	char target[64];
	snprintf(target, sizeof(target), "/letters/%lld", id);
	CHECK_INT(call(&c, &coord, "GET", target, NULL), 200);
	CHECK(body_has(&c, "Lettre &lt;b&gt;test&lt;/b&gt;") && !body_has(&c, "<b>test</b>"));
	CHECK(body_has(&c, "<strong>paragraphe</strong>") && body_has(&c, "brouillon"));
	CHECK(body_has(&c, "href=\"/communes/91030\">Ciney</a>"));
	call_free(&c);
	/* an event: sending moves the draft on; a bad one is refused with its input kept */
	snprintf(target, sizeof(target), "/letters/%lld/events", id);
	const char *ev_bad[] = {"date", "2025-13-01", "kind", "sent", "note", "garder ceci", NULL};
	harness_form(&form, coord.csrf, ev_bad);
	CHECK_INT(call(&c, &coord, "POST", target, buf_str(&form)), 422);
	CHECK(body_has(&c, "garder ceci") && body_has(&c, "La date n&#39;existe pas"));
	call_free(&c);
	const char *ev[] = {"date", "2025-05-07", "kind", "sent", "note", "Envoyée <i>par</i> courriel",
			    "next_followup", "2025-06-01", NULL};
	harness_form(&form, coord.csrf, ev);
	CHECK_INT(call(&c, &coord, "POST", target, buf_str(&form)), 303);
	call_free(&c);
	CHECK_INT(db_int(0, "SELECT status = 'sent' AND next_followup = '2025-06-01' FROM letter "
			 "WHERE id = ?", "i", id), 1);
	snprintf(target, sizeof(target), "/letters/%lld", id);
	CHECK_INT(call(&c, &coord, "GET", target, NULL), 200);
	CHECK(body_has(&c, "Envoyée &lt;i&gt;par&lt;/i&gt; courriel") && body_has(&c, "7 mai 2025"));
	call_free(&c);
	/* the follow-up is overdue: on the dashboard */
	CHECK_INT(call(&c, &coord, "GET", "/", NULL), 200);
	CHECK(body_has(&c, "À relancer") && body_has(&c, target) && body_has(&c, "en retard"));
	call_free(&c);
	/* edit: the form shows what is stored; an update is audited */
	snprintf(target, sizeof(target), "/letters/%lld/edit", id);
	CHECK_INT(call(&c, &coord, "GET", target, NULL), 200);
	CHECK(body_has(&c, "value=\"91030\" checked"));
	call_free(&c);
	good[9] = "sent";
	good[3] = "2025-05-08";
	harness_form(&form, coord.csrf, good);
	snprintf(target, sizeof(target), "/letters/%lld", id);
	CHECK_INT(call(&c, &coord, "POST", target, buf_str(&form)), 303);
	call_free(&c);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'letter' AND object_id = ? "
			 "AND action = 'update'", "i", id), 1);
	/* soft delete, then restore */
	snprintf(target, sizeof(target), "/letters/%lld/delete", id);
	harness_form(&form, coord.csrf, (const char *[]){NULL});
	CHECK_INT(call(&c, &coord, "POST", target, buf_str(&form)), 303);
	call_free(&c);
	snprintf(target, sizeof(target), "/letters/%lld", id);
	struct browser anon = {0};
	CHECK_INT(get(&anon, target, NULL), 404);
	CHECK_INT(get(&coord, target, NULL), 200);
	CHECK_INT(db_int(0, "SELECT count(*) FROM doc WHERE kind = 'letter' AND ref = ?", "i", id), 0);
	snprintf(target, sizeof(target), "/letters/%lld/undelete", id);
	CHECK_INT(call(&c, &coord, "POST", target, buf_str(&form)), 303);
	call_free(&c);
	CHECK_INT(db_int(0, "SELECT count(*) FROM doc WHERE kind = 'letter' AND ref = ?", "i", id), 1);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'letter' AND object_id = ? "
			 "AND action IN ('delete', 'undelete')", "i", id), 2);
	buf_free(&form);
}

/* The CSV of the history: a BOM, semicolons (commas on request), dates
 * JJ/MM/AAAA, absolute addresses, one row a letter, and titles, notes and
 * addressees with commas, quotes, newlines and formulas made harmless. */
static void history_csv(void)
{
	CHECK(db_exec("INSERT INTO letter (slug, kind, level, title, date, addressees, status, "
		      "visibility) VALUES ('csv-1', 'memo', 'federal', '=HYPERLINK(\"http://x.test\")', "
		      "'2019-01-02', 'A, B et \"C\"\nsuite', 'sent', 'public'), ('csv-2', 'memo', "
		      "'federal', '+cmd|x', '2019-01-03', '@SUM(1)', 'sent', 'public'), ('csv-3', "
		      "'memo', 'federal', '-2+3', '2019-01-04', '', 'sent', 'public')", NULL) == 3);
	CHECK(db_exec("INSERT INTO event (letter_id, date, kind, note) SELECT id, '2019-02-01', "
		      "'answer', '=1+2, dit-il \"oui\"' FROM letter WHERE slug = 'csv-1'", NULL) == 1);
	struct buf body = {0};
	struct browser anon = {0};
	CHECK_INT(get(&anon, "/interpellations.csv?year=2019", &body), 200);
	/* semicolons, as a French-speaking spreadsheet splits; dates JJ/MM/AAAA */
	CHECK(strstr(buf_str(&body), ";01/02/2019;\"'=1+2, dit-il \"\"oui\"\"\";") != NULL);
	const char *s = buf_str(&body);
	CHECK(strncmp(s, "\xEF\xBB\xBF" "date;titre;", 12) == 0);
	CHECK(strstr(s, "\r\n02/01/2019;") != NULL);
	char address[160];
	snprintf(address, sizeof(address), ";%s/letters/%lld\r\n", notify_site,
		 db_int(0, "SELECT id FROM letter WHERE slug = 'csv-1'", NULL));
	CHECK(strstr(s, address) != NULL);
	/* commas on request */
	struct buf comma = {0};
	CHECK_INT(get(&anon, "/interpellations.csv?year=2019&sep=comma", &comma), 200);
	CHECK(strncmp(buf_str(&comma), "\xEF\xBB\xBF" "date,titre,", 12) == 0);
	CHECK(strstr(buf_str(&comma), ",01/02/2019,\"'=1+2, dit-il \"\"oui\"\"\",") != NULL);
	buf_free(&comma);
	CHECK(strstr(s, "\"'=HYPERLINK(\"\"http://x.test\"\")\"") != NULL);
	CHECK(strstr(s, "\"A, B et \"\"C\"\"\nsuite\"") != NULL);
	CHECK(strstr(s, "\"'+cmd|x\"") && strstr(s, "\"'@SUM(1)\"") && strstr(s, "\"'-2+3\""));
	int rows = 0;
	for (const char *p = s; (p = strstr(p, "\r\n")); p += 2)
		rows++;
	CHECK_INT(rows, 4); /* the header and three letters */
	CHECK(strstr(s, "\n=") == NULL && strstr(s, ";=") == NULL && strstr(s, ";+") == NULL &&
	      strstr(s, ";@") == NULL);
	buf_free(&body);
}

/* Tells whether a field of line (its CRLF taken off), split naively on
 * sep, starts as a formula would. */
static bool naive_formula(const char *line, size_t len, char sep)
{
	if (len && line[len - 1] == '\r')
		len--;
	for (size_t i = 0; i <= len; i++)
		if ((i == 0 || line[i - 1] == sep) && i < len && strchr("=+-@\t\r", line[i]))
			return true;
	return false;
}

/* The CSV split as a spreadsheet of any locale might: on ',' and on ';'
 * (and on line ends), no field starts a formula. */
static void csv_either_separator(void)
{
	CHECK(db_exec("INSERT INTO letter (slug, kind, level, title, date, addressees, status, "
		      "visibility) VALUES ('csv-sep', 'memo', 'federal', 'Lettre;=cmd|'' /C calc''!A0', "
		      "'2018-01-02', 'A,-1;+2\n@x\r=y;\tz', 'sent', 'public')", NULL) == 1);
	CHECK(db_exec("INSERT INTO event (letter_id, date, kind, note) SELECT id, '2018-02-01', "
		      "'note', 'ok;@SUM(1),-3' FROM letter WHERE slug = 'csv-sep'", NULL) == 1);
	struct buf body = {0};
	struct browser anon = {0};
	CHECK_INT(get(&anon, "/interpellations.csv?year=2018", &body), 200);
	const char *s = buf_str(&body);
	CHECK(strstr(s, "Lettre;'=cmd") != NULL);
	int lines = 0;
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, "\n");
		CHECKF(!naive_formula(p, n, ',') && !naive_formula(p, n, ';'), "ligne %d : %.*s", lines,
		       (int)n, p);
		lines++;
		p += n + (p[n] == '\n');
	}
	CHECK(lines >= 3); /* the header, the letter over two lines */
	buf_free(&body);
}

/* Extracts each <svg>…</svg> of html and tells whether every one is
 * well-formed XML with each of the 38 communes' tiles exactly once
 * (maps) — checked with Python's XML parser. */
static bool svgs_ok(const char *html, int maps)
{
	char path[] = "/tmp/maillage-page-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f)
		return false;
	fputs(html, f);
	fclose(f);
	char cmd[1200];
	snprintf(cmd, sizeof(cmd),
		 "/usr/bin/python3 -c '\n"
		 "import re, sys, xml.dom.minidom as m\n"
		 "svgs = re.findall(r\"<svg.*?</svg>\", open(sys.argv[1]).read(), re.S)\n"
		 "maps = 0\n"
		 "for s in svgs:\n"
		 "    d = m.parseString(s)\n"
		 "    links = [a.getAttribute(\"href\") for a in d.getElementsByTagName(\"a\")]\n"
		 "    if links:\n"
		 "        maps += 1\n"
		 "        assert len(links) == 38 and len(set(links)) == 38, links\n"
		 "assert maps == int(sys.argv[2]), maps\n"
		 "' %s %d", path, maps);
	int rc = system(cmd);
	unlink(path);
	return rc == 0;
}

/* The motion: its map and table of the 38 communes, the report's states,
 * stale communes; a commune's timeline where a coordinator moves the state
 * along allowed transitions only, audited; partners only read. */
static void motion_pages(void)
{
	struct browser anon = {0}, coord = {0}, forem = {0};
	CHECK_INT(harness_login(&coord, "coord@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&forem, "partenaire@pages.test", PASSWORD), 303);
	struct buf body = {0};
	CHECK_INT(get(&anon, "/motions", &body), 200);
	CHECK(strstr(buf_str(&body), "href=\"/motions/commune-hospitaliere\"") != NULL);
	CHECK_INT(get(&anon, "/motions/commune-hospitaliere", &body), 200);
	const char *s = buf_str(&body);
	CHECK(svgs_ok(s, 1));
	/* voted by the council: never stale; adopted by the college: stale */
	CHECK(!strstr(s, "votée par le conseil *") && strstr(s, "adoptée par le collège *"));
	CHECK(strstr(s, "<ul class=\"legend\" aria-label=\"Légende de la carte\">") &&
	      strstr(s, "</svg> rejetée</li>") && strstr(s, "rien depuis six mois</li>"));
	CHECK(strstr(s, "concertation : 4") && strstr(s, "pas entamée : 32"));
	CHECK(strstr(s, "<tr><th scope=\"row\"><a href=\"/motions/commune-hospitaliere"
		     "/communes/91030\">Ciney</a>") != NULL);
	CHECK(strstr(s, "<tr class=\"stale\">") != NULL);
	CHECK(strstr(s, "<tr><th scope=\"row\"><a href=\"/motions/commune-hospitaliere/communes/"
		     "91005\">Anhée</a>") != NULL); /* nothing started: not stale */
	CHECK_INT(get(&anon, "/interpellations", &body), 200);
	CHECK(svgs_ok(buf_str(&body), 1));
	CHECK_INT(get(&anon, "/motions/nulle-part", NULL), 404);
	CHECK_INT(get(&anon, "/motions/commune-hospitaliere/communes/99999", NULL), 404);
	/* a commune's timeline */
	const char *t = "/motions/commune-hospitaliere/communes/91034";
	CHECK_INT(get(&anon, t, &body), 200);
	CHECK(strstr(buf_str(&body), "Concertation entre le PCS") != NULL);
	CHECK(strstr(buf_str(&body), "Ajouter une étape") == NULL);
	CHECK_INT(get(&coord, t, &body), 200);
	CHECK(strstr(buf_str(&body), "<option value=\"submitted\">déposée</option>") != NULL);
	CHECK(strstr(buf_str(&body), "<option value=\"adopted_council\"") == NULL);
	struct call c;
	struct buf form = {0};
	const char *jump[] = {"date", "2025-06-01", "kind", "vote", "state", "adopted_council",
			      "note", "saut interdit", NULL};
	harness_form(&form, coord.csrf, jump);
	CHECK_INT(call(&c, &coord, "POST", t, buf_str(&form)), 422);
	CHECK(body_has(&c, "pas permis") && body_has(&c, "saut interdit"));
	call_free(&c);
	harness_form(&form, forem.csrf, jump);
	CHECK_INT(call(&c, &forem, "POST", t, buf_str(&form)), 403);
	call_free(&c);
	const char *ghost[] = {"date", "2025-06-01", "kind", "note", "meeting_id", "999999", NULL};
	harness_form(&form, coord.csrf, ghost);
	CHECK_INT(call(&c, &coord, "POST", t, buf_str(&form)), 422);
	CHECK(body_has(&c, "Cette réunion n&#39;existe pas."));
	call_free(&c);
	long long events = db_int(0, "SELECT count(*) FROM event", NULL);
	char meeting[24];
	snprintf(meeting, sizeof(meeting), "%lld", db_int(0, "SELECT id FROM meeting WHERE slug = "
							  "'2020-09-29'", NULL));
	const char *step[] = {"date", "2025-06-01", "kind", "note", "state", "submitted", "note",
			      "Texte déposé au conseil", "next_step", "Vote en septembre",
			      "next_followup", "2025-09-01", "meeting_id", meeting, NULL};
	harness_form(&form, coord.csrf, step);
	CHECK_INT(call(&c, &coord, "POST", t, buf_str(&form)), 303);
	call_free(&c);
	CHECK_INT(db_int(0, "SELECT count(*) FROM event", NULL), events + 1);
	CHECK_INT(db_int(0, "SELECT count(*) FROM audit WHERE object = 'motion_commune' AND "
			 "before = 'concertation' AND after = 'submitted'", NULL), 1);
	CHECK_INT(get(&anon, t, &body), 200);
	CHECK(strstr(buf_str(&body), "déposée") && strstr(buf_str(&body), "Vote en septembre"));
	/* the linked meeting is reserved to the members of Andenne's
	 * coordination: named to the coordination, not to a visitor */
	char link[48];
	snprintf(link, sizeof(link), "(<a href=\"/meetings/%s\">", meeting);
	CHECK(strstr(buf_str(&body), link) == NULL);
	CHECK(strstr(buf_str(&body), "(une réunion réservée)") != NULL);
	CHECK_INT(get(&coord, t, &body), 200);
	CHECK(strstr(buf_str(&body), link) != NULL);
	CHECK_INT(get(&anon, "/communes/91034", &body), 200);
	CHECK(strstr(buf_str(&body), "Texte déposé au conseil") != NULL);
	CHECK(strstr(buf_str(&body), "déposée") != NULL);
	/* the search finds the step, in Dinant */
	CHECK_INT(get(&anon, "/search?q=d%C3%A9pos%C3%A9&commune=91034", &body), 200);
	CHECK(strstr(buf_str(&body), "communes/91034") != NULL);
	buf_free(&form);
	buf_free(&body);
}

/* The follow-ups of a territory on the preparation of its meetings. */
static void prepare_followups(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, "coord@pages.test", PASSWORD), 303);
	CHECK(db_exec("UPDATE motion_commune SET next_followup = date('now', '+3 days') WHERE "
		      "commune_nis = 91030", NULL) == 1);
	CHECK(db_exec("INSERT INTO meeting (body_id, title, start) SELECT id, 'Réunion de Ciney', "
		      "'2025-01-01' FROM body WHERE slug = 'coordination-locale-ciney'", NULL) == 1);
	long long ciney = db_last_id();
	long long namur = db_int(0, "SELECT id FROM meeting WHERE body_id = (SELECT id FROM body "
				 "WHERE slug = 'coordination-locale-namur') LIMIT 1", NULL);
	char target[64];
	struct buf body = {0};
	snprintf(target, sizeof(target), "/meetings/%lld/prepare", ciney);
	CHECK_INT(get(&coord, target, &body), 200);
	CHECK(strstr(buf_str(&body), "À relancer") != NULL);
	CHECK(strstr(buf_str(&body), "/motions/commune-hospitaliere/communes/91030") != NULL);
	CHECK(namur > 0);
	snprintf(target, sizeof(target), "/meetings/%lld/prepare", namur);
	CHECK_INT(get(&coord, target, &body), 200);
	CHECK(strstr(buf_str(&body), "communes/91030") == NULL);
	buf_free(&body);
}

/* Hostile filters get a page (possibly empty), never an error; the index
 * is still in step with the data after every test above. */
static void hostile_filters(void)
{
	const char *queries[] = {
		"year=%27%20OR%201%3D1--", "year=%FF%FE", "level=%3Cscript%3E", "kind=%00",
		"status=draft%22", "commune=abc", "commune=99999999999999999999", "signer=%27%3B",
		"page=-4", "page=99999999999", "year=2020&level=region&kind=carte_blanche&signer=cri"};
	const char *paths[] = {"/letters", "/interpellations", "/interpellations.csv",
			       "/feeds/interpellations.atom"};
	struct browser anon = {0};
	struct buf body = {0};
	for (size_t p = 0; p < sizeof(paths) / sizeof(paths[0]); p++)
		for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++) {
			char target[200];
			snprintf(target, sizeof(target), "%s?%s", paths[p], queries[q]);
			CHECKF(get(&anon, target, &body) == 200, "%s", target);
			CHECKF(strstr(buf_str(&body), "<script>") == NULL, "%s", target);
		}
	CHECK_INT(get(&anon, "/interpellations?year=2020&level=region&kind=carte_blanche&signer=cri",
		      &body), 200);
	CHECK(strstr(buf_str(&body), "Refuser les travailleurs sans-papiers") != NULL);
	CHECK(strstr(buf_str(&body), "Accord de gouvernement") == NULL);
	struct buf problems = {0};
	CHECK_INT(search_check(&problems), 0);
	CHECKF(problems.len == 0, "%s", buf_str(&problems));
	buf_free(&problems);
	buf_free(&body);
}

/* Runs the interpellation page tests. */
void pages_interp(void)
{
	harness_fresh();
	RUN(letters_by_role);
	RUN(letter_forms);
	RUN(history_csv);
	RUN(csv_either_separator);
	RUN(motion_pages);
	RUN(prepare_followups);
	RUN(hostile_filters);
}
