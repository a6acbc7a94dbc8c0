/* home.c — page tests of the homes: each kind of reader finds its own
 * things first, and exactly the things it may see (a partner of one
 * organisation never sees another's members-only meetings or actions).
 * Starts from the harness's pristine network (harness_fresh). */
#include <stdio.h>
#include <string.h>

#include "../../src/db.h"
#include "../test.h"
#include "harness.h"
#include "pages.h"

/* Adds a meeting of body slug starting at the SQL date expression when,
 * with a title, a visibility and a status; returns its id. */
static long long meeting(const char *slug, const char *when, const char *title,
			 const char *visibility, const char *status)
{
	char sql[400];
	snprintf(sql, sizeof(sql), "INSERT INTO meeting (body_id, title, start, visibility, status) "
		 "SELECT id, ?, %s, ?, ? FROM body WHERE slug = ?", when);
	CHECK(db_exec(sql, "tttt", title, visibility, status, slug) == 1);
	return db_last_id();
}

/* Adds an open action of meeting m owned by organisation org; its id. */
static long long action(long long m, const char *org, const char *text, const char *due)
{
	CHECK(db_exec("INSERT INTO action (meeting_id, position, text, owner_organisation_id, due) "
		      "SELECT ?, 1, ?, id, ? FROM organisation WHERE slug = ?", "ittt", m, text, due,
		      org) == 1);
	return db_last_id();
}

/* Returns the home page of b in out (status 200 checked). */
static const char *home(struct browser *b, struct buf *out)
{
	CHECK_INT(harness_fetch(b, "GET", "/", NULL, out), 200);
	return buf_str(out);
}

/* The part of page between the heading h (its text) and the next
 * section's end, copied into out (empty when there is no such heading). */
static const char *section(const char *page, const char *h, struct buf *out)
{
	buf_reset(out);
	const char *at = strstr(page, h);
	const char *end = at ? strstr(at, "</section>") : NULL;
	if (at && end)
		buf_append(out, at, (size_t)(end - at));
	return buf_str(out);
}

/* A partner: its bodies with their next meeting, its next meetings, the
 * minutes approved lately with the new ones marked, its organisation's open
 * actions with the button, the letters it co-signed; nothing of others. */
static void partner_home(void)
{
	struct browser cpas = {0}, forem = {0};
	CHECK_INT(harness_login(&cpas, HARNESS_MEMBER, PASSWORD), 303);
	CHECK_INT(harness_login(&forem, HARNESS_PARTNER, PASSWORD), 303);
	CHECK(db_exec("UPDATE user SET previous_login_at = " DB_NOW_SHIFTED("'-1 day'")
		      " WHERE email = ?", "t", HARNESS_MEMBER) == 1);
	long long next = meeting("coordination-locale-namur", "date('now', '+3 days')",
				 "Réunion future des membres", "members", "planned");
	meeting("coordination-locale-namur", "date('now', '+1 days')", "Réunion interne secrète",
		"internal", "planned");
	meeting("plateforme-citoyennete", "date('now', '+2 days')", "Réunion d'une autre instance",
		"members", "planned");
	long long fresh = meeting("coordination-locale-namur", "date('now', '-5 days')",
				  "Réunion au procès-verbal frais", "members", "minutes_approved");
	long long older = meeting("coordination-locale-namur", "date('now', '-20 days')",
				  "Réunion au procès-verbal connu", "members", "minutes_approved");
	CHECK(db_exec("UPDATE meeting SET approved_at = " DB_NOW_SHIFTED("'-2 hours'") " WHERE id = ?",
		      "i", fresh) == 1);
	CHECK(db_exec("UPDATE meeting SET approved_at = " DB_NOW_SHIFTED("'-3 days'") " WHERE id = ?",
		      "i", older) == 1);
	long long mine = action(next, "cpas-de-namur", "Envoyer la liste des permanences", "2030-01-01");
	long long cit = meeting("plateforme-citoyennete", "'2030-01-01'", "Citoyenneté",
				"members", "held");
	action(cit, "forem", "Action du Forem ailleurs", NULL);
	CHECK(db_exec("INSERT INTO letter_signer (letter_id, organisation_id) SELECT min(l.id), o.id "
		      "FROM letter l, organisation o WHERE l.visibility = 'public' AND l.deleted = 0 "
		      "AND o.slug = 'cpas-de-namur'", NULL) == 1);
	json_t *signed_letter = db_row("SELECT l.title FROM letter l JOIN letter_signer s ON "
				       "s.letter_id = l.id JOIN organisation o ON o.id = "
				       "s.organisation_id WHERE o.slug = 'cpas-de-namur'", NULL);
	struct buf out = {0}, part = {0};
	const char *page = home(&cpas, &out);
	char link[96];
	snprintf(link, sizeof(link), "<a href=\"/meetings/%lld\">", next);
	CHECK(strstr(section(page, "Mes instances", &part), "Coordination locale de Namur"));
	CHECK(strstr(buf_str(&part), link) != NULL); /* the body's next meeting */
	CHECK(!strstr(buf_str(&part), "Plateforme citoyenneté"));
	section(page, "Mes prochaines réunions", &part);
	CHECK(strstr(buf_str(&part), "Réunion future des membres") != NULL);
	CHECK(!strstr(page, "Réunion interne secrète") && !strstr(page, "Réunion d&#39;une autre"));
	section(page, "Procès-verbaux approuvés", &part);
	CHECK(strstr(buf_str(&part), "Réunion au procès-verbal frais</a> <span class=\"tag new\">nouveau"));
	CHECK(strstr(buf_str(&part), "Réunion au procès-verbal connu</a> <span class=\"muted\">"));
	snprintf(link, sizeof(link), "<a href=\"/actions/%lld\">Envoyer la liste", mine);
	section(page, "Les actions de mon organisation", &part);
	CHECK(strstr(buf_str(&part), link) && strstr(buf_str(&part), "Marquer comme faite"));
	CHECK(!strstr(page, "Action du Forem ailleurs"));
	section(page, "Interpellations cosignées", &part);
	CHECK(signed_letter && strstr(buf_str(&part), db_str(signed_letter, "title")) != NULL);
	json_decref(signed_letter);
	/* the Forem: its own bodies, none of the CPAS's members-only things */
	page = home(&forem, &out);
	CHECK(strstr(section(page, "Mes instances", &part), "Plateforme ISP") != NULL);
	CHECK(!strstr(page, "Réunion future des membres") && !strstr(page, "Envoyer la liste"));
	CHECK(!strstr(page, "Réunion au procès-verbal frais"));
	CHECK(!strstr(page, "Action du Forem ailleurs")); /* a body it is not a member of */
	CHECK(strstr(page, "Votre organisation n&#39;a cosigné") || strstr(page, "Votre organisation n'a cosigné"));
	buf_free(&out);
	buf_free(&part);
}

