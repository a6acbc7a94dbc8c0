/* meetings.c — page tests of the meetings: the visibility rule, the lists,
 * the forms, the preview, actions, filters, the prepare page, attendance,
 * deletion. Starts from the harness's pristine network (harness_fresh). */
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
	struct browser anon = {0}, forem = {0}, cpas = {0}, admin = {0}, board = {0};
	CHECK_INT(harness_login(&board, "ca@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&forem, HARNESS_PARTNER, PASSWORD), 303);
	CHECK_INT(harness_login(&cpas, "cpas@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&admin, HARNESS_ADMIN, PASSWORD), 303);
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
	CHECK(body_has(&c, "Rédiger l&#39;appel d&#39;offre pour le graphisme du « Bienvenue à "
			   "Namur »</a> <span class=\"tag\">CAI</span> <span class=\"tag state-done\">"
			   "faite</span>"));
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

/* A coordinator creates and edits a meeting: server-side checks that show
 * the form again with the input, revisions of every new text, actions, the
 * audit log, locked approved minutes, and only coordinators may write. */
static void meeting_forms(void)
{
	struct buf form = {0};
	struct browser coord = {0}, partner = {0}, anon = {0};
	CHECK_INT(harness_login(&coord, "coord@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&partner, HARNESS_PARTNER, PASSWORD), 303);
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
		harness_form(&form, coord.csrf, pairs);
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
	harness_form(&form, coord.csrf, big);
	CHECK_INT(call(&c, &coord, "POST", "/meetings", buf_str(&form)), 422);
	CHECK(body_has(&c, "L&#39;ordre du jour dépasse 1 Mo."));
	call_free(&c);
	buf_free(&huge);
	CHECK_INT(db_int(0, "SELECT count(*) FROM meeting", NULL), before);
	const char *js[] = {"body_id", body_id, "title", "Visio", "date", "2021-03-02", "format", "remote",
			    "status", "planned", "visibility", "members", "video", "javascript:alert(1)", NULL};
	harness_form(&form, coord.csrf, js);
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
	harness_form(&form, partner.csrf, good);
	CHECK_INT(call(&c, &partner, "POST", "/meetings", buf_str(&form)), 403);
	call_free(&c);
	harness_form(&form, coord.csrf, good);
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
		harness_form(&form, coord.csrf, pairs);
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
	harness_form(&form, coord.csrf, locked);
	CHECK_INT(call(&c, &coord, "POST", target, buf_str(&form)), 422);
	CHECK(body_has(&c, "verrouillé"));
	call_free(&c);
	snprintf(rform, sizeof(rform), "_csrf=%s&revision=%lld", coord.csrf, r50);
	CHECK_INT(call(&c, &coord, "POST", restore, rform), 409);
	call_free(&c);
	locked[9] = "minutes_draft";
	harness_form(&form, coord.csrf, locked);
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

/* Open actions: only those of meetings one may see, each with its
 * meeting's date (and its body, unless the meeting bears its name); "mine"
 * keeps those of one's organisation; overdue ones are marked. */
static void actions_page(void)
{
	struct browser anon = {0}, cpas = {0}, coord = {0};
	CHECK_INT(harness_login(&cpas, "cpas@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&coord, "coord@pages.test", PASSWORD), 303);
	struct call c;
	CHECK_INT(call(&c, &anon, "GET", "/actions", NULL), 200);
	CHECK(body_has(&c, "Mettre les capsules vidéo à disposition"));
	CHECK(body_has(&c, "Plénière du PPLI, édition virtuelle</a> <span class=\"muted\">— 27 "
			   "novembre 2020, 9 h 30 · Plénière du PPLI</span>"));
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
	/* a meeting named as its body: the name once */
	long long met = db_int(0, "SELECT meeting_id FROM action WHERE text LIKE 'Compléter le "
			       "cadastre%'", NULL);
	json_t *was = db_row("SELECT title FROM meeting WHERE id = ?", "i", met);
	CHECK(db_exec("UPDATE meeting SET title = (SELECT name FROM body WHERE id = body_id) WHERE "
		      "id = ?", "i", met) == 1);
	call_free(&c);
	CHECK_INT(call(&c, &coord, "GET", "/actions?mine=1", NULL), 200);
	CHECK(body_has(&c, "Coordination locale de Namur</a> <span class=\"muted\">— 15 septembre "
			   "2020</span>"));
	CHECK(db_exec("UPDATE meeting SET title = ? WHERE id = ?", "ti", db_str(was, "title"), met) == 1);
	json_decref(was);
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
	CHECK_INT(harness_login(&admin, HARNESS_ADMIN, PASSWORD), 303);
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
	CHECK(body_has(&c, "Aucune réunion passée à afficher.") && body_has(&c, "Aucune réunion à venir."));
	call_free(&c);
	CHECK(db_int(0, "SELECT count(*) FROM meeting", NULL) > 0);
}

/* Preparing a meeting: the earlier open actions of the body, overdue first,
 * its members with last time's attendance, the last minutes. */
static void meeting_prepare(void)
{
	struct browser coord = {0}, partner = {0};
	CHECK_INT(harness_login(&coord, "coord@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&partner, HARNESS_PARTNER, PASSWORD), 303);
	long long body = db_int(0, "SELECT id FROM body WHERE slug = 'coordination-locale-namur'", NULL);
	struct meeting_in next = {.body_id = body, .title = "Coordination locale de Namur",
				  .start = "2020-12-01", .format = "remote", .status = "planned",
				  .visibility = "members", .agenda = "", .minutes = ""};
	long long id = meeting_save(0, &next, 0);
	CHECK(id > 0);
	/* an open action of the body, overdue */
	CHECK(db_exec("UPDATE action SET due = '2020-10-15' WHERE text LIKE 'Compléter le cadastre "
		      "des opérateurs%'", NULL) == 1);
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

/* Deleting a meeting hides it from everyone but the coordination, who can
 * bring it back; both are audited. */
static void meeting_delete(void)
{
	struct browser coord = {0}, partner = {0}, anon = {0};
	CHECK_INT(harness_login(&coord, "coord@pages.test", PASSWORD), 303);
	CHECK_INT(harness_login(&partner, HARNESS_PARTNER, PASSWORD), 303);
	long long id = db_int(0, "SELECT id FROM meeting WHERE slug = '2020-02-13'", NULL);
	char target[64], del[80], form[120];
	snprintf(target, sizeof(target), "/meetings/%lld", id);
	snprintf(del, sizeof(del), "/meetings/%lld/delete", id);
	struct call c;
	snprintf(form, sizeof(form), "_csrf=%s", partner.csrf);
	CHECK_INT(call(&c, &partner, "POST", del, form), 403);
	call_free(&c);
	/* « Supprimer » opens a page that asks, with a form that works without
	 * JavaScript; nothing is deleted until it is sent */
	CHECK_INT(call(&c, &coord, "GET", target, NULL), 200);
	char link[96];
	snprintf(link, sizeof(link), "href=\"/meetings/%lld/delete\">Supprimer</a>", id);
	CHECK(body_has(&c, link));
	call_free(&c);
	CHECK_INT(call(&c, &partner, "GET", del, NULL), 403);
	call_free(&c);
	CHECK_INT(call(&c, &coord, "GET", del, NULL), 200);
	CHECK(body_has(&c, "Supprimer la réunion « Forum Emploi Diversité") &&
	      body_has(&c, "Oui, supprimer") && body_has(&c, "Non, revenir"));
	snprintf(link, sizeof(link), "<form method=\"post\" action=\"/meetings/%lld/delete\"", id);
	CHECK(body_has(&c, link));
	call_free(&c);
	CHECK_INT(db_int(0, "SELECT deleted FROM meeting WHERE id = ?", "i", id), 0);
	snprintf(form, sizeof(form), "_csrf=%s", coord.csrf);
	CHECK_INT(call(&c, &coord, "POST", del, form), 303);
	CHECK_STR(resp_get_header(&c.resp, "Location"), target);
	call_free(&c);
	/* the next page offers to undo it */
	CHECK_INT(call(&c, &coord, "GET", target, NULL), 200);
	CHECK(body_has(&c, "Annuler la suppression"));
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
	/* one row per organisation: its name, then its own select */
	char want[300];
	snprintf(want, sizeof(want), "<div class=\"attendance-row\"><label for=\"att_%lld\">Ville de "
		 "Namur</label>\n<select id=\"att_%lld\" name=\"att_%lld\"><option value=\"\">non "
		 "renseignée</option><option value=\"present\" selected>", ville, ville, ville);
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
	/* the meeting page: a badge for every state, « non renseignée » too */
	CHECK_INT(call(&c, &coord, "GET", target, NULL), 200);
	CHECK(body_has(&c, "Lire et Écrire Namur</a> <span class=\"badge badge-excused\">excusée</span>") ||
	      body_has(&c, "badge-excused\">excusée</span>"));
	CHECK(body_has(&c, "Ville de Namur</a> <span class=\"badge badge-unknown\">non renseignée</span>"));
	CHECK(body_has(&c, "badge-present\">présente</span>"));
	call_free(&c);
	buf_free(&form);
}

/* A form with several mistakes shows them all at once: each beside its
 * field, and a summary at the top linking to each; nothing is saved. */
static void meeting_form_errors(void)
{
	struct browser coord = {0};
	CHECK_INT(harness_login(&coord, "coord@pages.test", PASSWORD), 303);
	long long before = db_int(0, "SELECT count(*) FROM meeting", NULL);
	struct call c;
	struct buf form = {0};
	buf_printf(&form, "_csrf=%s&body_id=&title=&date=2026-02-30&start_time=14%%3A00&"
		   "end_time=12%%3A00&format=on_site&status=planned&visibility=members&"
		   "video=http%%3A%%2F%%2Fvisio.example&agenda=Point", coord.csrf);
	CHECK_INT(call(&c, &coord, "POST", "/meetings", buf_str(&form)), 422);
	CHECK(body_has(&c, "Le formulaire n'est pas enregistré : 4 erreurs à corriger."));
	CHECK(body_has(&c, "<li><a href=\"#body_id\">Choisissez l&#39;instance de la réunion.</a></li>"));
	CHECK(body_has(&c, "<li><a href=\"#title\">Le titre est obligatoire"));
	CHECK(body_has(&c, "<li><a href=\"#date\">La date n&#39;existe pas"));
	CHECK(body_has(&c, "<li><a href=\"#video\">Le lien de visioconférence"));
	CHECK(body_has(&c, "aria-describedby=\"title-error\">\n<p class=\"field-error\" "
			   "id=\"title-error\">Le titre est obligatoire"));
	CHECK(body_has(&c, "<p class=\"field-error\" id=\"video-error\">"));
	CHECK(body_has(&c, "<p class=\"field-error\" id=\"date-error\">"));
	/* what was typed is kept */
	CHECK(body_has(&c, "value=\"http://visio.example\""));
	/* no instance chosen yet: nothing said about its members */
	CHECK(!body_has(&c, "organisation membre"));
	call_free(&c);
	/* the end before the start is its own mistake */
	buf_reset(&form);
	buf_printf(&form, "_csrf=%s&body_id=%lld&title=Essai&date=2026-03-02&start_time=14%%3A00&"
		   "end_time=12%%3A00&format=on_site&status=planned&visibility=members", coord.csrf,
		   db_int(0, "SELECT id FROM body WHERE slug = 'coordination-locale-namur'", NULL));
	CHECK_INT(call(&c, &coord, "POST", "/meetings", buf_str(&form)), 422);
	CHECK(body_has(&c, "1 erreur à corriger"));
	CHECK(body_has(&c, "<li><a href=\"#end_time\">La réunion ne peut pas finir avant de commencer."));
	call_free(&c);
	CHECK_INT(db_int(0, "SELECT count(*) FROM meeting", NULL), before);
	buf_free(&form);
}

/* /meetings: « À venir » soonest first apart from « Passées » latest first;
 * « Mes instances » keeps the bodies of the reader's organisation; each
 * meeting has its own .ics for whoever may read it. */
static void meetings_upcoming_and_mine(void)
{
	struct browser cpas = {0}, anon = {0};
	CHECK_INT(harness_login(&cpas, HARNESS_MEMBER, PASSWORD), 303);
	static const char *const add[][4] = {
		{"coordination-locale-namur", "+9 days", "Namur dans neuf jours", "members"},
		{"coordination-locale-namur", "+2 days", "Namur dans deux jours", "members"},
		{"pleniere-ppli", "+5 days", "Plénière dans cinq jours", "public"},
	};
	long long ids[3];
	for (int i = 0; i < 3; i++) {
		CHECK(db_exec("INSERT INTO meeting (body_id, title, start, visibility) SELECT id, ?, "
			      "date('now', ?), ? FROM body WHERE slug = ?", "tttt", add[i][2], add[i][1],
			      add[i][3], add[i][0]) == 1);
		ids[i] = db_last_id();
	}
	struct buf out = {0};
	CHECK_INT(harness_fetch(&cpas, "GET", "/meetings", NULL, &out), 200);
	const char *p = buf_str(&out), *up = strstr(p, ">À venir</h2>"), *past = strstr(p, ">Passées</h2>");
	const char *two = strstr(p, "Namur dans deux jours"), *five = strstr(p, "Plénière dans cinq");
	const char *nine = strstr(p, "Namur dans neuf jours"), *old = strstr(p, "Plénière du PPLI, édition");
	const char *sept = strstr(p, "15 septembre 2020"), *nov = strstr(p, "27 novembre 2020");
	CHECK(up && past && two && five && nine && old && sept && nov);
	CHECK(up < two && two < five && five < nine && nine < past); /* soonest first */
	CHECK(past < nov && nov < sept); /* then latest first */
	/* « Mes instances »: Namur's coordination, not the plenary the CPAS is not a member of */
	CHECK_INT(harness_fetch(&cpas, "GET", "/meetings?mine=1", NULL, &out), 200);
	p = buf_str(&out);
	CHECK(strstr(p, "Namur dans deux jours") && !strstr(p, "Plénière dans cinq jours"));
	CHECK(!strstr(p, "Plénière du PPLI, édition") && strstr(p, "aria-current=\"page\">Mes instances"));
	CHECK(strstr(p, "<input type=\"hidden\" name=\"mine\" value=\"1\">") != NULL);
	/* a visitor has no « Mes instances » and no members' meeting */
	CHECK_INT(harness_fetch(&anon, "GET", "/meetings?mine=1", NULL, &out), 200);
	CHECK(!strstr(buf_str(&out), "Mes instances") && !strstr(buf_str(&out), "Namur dans deux"));
	CHECK(strstr(buf_str(&out), "Plénière dans cinq jours") != NULL);
	/* « Ajouter à mon agenda » */
	char target[64];
	snprintf(target, sizeof(target), "/meetings/%lld", ids[1]);
	CHECK_INT(harness_fetch(&cpas, "GET", target, NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "calendar.ics\" download>Ajouter à mon agenda</a>") != NULL);
	snprintf(target, sizeof(target), "/meetings/%lld/calendar.ics", ids[1]);
	struct call c;
	CHECK_INT(call(&c, &cpas, "GET", target, NULL), 200);
	CHECK(c.resp.content_type && strstr(c.resp.content_type, "text/calendar"));
	CHECK(header_has(&c, "Content-Disposition", "attachment"));
	CHECK(body_has(&c, "BEGIN:VEVENT") && body_has(&c, "SUMMARY:"));
	CHECK(body_has(&c, "Namur dans deux jours"));
	CHECK(!body_has(&c, "Namur dans neuf jours")); /* one meeting, not the body's */
	call_free(&c);
	CHECK_INT(harness_fetch(&anon, "GET", target, NULL, NULL), 404);
	buf_free(&out);
}

/* Approving minutes is a button that records who and when; the edit form
 * says the text is locked before one types; « Remettre en projet » needs a
 * reason, kept in the history. */
static void minutes_approval(void)
{
	struct browser coord = {0}, cpas = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	CHECK_INT(harness_login(&cpas, HARNESS_MEMBER, PASSWORD), 303);
	long long body = db_int(0, "SELECT id FROM body WHERE slug = 'coordination-locale-namur'", NULL);
	struct meeting_in m = {.body_id = body, .title = "Réunion à approuver", .start = "2026-03-12T14:00",
			       .format = "on_site", .status = "minutes_draft", .visibility = "members",
			       .agenda = "", .minutes = "Nous avons décidé d'ouvrir un atelier."};
	long long id = meeting_save(0, &m, 0);
	m.title = "Réunion sans procès-verbal", m.minutes = "  ";
	long long empty = meeting_save(0, &m, 0);
	CHECK(id > 0 && empty > 0);
	char page[64], approve[80], reopen[80], edit[80], history[80];
	snprintf(page, sizeof(page), "/meetings/%lld", id);
	snprintf(approve, sizeof(approve), "/meetings/%lld/approve", id);
	snprintf(reopen, sizeof(reopen), "/meetings/%lld/reopen", id);
	snprintf(edit, sizeof(edit), "/meetings/%lld/edit", id);
	snprintf(history, sizeof(history), "/meetings/%lld/history", id);
	struct buf out = {0}, form = {0};
	CHECK_INT(harness_fetch(&coord, "GET", page, NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "Approuver le procès-verbal") != NULL);
	CHECK_INT(harness_fetch(&cpas, "GET", page, NULL, &out), 200);
	CHECK(!strstr(buf_str(&out), "Approuver le procès-verbal"));
	/* the edit form of a draft is not locked */
	CHECK_INT(harness_fetch(&coord, "GET", edit, NULL, &out), 200);
	CHECK(!strstr(buf_str(&out), "son texte est verrouillé"));
	long long mails = db_int(0, "SELECT count(*) FROM outbox WHERE subject LIKE "
				 "'Procès-verbal approuvé : Réunion à approuver%'", NULL);
	harness_form(&form, coord.csrf, (const char *[]){NULL});
	CHECK_INT(harness_fetch(&coord, "POST", approve, buf_str(&form), NULL), 303);
	CHECK_INT(db_int(0, "SELECT count(*) FROM meeting m JOIN user u ON u.id = m.approved_by WHERE "
			 "m.id = ? AND m.status = 'minutes_approved' AND u.email = ? AND "
			 "m.approved_at IS NOT NULL", "it", id, HARNESS_COORD), 1);
	CHECK(db_int(0, "SELECT count(*) FROM outbox WHERE subject LIKE 'Procès-verbal approuvé : "
		     "Réunion à approuver%'", NULL) > mails); /* the members are told */
	CHECK_INT(harness_fetch(&cpas, "GET", page, NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "Approuvé le ") && strstr(buf_str(&out), " par Coordination des tests."));
	CHECK(!strstr(buf_str(&out), "Remettre en projet"));
	CHECK_INT(harness_fetch(&coord, "POST", approve, buf_str(&form), &out), 409);
	/* locked: said on the form, before editing */
	CHECK_INT(harness_fetch(&coord, "GET", edit, NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "son texte est verrouillé") &&
	      strstr(buf_str(&out), "readonly aria-describedby=\"minutes-locked\""));
	/* no reason, no reopening */
	static const char *const empty_reasons[] = {"", "   \r\n"};
	for (int i = 0; i < 2; i++) {
		harness_form(&form, coord.csrf, (const char *[]){"reason", empty_reasons[i], NULL});
		CHECK_INT(harness_fetch(&coord, "POST", reopen, buf_str(&form), &out), 422);
		CHECK(strstr(buf_str(&out), "pourquoi le procès-verbal repasse en projet") != NULL);
	}
	CHECK_INT(db_int(0, "SELECT status = 'minutes_approved' FROM meeting WHERE id = ?", "i", id), 1);
	harness_form(&form, coord.csrf, (const char *[]){"reason", "<b>Coquille</b> au point 2", NULL});
	CHECK_INT(harness_fetch(&cpas, "POST", reopen, buf_str(&form), NULL), 403);
	CHECK_INT(harness_fetch(&coord, "POST", reopen, buf_str(&form), NULL), 303);
	CHECK_INT(db_int(0, "SELECT count(*) FROM meeting WHERE id = ? AND status = 'minutes_draft' "
			 "AND approved_at IS NULL AND approved_by IS NULL", "i", id), 1);
	CHECK_INT(harness_fetch(&coord, "POST", reopen, buf_str(&form), &out), 409);
	CHECK_INT(harness_fetch(&cpas, "GET", history, NULL, &out), 200);
	CHECK(strstr(buf_str(&out), "Coordination des tests : remis en projet — « &lt;b&gt;Coquille"));
	CHECK(strstr(buf_str(&out), "Coordination des tests : procès-verbal approuvé"));
	CHECK(!strstr(buf_str(&out), "T14:") && !strstr(buf_str(&out), "Z ·")); /* no raw timestamps */
	/* minutes still empty cannot be approved */
	snprintf(approve, sizeof(approve), "/meetings/%lld/approve", empty);
	harness_form(&form, coord.csrf, (const char *[]){NULL});
	CHECK_INT(harness_fetch(&coord, "POST", approve, buf_str(&form), &out), 409);
	CHECK(strstr(buf_str(&out), "Seul un procès-verbal rédigé") != NULL);
	buf_free(&out);
	buf_free(&form);
}

/* Runs the meetings cases on a fresh copy of the network. */
void pages_meetings(void)
{
	harness_fresh();
	RUN(visibility_rule);
	RUN(meetings_visibility);
	RUN(meeting_forms);
	RUN(preview);
	RUN(actions_page);
	RUN(meetings_filters);
	RUN(meeting_prepare);
	RUN(meeting_delete);
	RUN(meeting_attendance);
	RUN(meeting_form_errors);
	RUN(minutes_approval);
	RUN(meetings_upcoming_and_mine);
}