/* The board: letters awaiting an answer, the motions' progress, its own
 * next meetings, the year's figures as the database counts them. */
static void board_home(void)
{
	struct browser board = {0};
	CHECK_INT(harness_login(&board, HARNESS_BOARD, PASSWORD), 303);
	CHECK(db_exec("INSERT INTO letter (slug, kind, level, title, date, status, visibility) VALUES "
		      "('attente', 'courrier', 'commune', 'Lettre qui attend', date('now'), 'sent', "
		      "'internal')", NULL) == 1);
	meeting("bureau-du-conseil", "date('now', '+4 days')", "Bureau de la semaine prochaine",
		"internal", "planned");
	meeting("gt-sante", "date('now', '+4 days')", "Groupe santé prochain", "members", "planned");
	CHECK(db_exec("INSERT INTO motion_commune (motion_id, commune_nis, state) SELECT id, 91030, "
		      "'submitted' FROM motion WHERE slug = 'commune-hospitaliere' ON CONFLICT DO "
		      "UPDATE SET state = 'submitted'", NULL) >= 1);
	CHECK(db_exec("INSERT INTO event (motion_commune_id, date, kind, state) SELECT mc.id, "
		      "date('now', '-3 days'), 'meeting', 'submitted' FROM motion_commune mc JOIN "
		      "motion mo ON mo.id = mc.motion_id WHERE mo.slug = 'commune-hospitaliere' AND "
		      "mc.commune_nis = 91030", NULL) == 1);
	CHECK(db_exec("UPDATE action SET state = 'done', closed_at = " DB_NOW " WHERE id = (SELECT "
		      "min(id) FROM action)", NULL) == 1);
	struct buf out = {0}, part = {0};
	const char *page = home(&board, &out);
	CHECK(strstr(section(page, "En attente de réponse", &part), "Lettre qui attend") != NULL);
	section(page, "Dernières interpellations", &part);
	CHECK(strstr(buf_str(&part), "Lettre qui attend") && strstr(buf_str(&part), "envoyée ou publiée"));
	section(page, "Les motions dans les communes", &part);
	CHECK(strstr(buf_str(&part), "déposée : <strong>") != NULL);
	CHECK(strstr(buf_str(&part), "<a href=\"/motions/commune-hospitaliere/communes/91030\">") != NULL);
	section(page, "Prochaines réunions du conseil", &part);
	CHECK(strstr(buf_str(&part), "Bureau de la semaine prochaine") &&
	      !strstr(buf_str(&part), "Groupe santé prochain"));
	char want[64];
	snprintf(want, sizeof(want), "<dt>Actions faites</dt><dd>%lld</dd>",
		 db_int(-1, "SELECT count(*) FROM action WHERE state = 'done' AND closed_at >= "
			"strftime('%Y', 'now')", NULL));
	CHECK(strstr(page, want) != NULL && strstr(want, "<dd>0</dd>") == NULL);
	buf_free(&out);
	buf_free(&part);
}

/* The coordination: this week and the next, the minutes late, the overdue
 * actions, the follow-ups, and what others changed (not its own changes). */
static void coordinator_home(void)
{
	struct browser coord = {0}, cpas = {0};
	CHECK_INT(harness_login(&coord, HARNESS_COORD, PASSWORD), 303);
	CHECK_INT(harness_login(&cpas, HARNESS_MEMBER, PASSWORD), 303);
	meeting("gt-sante", "date('now')", "Réunion de cette semaine", "members", "planned");
	meeting("gt-sante", "date('now', '+20 days')", "Réunion du mois prochain", "members", "planned");
	meeting("gt-sante", "date('now', '-20 days')", "Réunion sans procès-verbal", "members", "held");
	meeting("gt-sante", "date('now', '-20 days')", "Réunion bien approuvée", "members",
		"minutes_approved");
	long long m = meeting("coordination-locale-namur", "date('now', '-30 days')", "Réunion passée",
			      "members", "minutes_approved");
	long long late = action(m, "cpas-de-namur", "Action en retard du CPAS", "2021-01-01");
	long long own = action(m, "cai", "Action changée par moi", "2031-01-01");
	char target[64];
	struct buf form = {0}, out = {0}, part = {0};
	snprintf(target, sizeof(target), "/actions/%lld", own);
	harness_form(&form, coord.csrf, (const char *[]){"due", "2031-02-02", NULL});
	CHECK_INT(harness_fetch(&coord, "POST", target, buf_str(&form), NULL), 303);
	const char *page = home(&coord, &out);
	section(page, "Cette semaine et la suivante", &part);
	CHECK(strstr(buf_str(&part), "Réunion de cette semaine") &&
	      !strstr(buf_str(&part), "Réunion du mois prochain"));
	section(page, "Procès-verbaux en retard", &part);
	CHECK(strstr(buf_str(&part), "Réunion sans procès-verbal") &&
	      !strstr(buf_str(&part), "Réunion bien approuvée"));
	section(page, "Actions en retard", &part);
	CHECK(strstr(buf_str(&part), "Action en retard du CPAS") &&
	      !strstr(buf_str(&part), "Action changée par moi"));
	CHECK(strstr(page, "À relancer") != NULL);
	CHECK(!strstr(section(page, "Changements récents des autres", &part), "Action changée par moi"));
	/* the CPAS closes its action: the coordination sees who did */
	snprintf(target, sizeof(target), "/actions/%lld", late);
	harness_form(&form, cpas.csrf, (const char *[]){"state", "done", NULL});
	CHECK_INT(harness_fetch(&cpas, "POST", target, buf_str(&form), NULL), 303);
	page = home(&coord, &out);
	char change[160];
	snprintf(change, sizeof(change), "Membre du CPAS a changé l&#39;action <a href=\"/actions/%lld\">"
		 "Action en retard du CPAS</a>", late);
	if (!strstr(page, change))
		snprintf(change, sizeof(change), "Membre du CPAS a changé l'action <a href=\"/actions/%lld\">"
			 "Action en retard du CPAS</a>", late);
	CHECK(strstr(section(page, "Changements récents des autres", &part), change) != NULL);
	CHECK(!strstr(section(page, "Actions en retard", &part), "Action en retard du CPAS"));
	buf_free(&form);
	buf_free(&out);
	buf_free(&part);
}

/* A visitor: a front page of public things only. */
static void public_home(void)
{
	meeting("pleniere-ppli", "date('now', '+10 days')", "Plénière publique à venir", "public",
		"planned");
	meeting("gt-sante", "date('now', '+5 days')", "Réunion réservée à venir", "members", "planned");
	CHECK(db_exec("INSERT INTO letter (slug, kind, level, title, date, status, visibility) VALUES "
		      "('brouillon-public', 'courrier', 'commune', 'Brouillon à ne pas montrer', "
		      "date('now'), 'draft', 'public')", NULL) == 1);
	struct browser anon = {0};
	struct buf out = {0}, part = {0};
	const char *page = home(&anon, &out);
	CHECK(strstr(section(page, "Prochaines réunions publiques", &part), "Plénière publique à venir"));
	CHECK(!strstr(page, "Réunion réservée à venir") && !strstr(page, "Brouillon à ne pas montrer"));
	CHECK(strstr(section(page, "Derniers procès-verbaux publics", &part),
		     "Plénière du PPLI, édition virtuelle") != NULL);
	CHECK(strstr(page, "Se connecter") != NULL);
	buf_free(&out);
	buf_free(&part);
}

/* Runs the homes' tests, each from the pristine network. */
void pages_home(void)
{
	harness_fresh();
	RUN(partner_home);
	harness_fresh();
	RUN(board_home);
	harness_fresh();
	RUN(coordinator_home);
	harness_fresh();
	RUN(public_home);
}
