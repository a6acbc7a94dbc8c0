/* report.c — the annual report's key figures: one grouped query per kind
 * of record and year, the reader's visibility rule applied to each. */
#include "report.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "convert.h"
#include "csv.h"
#include "db.h"
#include "log.h"
#include "mandate.h"
#include "markdown.h"
#include "review.h"
#include "svg.h"
#include "text.h"
#include "view.h"
#include "vocab.h"

/* Returns the year s names, or 0 (see report.h). */
int report_year(const char *s)
{
	int year = s && strlen(s) == 4 && text_is_digits(s) ? atoi(s) : 0;
	return year >= REPORT_YEAR_MIN && year <= REPORT_YEAR_MAX ? year : 0;
}

/* A year's bounds as the queries take them. */
struct span {
	char from[24], to[24]; /* YYYY-01-01 and the next year's, ISO dates */
};

/* Fills s for year. */
static void span_of(int year, struct span *s)
{
	snprintf(s->from, sizeof(s->from), "%04d-01-01", year);
	snprintf(s->to, sizeof(s->to), "%04d-01-01", year + 1);
}

/* The meetings a reader sees that started in the year (binds: role, org,
 * from, to). */
#define YEAR_MEETINGS                                                                     \
	"FROM meeting m WHERE m.deleted = 0 AND " AUTH_SEES_SQL("m.visibility", "m.body_id") \
	" AND m.start >= ? AND m.start < ?"
#define HELD "m.status IN ('held', 'minutes_draft', 'minutes_approved')"
/* The actions of those meetings (same binds). */
#define YEAR_MEETINGS_ACTIONS                                                             \
	"FROM meeting m JOIN action x ON x.meeting_id = m.id WHERE m.deleted = 0 AND "    \
	AUTH_SEES_SQL("m.visibility", "m.body_id") " AND m.start >= ? AND m.start < ?"
/* The report's order of the kinds of bodies. */
#define KIND_ORDER                                                                        \
	"CASE b.kind WHEN 'platform' THEN 1 WHEN 'working_group' THEN 2 WHEN "            \
	"'local_coordination' THEN 3 ELSE 4 END"
/* The same meetings with their body (same binds). */
#define YEAR_MEETINGS_OF_BODIES                                                           \
	"FROM meeting m JOIN body b ON b.id = m.body_id WHERE m.deleted = 0 AND "         \
	AUTH_SEES_SQL("m.visibility", "m.body_id") " AND m.start >= ? AND m.start < ?"

/* Returns the meeting figures of a year: held, cancelled, online (remote
 * or hybrid among those held), presences and distinct organisations
 * present (new reference). */
static json_t *meeting_figures(const struct span *s, int role, long long org)
{
	json_t *m = db_row("SELECT count(*) FILTER (WHERE " HELD ") AS held, count(*) FILTER "
			   "(WHERE m.status = 'cancelled') AS cancelled, count(*) FILTER (WHERE "
			   HELD " AND m.format IN ('remote', 'hybrid')) AS online " YEAR_MEETINGS,
			   "iitt", (long long)role, org, s->from, s->to);
	json_t *a = db_row("SELECT count(*) AS presences, count(DISTINCT a.organisation_id) AS "
			   "organisations FROM attendance a JOIN meeting m ON m.id = a.meeting_id "
			   "WHERE a.presence = 'present' AND " HELD " AND m.id IN (SELECT m.id "
			   YEAR_MEETINGS ")", "iitt", (long long)role, org, s->from, s->to);
	if (m && a)
		json_object_update(m, a);
	json_decref(a);
	return m;
}

/* The actions of the meetings a reader sees (binds: role, org), read from
 * the actions' side: CROSS JOIN keeps that order, for their indexes. */
#define SEEN_ACTIONS                                                                      \
	"FROM action x CROSS JOIN meeting m ON m.id = x.meeting_id WHERE m.deleted = 0 AND " \
	AUTH_SEES_SQL("m.visibility", "m.body_id")

/* Returns the action figures of a year: opened (in the minutes of its
 * meetings), done in it (when closed on the web, else at its meeting),
 * overdue at its end (still open, or closed only after) (new reference).
 * Each count starts from an index: the year's meetings, the closing dates,
 * the open actions by due date. */
static json_t *action_figures(const struct span *s, int role, long long org)
{
	long long r = role;
	json_t *a = db_row("SELECT count(*) AS opened, count(*) FILTER (WHERE x.state = 'done' AND "
			   "x.closed_at IS NULL) AS closed " YEAR_MEETINGS_ACTIONS, "iitt", r, org,
			   s->from, s->to);
	long long closed = db_int(-1, "SELECT count(*) " SEEN_ACTIONS " AND x.state = 'done' AND "
				  "x.closed_at >= ? AND x.closed_at < ?", "iitt", r, org, s->from, s->to);
	long long open = db_int(-1, "SELECT count(*) " SEEN_ACTIONS " AND x.state = 'open' AND "
				"x.due < ? AND m.start < ?", "iitt", r, org, s->to, s->to);
	long long later = db_int(-1, "SELECT count(*) " SEEN_ACTIONS " AND x.closed_at >= ? AND "
				 "x.due < ? AND m.start < ?", "iittt", r, org, s->to, s->to, s->to);
	if (!a || closed < 0 || open < 0 || later < 0) {
		json_decref(a);
		return NULL;
	}
	json_object_set_new(a, "closed", json_integer(db_num(a, "closed") + closed));
	json_object_set_new(a, "overdue", json_integer(open + later));
	return a;
}

/* Returns the letters of a year by level: {level: count} (new reference). */
static json_t *letter_figures(const struct span *s, int role, long long org)
{
	json_t *rows = db_rows("SELECT l.level, count(*) AS n FROM letter l WHERE l.deleted = 0 "
			       "AND " AUTH_SEES_SQL("l.visibility", "l.body_id") " AND l.date >= ? "
			       "AND l.date < ? GROUP BY l.level", "iitt", (long long)role, org, s->from,
			       s->to), *r;
	json_t *by = json_object();
	size_t i;
	json_array_foreach(rows, i, r)
		json_object_set(by, db_str(r, "level"), json_object_get(r, "n"));
	json_decref(rows);
	return by;
}

/* Returns the communes of the motions by their state at the year's end
 * (the last state an event gave before it, « pas entamée » without one):
 * {state: count} (new reference). */
static json_t *motion_figures(const struct span *s, int role, long long org)
{
	json_t *rows = db_rows(
		"SELECT coalesce((SELECT e.state FROM event e WHERE e.motion_commune_id = mc.id AND "
		"e.state IS NOT NULL AND e.date < ? ORDER BY e.date DESC, e.id DESC LIMIT 1), "
		"'not_started') AS state, count(*) AS n FROM motion_commune mc JOIN motion mo ON "
		"mo.id = mc.motion_id WHERE mo.deleted = 0 AND " AUTH_SEES_SQL("mo.visibility",
									 "mo.body_id")
		" GROUP BY 1", "tii", s->to, (long long)role, org), *r;
	json_t *by = json_object();
	size_t i;
	json_array_foreach(rows, i, r)
		json_object_set(by, db_str(r, "state"), json_object_get(r, "n"));
	json_decref(rows);
	return by;
}

/* Returns every figure of one year as {key: value} (new reference), or
 * NULL. */
static json_t *year_figures(int year, int role, long long org)
{
	struct span s;
	span_of(year, &s);
	json_t *m = meeting_figures(&s, role, org), *a = action_figures(&s, role, org);
	if (!m || !a) {
		json_decref(m);
		json_decref(a);
		return NULL;
	}
	json_object_update(m, a);
	json_decref(a);
	json_t *letters = letter_figures(&s, role, org), *motions = motion_figures(&s, role, org);
	json_t *v;
	const char *k;
	json_object_foreach(letters, k, v) {
		char key[40];
		snprintf(key, sizeof(key), "letters_%s", k);
		json_object_set(m, key, v);
	}
	json_object_foreach(motions, k, v) {
		char key[40];
		snprintf(key, sizeof(key), "communes_%s", k);
		json_object_set(m, key, v);
	}
	json_decref(letters);
	json_decref(motions);
	return m;
}

/* Appends one figure {key, label, value, previous} to list. */
static void figure(json_t *list, const char *key, const char *label, json_t *now, json_t *before)
{
	json_t *v = json_object_get(now, key), *p = json_object_get(before, key);
	json_array_append_new(list, json_pack("{s:s, s:s, s:I, s:I}", "key", key, "label", label,
					      "value", v ? json_integer_value(v) : 0, "previous",
					      p ? json_integer_value(p) : 0));
}

/* Returns the key figures of a year (see report.h). */
json_t *report_figures(int year, int role, long long org)
{
	json_t *now = year_figures(year, role, org), *before = year_figures(year - 1, role, org);
	if (!now || !before) {
		json_decref(now);
		json_decref(before);
		return NULL;
	}
	json_t *list = json_array();
	figure(list, "held", "réunions tenues", now, before);
	figure(list, "cancelled", "réunions annulées", now, before);
	figure(list, "online", "réunions tenues à distance ou en hybride", now, before);
	figure(list, "presences", "présences notées (organisation ou personne)", now, before);
	figure(list, "organisations", "organisations différentes présentes", now, before);
	figure(list, "opened", "actions décidées", now, before);
	figure(list, "closed", "actions clôturées", now, before);
	figure(list, "overdue", "actions en retard au 31 décembre", now, before);
	for (size_t i = 0; i < vocab_levels.n; i++) {
		char key[40], label[120];
		snprintf(key, sizeof(key), "letters_%s", vocab_levels.items[i].value);
		snprintf(label, sizeof(label), "lettres : %s", vocab_levels.items[i].label);
		figure(list, key, label, now, before);
	}
	for (size_t i = 0; i < vocab_motion_states.n; i++) {
		char key[48], label[120];
		snprintf(key, sizeof(key), "communes_%s", vocab_motion_states.items[i].value);
		snprintf(label, sizeof(label), "communes au 31 décembre : %s",
			 vocab_motion_states.items[i].label);
		figure(list, key, label, now, before);
	}
	json_decref(now);
	json_decref(before);
	return list;
}

/* Returns the French date of an ISO moment, « 12 mars 2026 ». */
static json_t *date_fr(const char *iso)
{
	struct buf b = {0};
	text_date_fr(&b, iso);
	json_t *s = json_string(buf_str(&b));
	buf_free(&b);
	return s;
}

/* Returns the group of kind in list, made (with its French label) when
 * missing: {kind, label, <key>: []}. */
static json_t *group_of(json_t *list, const char *kind, const char *label, const char *key)
{
	json_t *g;
	size_t i;
	json_array_foreach(list, i, g)
		if (strcmp(db_str(g, "kind"), kind) == 0)
			return g;
	g = json_pack("{s:s, s:s, s:[]}", "kind", kind, "label", label, key);
	json_array_append_new(list, g);
	return g;
}

/* Appends the meetings of a body in words: how many, and how many online
 * or hybrid ("12 réunions tenues, toutes en présentiel"). */
static void words_meetings(struct buf *out, long long held, long long online)
{
	text_count(out, held, "réunion tenue", "réunions tenues");
	if (online == 0)
		buf_puts(out, held > 1 ? ", toutes en présentiel" : ", en présentiel");
	else if (online == held)
		buf_puts(out, held > 1 ? ", toutes à distance ou en hybride"
					: ", à distance ou en hybride");
	else
		buf_printf(out, ", dont %lld à distance ou en hybride", online);
}

/* Appends the presences noted in words, with the organisations present
 * (each counted once). */
static void words_presences(struct buf *out, long long presences, long long organisations)
{
	if (presences == 0) {
		buf_puts(out, "aucune présence notée");
		return;
	}
	text_count(out, presences, "présence notée", "présences notées");
	if (organisations == 1 && presences > 1)
		buf_puts(out, ", d'une seule organisation");
	else if (organisations > 1)
		buf_printf(out, ", de %lld organisations différentes", organisations);
}

/* Appends the actions decided in words, with how many were done since. */
static void words_actions(struct buf *out, long long opened, long long closed)
{
	if (opened == 0) {
		buf_puts(out, "aucune action décidée");
		return;
	}
	text_count(out, opened, "action décidée", "actions décidées");
	if (closed == 0)
		buf_puts(out, opened > 1 ? ", aucune faite depuis" : ", pas encore faite");
	else if (closed == opened)
		buf_puts(out, opened > 1 ? ", toutes faites depuis" : ", faite depuis");
	else
		buf_printf(out, ", dont %lld %s depuis", closed, closed > 1 ? "faites" : "faite");
}

/* Gives each body of list (or of its groups) its counts in a sentence
 * (counts_text: meetings, presences, actions; meetings_text: the meetings
 * alone, for the instances) and its subjects in one line
 * (subjects_text). */
static void counted_words(json_t *list)
{
	json_t *b;
	size_t i;
	json_array_foreach(list, i, b) {
		if (json_object_get(b, "bodies")) {
			counted_words(json_object_get(b, "bodies"));
			continue;
		}
		struct buf words = {0};
		words_meetings(&words, db_num(b, "held"), db_num(b, "online"));
		json_object_set_new(b, "meetings_text", json_string(buf_str(&words)));
		buf_puts(&words, " ; ");
		words_presences(&words, db_num(b, "presences"), db_num(b, "organisations"));
		buf_puts(&words, " ; ");
		words_actions(&words, db_num(b, "opened"), db_num(b, "closed"));
		buf_putc(&words, '.');
		json_object_set_new(b, "counts_text", json_string(buf_str(&words)));
		buf_free(&words);
		json_t *v;
		size_t k;
		struct buf text = {0};
		json_array_foreach(json_object_get(b, "subjects"), k, v)
			buf_printf(&text, "%s%s", k ? " ; " : "", json_string_value(v));
		if (db_num(b, "subjects_more"))
			buf_printf(&text, " ; et %lld autres", db_num(b, "subjects_more"));
		json_object_set_new(b, "subjects_text", json_string(buf_str(&text)));
		buf_free(&text);
	}
}

#define SUBJECTS_MAX 8	    /* subjects of a body in the report, then counted */
#define SUBJECT_LENGTH 100   /* bytes of one, then cut at a space with « … » */
#define OPEN_ACTIONS_MAX 20  /* open actions of a body listed, then counted */

/* Returns s[0..n) at most SUBJECT_LENGTH bytes, cut after a word and
 * ended with « … » when longer (new reference). */
static json_t *cut_subject(const char *s, size_t n)
{
	if (n <= SUBJECT_LENGTH)
		return json_stringn(s, n);
	size_t cut = SUBJECT_LENGTH;
	while (cut > SUBJECT_LENGTH / 2 && s[cut] != ' ')
		cut--;
	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--; /* never inside a character */
	struct buf b = {0};
	buf_append(&b, s, cut);
	buf_puts(&b, "…");
	json_t *out = json_string(buf_str(&b));
	buf_free(&b);
	return out;
}

/* Returns the agenda item s[0..n) as a subject: its text without its
 * Markdown, at most SUBJECT_LENGTH bytes, cut after a word and ended with
 * « … » when longer (new reference), or NULL. */
static json_t *subject(const char *item, size_t len)
{
	struct buf plain = {0};
	struct md_opts opts = {0};
	bool markup = false; /* most items are plain words: no need to render them */
	for (size_t i = 0; i < len && !markup; i++)
		markup = strchr("*_`[]<>!\\&~#|", item[i]) != NULL;
	if (!markup)
		return cut_subject(item, len);
	if (md_render(item, len, &opts, NULL, &plain, NULL) < 0) {
		buf_free(&plain);
		return NULL;
	}
	for (char *p = plain.data ? plain.data : ""; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	while (plain.len && plain.data[plain.len - 1] == ' ')
		plain.data[--plain.len] = '\0';
	json_t *out = cut_subject(buf_str(&plain), plain.len);
	buf_free(&plain);
	return out;
}


/* Adds to body's "subjects" the items of an agenda's lists that start a
 * line ("1. …", "- …"), each once, SUBJECTS_MAX at most; the others are
 * counted in "subjects_more". */
static void add_subjects(json_t *body, const char *agenda)
{
	json_t *list = json_object_get(body, "subjects");
	for (const char *p = agenda ? agenda : ""; *p;) {
		size_t n = strcspn(p, "\n"), k = 0;
		while (k < n && k < 3 && p[k] == ' ')
			k++;
		size_t digits = strspn(p + k, "0123456789");
		if (digits && digits < 10 && (p[k + digits] == '.' || p[k + digits] == ')'))
			k += digits + 1;
		else if (k < n && strchr("-*+", p[k]))
			k++;
		else
			k = n;
		if (k < n && p[k] == ' ' && !(p[k + 1] == '[' && p[k + 3] == ']')) {
			size_t end = n;
			while (end > k && (p[end - 1] == ' ' || p[end - 1] == '\r'))
				end--;
			while (k < end && p[k] == ' ')
				k++;
			json_t *one = end > k ? subject(p + k, end - k) : NULL, *v;
			size_t i;
			json_array_foreach(list, i, v)
				if (one && json_equal(v, one))
					json_decref(one), one = NULL;
			if (one && json_array_size(list) < SUBJECTS_MAX)
				json_array_append_new(list, one);
			else if (one) {
				json_object_set_new(body, "subjects_more",
						    json_integer(db_num(body, "subjects_more") + 1));
				json_decref(one);
			}
		}
		p += n + (p[n] == '\n');
	}
}

/* Returns the body of row r in out ("bodies" by kind, or "instances"),
 * made with its heading when it is new: {id, name, slug, held, online,
 * organisations, meetings: []} (borrowed). */
static json_t *body_of(json_t *out, json_t *byid, json_t *r)
{
	json_t *body = json_object_get(byid, db_str(r, "body_key"));
	if (body)
		return body;
	const char *kind = db_str(r, "kind");
	const char *heading = strcmp(kind, "platform") == 0 ? "Les plateformes provinciales"
			      : strcmp(kind, "working_group") == 0 ? "Les groupes de travail"
								 : "Les coordinations locales";
	json_t *list = strcmp(kind, "other") == 0
		? json_object_get(out, "instances")
		: json_object_get(group_of(json_object_get(out, "bodies"), kind, heading, "bodies"),
				  "bodies");
	body = json_pack("{s:I, s:O, s:O, s:i, s:i, s:i, s:i, s:i, s:i, s:[], s:[], s:[], s:[]}",
			 "id", db_num(r, "body"), "name", json_object_get(r, "name"), "slug",
			 json_object_get(r, "slug"), "held", 0, "online", 0, "presences", 0,
			 "organisations", 0, "opened", 0, "closed", 0, "meetings", "subjects",
			 "open_actions", "next_meetings");
	json_array_append_new(list, body);
	json_object_set(byid, db_str(r, "body_key"), body);
	return body;
}

/* Counts one meeting of row r in its body, lists it, adds its subjects. */
static void add_meeting(json_t *body, json_t *r)
{
	const char *status = db_str(r, "status"), *format = db_str(r, "format");
	bool held = strcmp(status, "planned") != 0 && strcmp(status, "cancelled") != 0;
	json_object_set_new(body, "held", json_integer(db_num(body, "held") + held));
	json_object_set_new(body, "online", json_integer(db_num(body, "online") +
					(held && strcmp(format, "on_site") != 0)));
	add_subjects(body, db_str(r, "agenda"));
	json_array_append_new(json_object_get(body, "meetings"), json_pack(
		"{s:I, s:o, s:s, s:s, s:s}", "id", db_num(r, "id"), "date",
		date_fr(db_str(r, "start")), "format", vocab_label(&vocab_meeting_formats, format),
		"place", db_str(r, "place") ? db_str(r, "place") : "", "status",
		held ? "" : vocab_label(&vocab_meeting_statuses, status))); /* held goes unsaid */
}

/* Appends each row of rows to the list key of its body in byid, max at
 * most, the others counted in key_more (rows of bodies not in the report
 * are left); consumes rows. */
static void add_to_bodies(json_t *byid, json_t *rows, const char *key, size_t max)
{
	json_t *r;
	size_t i;
	char more[40];
	snprintf(more, sizeof(more), "%s_more", key);
	json_array_foreach(rows, i, r) {
		json_t *body = json_object_get(byid, db_str(r, "body_key"));
		json_t *list = json_object_get(body, key);
		if (body && json_array_size(list) < max)
			json_array_append(list, r);
		else if (body)
			json_object_set_new(body, more, json_integer(db_num(body, more) + 1));
	}
	json_decref(rows);
}

/* Gives each body of byid its year's bilan and perspectives (Markdown and
 * HTML), when written. */
static void add_reviews(json_t *byid, int year)
{
	json_t *reviews = review_of_year(year), *v;
	const char *k;
	json_object_foreach(reviews, k, v) {
		json_t *body = json_object_get(byid, k);
		static const char *const keys[] = {"bilan", "bilan_html", "perspectives",
						   "perspectives_html"};
		for (size_t i = 0; body && i < 4; i++)
			json_object_set(body, keys[i], json_object_get(v, keys[i]));
	}
	json_decref(reviews);
}

/* Returns the bodies active now or with meetings in the year, grouped by
 * kind, the other bodies (instances) apart: {bodies, instances}, each body with its
 * meetings and their subjects, its distinct organisations present, its
 * bilan and perspectives, the actions of the year still open at its end
 * and its meetings of the next year (new reference). */
static json_t *body_chapters(const struct span *s, int year, int role, long long org)
{
	long long r0 = role;
	struct span next;
	span_of(year + 1, &next);
	json_t *bodies = db_rows("SELECT b.id AS body, CAST(b.id AS TEXT) AS body_key, b.name, "
				 "b.slug, b.kind FROM body b WHERE (EXISTS (SELECT 1 FROM meeting m "
				 "WHERE m.body_id = b.id AND m.deleted = 0 AND "
				 AUTH_SEES_SQL("m.visibility", "m.body_id") " AND m.start >= ? AND "
				 "m.start < ?) OR b.status = 'active') AND (b.visibility <> 'internal' "
				 "OR ? >= 2) ORDER BY " KIND_ORDER ", b.name COLLATE NOCASE", "iitti", r0, org,
				 s->from, s->to, r0);
	json_t *rows = db_rows("SELECT m.id, m.start, m.format, m.place, m.status, m.agenda, b.id AS "
			       "body, CAST(b.id AS TEXT) AS body_key, b.name, b.slug, b.kind "
			       YEAR_MEETINGS_OF_BODIES " ORDER BY " KIND_ORDER ", b.name, m.start",
			       "iitt", r0, org, s->from, s->to);
	json_t *orgs = db_rows("SELECT CAST(m.body_id AS TEXT) AS body_key, count(*) AS presences, "
			       "count(DISTINCT a.organisation_id) AS n FROM attendance a JOIN meeting m "
			       "ON m.id = "
			       "a.meeting_id WHERE a.presence = 'present' AND " HELD " AND m.id IN "
			       "(SELECT m.id " YEAR_MEETINGS ") GROUP BY m.body_id", "iitt", r0, org,
			       s->from, s->to);
	json_t *out = json_pack("{s:[], s:[]}", "bodies", "instances"), *byid = json_object(), *r;
	size_t i;
	json_array_foreach(bodies, i, r) /* each body in its place, with meetings or not */
		body_of(out, byid, r);
	json_decref(bodies);
	json_array_foreach(rows, i, r)
		add_meeting(body_of(out, byid, r), r);
	json_array_foreach(orgs, i, r) {
		json_t *body = json_object_get(byid, db_str(r, "body_key"));
		json_object_set(body, "organisations", json_object_get(r, "n"));
		json_object_set(body, "presences", json_object_get(r, "presences"));
	}
	json_t *acts = db_rows("SELECT CAST(m.body_id AS TEXT) AS body_key, count(*) AS opened, "
			       "count(*) FILTER (WHERE x.state = 'done') AS closed "
			       YEAR_MEETINGS_ACTIONS " GROUP BY m.body_id", "iitt", r0, org, s->from,
			       s->to);
	json_array_foreach(acts, i, r) {
		json_t *body = json_object_get(byid, db_str(r, "body_key"));
		json_object_set(body, "opened", json_object_get(r, "opened"));
		json_object_set(body, "closed", json_object_get(r, "closed"));
	}
	json_decref(acts);
	json_t *open = db_rows("SELECT CAST(m.body_id AS TEXT) AS body_key, x.text, x.owner, x.due "
			       YEAR_MEETINGS_ACTIONS " AND (x.state = 'open' OR x.closed_at >= ?) "
			       "ORDER BY x.due IS NULL, x.due, x.id", "iittt", r0, org, s->from,
			       s->to, s->to);
	json_t *later = db_rows("SELECT CAST(m.body_id AS TEXT) AS body_key, m.id, m.title, m.start "
				YEAR_MEETINGS " AND m.status <> 'cancelled' ORDER BY m.start", "iitt",
				r0, org, next.from, next.to);
	view_dates_fr(open, "due", "due_fr");
	view_dates_fr(later, "start", "date");
	add_to_bodies(byid, open, "open_actions", OPEN_ACTIONS_MAX);
	add_to_bodies(byid, later, "next_meetings", (size_t)-1);
	add_reviews(byid, year);
	const char *k;
	json_t *body;
	json_object_foreach(byid, k, body) {
		bool open_now = json_array_size(json_object_get(body, "open_actions")) > 0;
		bool next_year = json_array_size(json_object_get(body, "next_meetings")) > 0;
		json_object_set_new(body, "has_open", json_boolean(open_now));
		json_object_set_new(body, "has_meetings",
				    json_boolean(json_array_size(json_object_get(body, "meetings"))));
		json_object_set_new(body, "has_next", json_boolean(next_year));
		json_object_set_new(body, "has_perspectives", json_boolean(
			open_now || next_year || db_str(body, "perspectives_html")));
	}
	json_decref(rows);
	json_decref(orgs);
	json_decref(byid);
	counted_words(json_object_get(out, "bodies"));
	counted_words(json_object_get(out, "instances"));
	return out;
}

/* Returns the letters of the year by level (new reference). */
static json_t *letter_chapters(const struct span *s, int role, long long org)
{
	json_t *rows = db_rows("SELECT l.slug, l.title, l.date, l.kind, l.status, l.level, (SELECT "
			       "group_concat(coalesce(o.acronym, o.name), ', ') FROM letter_signer ls "
			       "JOIN organisation o ON o.id = ls.organisation_id WHERE ls.letter_id = "
			       "l.id) AS signers FROM letter l WHERE l.deleted = 0 AND "
			       AUTH_SEES_SQL("l.visibility", "l.body_id") " AND l.date >= ? AND "
			       "l.date < ? ORDER BY CASE l.level WHEN 'commune' THEN 1 WHEN 'province' "
			       "THEN 2 WHEN 'region' THEN 3 WHEN 'federal' THEN 4 ELSE 5 END, l.date, "
			       "l.id", "iitt", (long long)role, org, s->from, s->to), *r;
	json_t *levels = json_array();
	size_t i;
	json_array_foreach(rows, i, r) {
		const char *level = db_str(r, "level");
		static const char *const headings[][2] = {{"commune", "Communes"},
			{"province", "Province"}, {"region", "Région"}, {"federal", "Fédéral"},
			{"europe", "Europe"}};
		const char *heading = level;
		for (size_t h = 0; h < 5; h++)
			if (strcmp(headings[h][0], level) == 0)
				heading = headings[h][1];
		json_t *g = group_of(levels, level, heading, "letters");
		json_array_append_new(json_object_get(g, "letters"), json_pack(
			"{s:O, s:O, s:o, s:s, s:s, s:s}", "slug", json_object_get(r, "slug"), "title",
			json_object_get(r, "title"), "date", date_fr(db_str(r, "date")), "kind",
			vocab_label(&vocab_letter_kinds, db_str(r, "kind")), "status",
			vocab_label(&vocab_letter_statuses, db_str(r, "status")), "signers",
			db_str(r, "signers") ? db_str(r, "signers") : ""));
	}
	json_decref(rows);
	return levels;
}

/* Gives a motion of the report ({title, communes: [{nis, commune, state,
 * state_key}]}) its map at the year's end: "map", its SVG, and
 * "map_title". */
static void motion_map(json_t *motion, int year)
{
	json_t *communes = json_object_get(motion, "communes"), *c;
	size_t n = json_array_size(communes), i;
	struct svg_tile *tiles = calloc(n ? n : 1, sizeof(*tiles));
	if (!tiles)
		abort();
	json_array_foreach(communes, i, c)
		tiles[i] = (struct svg_tile){db_num(c, "nis"), db_str(c, "commune"), db_str(c, "state"),
					     NULL, svg_motion_shade(db_str(c, "state_key")), false};
	struct buf svg = {0}, title = {0};
	buf_printf(&title, "État de la motion « %s » dans chaque commune au 31 décembre %d",
		   db_str(motion, "title"), year);
	svg_commune_map(&svg, tiles, n, buf_str(&title));
	json_object_set_new(motion, "map", json_string(buf_str(&svg)));
	json_object_set_new(motion, "map_title", json_string(buf_str(&title)));
	buf_free(&svg);
	buf_free(&title);
	free(tiles);
}

/* Returns a bar chart {title, svg} of the year before and the year: a bar
 * for each item of keys in each year, its count from rows ({y, key, n}). */
static json_t *two_year_chart(json_t *rows, int year, const struct vocab *keys, const char *title)
{
	struct svg_bar bars[2 * 16];
	char years[2][8];
	size_t nb = 0;
	for (int k = 0; k < 2; k++) {
		snprintf(years[k], sizeof(years[k]), "%d", year - 1 + k);
		for (size_t i = 0; i < keys->n && nb < sizeof(bars) / sizeof(bars[0]); i++) {
			long long n = 0;
			json_t *r;
			size_t j;
			json_array_foreach(rows, j, r)
				if (atoi(db_str(r, "y")) == year - 1 + k &&
				    strcmp(db_str(r, "key"), keys->items[i].value) == 0)
					n = db_num(r, "n");
			bars[nb++] = (struct svg_bar){years[k], keys->items[i].label, n};
		}
	}
	struct buf svg = {0};
	svg_bar_chart(&svg, bars, nb, title);
	json_t *chart = json_pack("{s:s, s:s}", "title", title, "svg", buf_str(&svg));
	buf_free(&svg);
	return chart;
}

/* The kinds of bodies as the chart names them (short enough for its
 * labels' column). */
static const struct vocab_item chart_kind_items[] = {
	{"platform", "plateformes"}, {"working_group", "groupes de travail"},
	{"local_coordination", "coordinations locales"}, {"other", "autres instances"}};
static const struct vocab chart_kinds = {chart_kind_items, 4};

/* Returns the report's charts, the year before beside the year: meetings
 * held by kind of body, letters by level ([{title, svg}], new
 * reference). */
static json_t *charts(const struct span *s, int year, int role, long long org)
{
	struct span before;
	span_of(year - 1, &before);
	json_t *meetings = db_rows("SELECT substr(m.start, 1, 4) AS y, b.kind AS key, count(*) AS n "
				   YEAR_MEETINGS_OF_BODIES " AND " HELD " GROUP BY 1, 2", "iitt",
				   (long long)role, org, before.from, s->to);
	json_t *letters = db_rows("SELECT substr(l.date, 1, 4) AS y, l.level AS key, count(*) AS n "
				  "FROM letter l WHERE l.deleted = 0 AND " AUTH_SEES_SQL("l.visibility",
				  "l.body_id") " AND l.date >= ? AND l.date < ? GROUP BY 1, 2", "iitt",
				  (long long)role, org, before.from, s->to);
	char t1[120], t2[120];
	snprintf(t1, sizeof(t1), "Réunions tenues par type d'instance, %d et %d", year - 1, year);
	snprintf(t2, sizeof(t2), "Lettres et cartes blanches par niveau, %d et %d", year - 1, year);
	json_t *out = json_pack("[o, o]", two_year_chart(meetings, year, &chart_kinds, t1),
				two_year_chart(letters, year, &vocab_levels, t2));
	json_decref(meetings);
	json_decref(letters);
	return out;
}

/* Gives each motion of motions the steps of the year in its communes
 * ("events": [{date, commune, kind, state, note}], by date): what changed
 * during the year (the motions listed are those the reader may read). */
static void motion_events(json_t *motions, const struct span *s)
{
	json_t *rows = db_rows("SELECT mc.motion_id AS motion, e.date, c.name AS commune, e.kind, "
			       "e.state, e.note FROM event e JOIN motion_commune mc ON mc.id = "
			       "e.motion_commune_id JOIN commune c ON c.nis = mc.commune_nis WHERE "
			       "e.date >= ? AND e.date < ? ORDER BY e.date, e.id", "tt", s->from,
			       s->to), *r, *m;
	size_t i, k;
	view_dates_fr(rows, "date", "date_fr");
	json_array_foreach(rows, i, r)
		json_array_foreach(motions, k, m)
			if (db_num(m, "id") == db_num(r, "motion"))
				json_array_append_new(json_object_get(m, "events"), json_pack(
					"{s:O, s:O, s:s, s:s, s:O}", "date", json_object_get(r, "date_fr"),
					"commune", json_object_get(r, "commune"), "kind",
					vocab_label(&vocab_event_kinds, db_str(r, "kind")), "state",
					db_str(r, "state") ? vocab_label(&vocab_motion_states,
									 db_str(r, "state")) : "",
					"note", json_object_get(r, "note")));
	json_decref(rows);
}

/* Returns the motions with their communes' state at the year's end (new
 * reference). */
static json_t *motion_chapters(const struct span *s, int year, int role, long long org)
{
	json_t *rows = db_rows(
		"SELECT mo.id, mo.slug, mo.title, c.nis, c.name AS commune, coalesce((SELECT e.state FROM "
		"event e WHERE e.motion_commune_id = mc.id AND e.state IS NOT NULL AND e.date < ? "
		"ORDER BY e.date DESC, e.id DESC LIMIT 1), 'not_started') AS state FROM "
		"motion_commune mc JOIN motion mo ON mo.id = mc.motion_id JOIN commune c ON c.nis = "
		"mc.commune_nis WHERE mo.deleted = 0 AND " AUTH_SEES_SQL("mo.visibility", "mo.body_id")
		" ORDER BY mo.title, c.name", "tii", s->to, (long long)role, org), *r, *motion = NULL;
	json_t *motions = json_array();
	size_t i;
	json_array_foreach(rows, i, r) {
		if (!motion || db_num(motion, "id") != db_num(r, "id")) {
			motion = json_pack("{s:O, s:O, s:O, s:[]}", "id", json_object_get(r, "id"), "slug",
					   json_object_get(r, "slug"), "title", json_object_get(r, "title"),
					   "communes");
			json_array_append_new(motions, motion);
		}
		json_array_append_new(json_object_get(motion, "communes"), json_pack(
			"{s:O, s:O, s:s, s:O}", "nis", json_object_get(r, "nis"), "commune",
			json_object_get(r, "commune"), "state", vocab_label(&vocab_motion_states,
			db_str(r, "state")), "state_key", json_object_get(r, "state")));
	}
	json_decref(rows);
	json_array_foreach(motions, i, motion) {
		motion_map(motion, year);
		json_object_set_new(motion, "events", json_array());
	}
	motion_events(motions, s);
	json_array_foreach(motions, i, motion)
		json_object_set_new(motion, "has_events",
				    json_boolean(json_array_size(json_object_get(motion, "events"))));
	return motions;
}

/* Notes in set (an object used as a set) each glossary acronym that the
 * rendered text html[0..n) marks with <abbr>. */
static void note_acronyms(json_t *set, const char *html, size_t n)
{
	static const char open[] = "<abbr title=\"", close[] = "</abbr>";
	const char *p = html, *end = html + n;
	while (p && (p = memmem(p, (size_t)(end - p), open, sizeof(open) - 1))) {
		const char *gt = memchr(p, '>', (size_t)(end - p));
		const char *stop = gt ? memmem(gt, (size_t)(end - gt), close, sizeof(close) - 1) : NULL;
		if (!stop)
			return;
		json_object_setn_new(set, gt + 1, (size_t)(stop - gt - 1), json_true());
		p = stop + sizeof(close) - 1;
	}
}

/* Notes the acronyms of every column of a row of rendered texts (db_each's
 * row). */
static void row_acronyms(void *set, int ncol, const char *const *col, const size_t *len)
{
	for (int i = 0; i < ncol; i++)
		if (col[i])
			note_acronyms(set, col[i], len[i]);
}

/* Notes the acronyms of the bilans and perspectives of bodies. */
static void bodies_acronyms(json_t *set, json_t *bodies)
{
	json_t *b;
	size_t i;
	json_array_foreach(bodies, i, b)
		for (int t = 0; t < 2; t++) {
			const char *h = db_str(b, t ? "perspectives_html" : "bilan_html");
			if (h)
				note_acronyms(set, h, strlen(h));
		}
}

/* Returns the glossary's entries that the year's texts use ({acronym,
 * expansion}, by acronym): its meetings' agendas and minutes and its
 * letters as the reader may read them, and the bilans and perspectives of
 * the bodies in chapters (new reference). */
static json_t *acronyms(const struct span *s, int role, long long org, json_t *chapters)
{
	json_t *set = json_object(), *g;
	db_each(row_acronyms, set, "SELECT m.agenda_html, m.minutes_html " YEAR_MEETINGS, "iitt",
		(long long)role, org, s->from, s->to);
	db_each(row_acronyms, set, "SELECT l.text_html FROM letter l WHERE l.deleted = 0 AND "
		AUTH_SEES_SQL("l.visibility", "l.body_id") " AND l.date >= ? AND l.date < ?", "iitt",
		(long long)role, org, s->from, s->to);
	size_t i;
	json_array_foreach(json_object_get(chapters, "bodies"), i, g)
		bodies_acronyms(set, json_object_get(g, "bodies"));
	bodies_acronyms(set, json_object_get(chapters, "instances"));
	json_t *keys = json_array();
	const char *key;
	json_t *v;
	json_object_foreach(set, key, v)
		json_array_append_new(keys, json_string(key));
	char *list = json_dumps(keys, JSON_COMPACT);
	json_t *rows = db_rows("SELECT acronym, expansion FROM glossary WHERE deleted = 0 AND "
			       "acronym IN (SELECT value FROM json_each(?)) ORDER BY acronym COLLATE "
			       "NOCASE", "t", list);
	free(list);
	json_decref(keys);
	json_decref(set);
	return rows ? rows : json_array();
}

/* Returns the report's chapters (see report.h). */
json_t *report_chapters(int year, int role, long long org)
{
	struct span s;
	span_of(year, &s);
	json_t *c = body_chapters(&s, year, role, org);
	json_object_set_new(c, "letters", letter_chapters(&s, role, org));
	json_object_set_new(c, "motions", motion_chapters(&s, year, role, org));
	json_object_set_new(c, "charts", charts(&s, year, role, org));
	json_object_set_new(c, "acronyms", acronyms(&s, role, org, c));
	json_t *mandates = mandate_list(s.from, s.to, true, role >= ROLE_BOARD);
	json_object_set_new(c, "mandates", mandates ? mandates : json_array());
	return c;
}

/* Appends the figures as CSV (see report.h). */
void report_csv(int year, json_t *figures, struct buf *out)
{
	json_t *f;
	size_t i;
	buf_printf(out, "indicateur,%d,%d\r\n", year, year - 1);
	json_array_foreach(figures, i, f) {
		csv_put(out, db_str(f, "label"), true);
		buf_printf(out, ",%lld,%lld\r\n", db_num(f, "value"), db_num(f, "previous"));
	}
}

/* Appends the figures as a Markdown table (see report.h). */
void report_markdown(int year, json_t *figures, struct buf *out)
{
	json_t *f;
	size_t i;
	buf_printf(out, "## Chiffres clés %d\n\n| | %d | %d |\n|---|---:|---:|\n", year, year,
		   year - 1);
	json_array_foreach(figures, i, f)
		buf_printf(out, "| %s | %lld | %lld |\n", db_str(f, "label"), db_num(f, "value"),
			   db_num(f, "previous"));
}

/* Appends s as Markdown text: every character that could start markup is
 * escaped, line ends become spaces. */
static void md_text(struct buf *out, const char *s)
{
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == '\n' || *p == '\r')
			buf_putc(out, ' ');
		else if (strchr("\\`*_{}[]<>()#+-.!|~$@^", *p))
			buf_printf(out, "\\%c", *p);
		else
			buf_putc(out, *p);
	}
}

/* Appends each non-empty string of the NULL-ended list as Markdown text,
 * sep between them, then end. */
static void md_join(struct buf *out, const char *sep, const char *end, ...)
{
	va_list ap;
	va_start(ap, end);
	bool first = true;
	for (const char *s; (s = va_arg(ap, const char *));) {
		if (!*s)
			continue;
		if (!first)
			buf_puts(out, sep);
		md_text(out, s);
		first = false;
	}
	va_end(ap);
	buf_puts(out, end);
}

/* Appends a coordinator's Markdown text under a bold title, when written. */
static void md_written(struct buf *out, const char *title, const char *md)
{
	if (!md || !*md)
		return;
	buf_printf(out, "**%s**\n\n%s", title, md);
	buf_puts(out, md[strlen(md) - 1] == '\n' ? "\n" : "\n\n");
}

/* Starts line i of a body's list: its lines make one paragraph, joined by
 * hard breaks, each after a dash (pandoc writes an office document's list
 * item many times slower than a line, and a report has 500 bodies). */
static void md_line(struct buf *out, size_t i)
{
	buf_puts(out, i ? "\\\n– " : "– ");
}

/* Appends a body's perspectives: its text, the actions of the year still
 * open at its end, its meetings of the next year. */
static void md_perspectives(struct buf *out, json_t *b, int year)
{
	json_t *x;
	size_t i;
	if (!json_is_true(json_object_get(b, "has_perspectives")))
		return;
	if (db_str(b, "perspectives") && *db_str(b, "perspectives"))
		md_written(out, "Perspectives", db_str(b, "perspectives"));
	else
		buf_puts(out, "**Perspectives**\n\n");
	json_t *actions = json_object_get(b, "open_actions");
	if (json_array_size(actions))
		buf_printf(out, "Actions encore ouvertes au 31 décembre %d :\n\n", year);
	json_array_foreach(actions, i, x) {
		md_line(out, i);
		md_join(out, ", ", "", db_str(x, "text"), db_str(x, "owner") ? db_str(x, "owner")
			: "", db_str(x, "due_fr") ? db_str(x, "due_fr") : "", NULL);
	}
	if (db_num(b, "open_actions_more")) {
		md_line(out, json_array_size(actions));
		buf_printf(out, "et %lld autres, sur la page « Actions »", db_num(b, "open_actions_more"));
	}
	if (json_array_size(actions))
		buf_puts(out, "\n\n");
	json_t *next = json_object_get(b, "next_meetings");
	if (json_array_size(next))
		buf_printf(out, "Réunions prévues en %d :\n\n", year + 1);
	json_array_foreach(next, i, x) {
		md_line(out, i);
		md_join(out, " : ", "", db_str(x, "date"), db_str(x, "title"), NULL);
	}
	if (json_array_size(next))
		buf_puts(out, "\n\n");
}

/* Appends a body's counts of the year, or that it did not meet. */
static void md_counts(struct buf *out, json_t *b)
{
	if (!json_is_true(json_object_get(b, "has_meetings"))) {
		buf_puts(out, "Aucune réunion enregistrée cette année.\n\n");
		return;
	}
	md_join(out, "", "\n\n", db_str(b, "counts_text"), NULL);
}

/* Appends the chapter of bodies by kind (or the instances) as Markdown:
 * each body's meetings, its subjects, its bilan and perspectives. */
static void md_bodies(struct buf *out, json_t *bodies, const char *level, int year)
{
	json_t *b, *m;
	size_t i, k;
	json_array_foreach(bodies, i, b) {
		buf_printf(out, "%s ", level);
		md_join(out, "", "\n\n", db_str(b, "name"), NULL);
		md_counts(out, b);
		json_array_foreach(json_object_get(b, "meetings"), k, m) {
			md_line(out, k);
			md_join(out, ", ", "", db_str(m, "date"), db_str(m, "format"), db_str(m, "place"),
				NULL);
			md_join(out, "", "", *db_str(m, "status") ? " : " : "", db_str(m, "status"),
				NULL);
		}
		if (json_array_size(json_object_get(b, "meetings")))
			buf_puts(out, "\n\n");
		if (*db_str(b, "subjects_text"))
			md_join(out, "", "\n\n", "Sujets : ", db_str(b, "subjects_text"), NULL);
		md_written(out, "Bilan", db_str(b, "bilan"));
		md_perspectives(out, b, year);
	}
}

/* Draws svg as images/name.png and appends its Markdown image, titled;
 * without images (plain Markdown) or when rsvg-convert fails, nothing (the
 * report goes on without the picture, the failure logged). */
static void md_picture(struct buf *out, const char *images, const char *name, const char *title,
		       const char *svg)
{
	if (!images || !svg)
		return;
	struct buf png = {0};
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s.png", images, name);
	FILE *f = convert_svg_to_png(svg, strlen(svg), &png) == 0 ? fopen(path, "wb") : NULL;
	bool ok = f && fwrite(png.data, 1, png.len, f) == png.len;
	if (f && fclose(f) != 0)
		ok = false;
	buf_free(&png);
	if (!ok) {
		log_error("rapport : l'image « %s » n'a pas pu être dessinée (rsvg-convert)", title);
		return;
	}
	buf_puts(out, "![");
	md_text(out, title);
	buf_printf(out, "](%s)\n\n", path);
}

/* Appends the interpellation chapter as Markdown. */
static void md_interpellation(struct buf *out, json_t *c, int year, const char *images)
{
	json_t *g, *l, *mo, *mc;
	size_t i, k;
	buf_puts(out, "## Interpellation\n\n### Lettres et cartes blanches\n\n");
	if (!json_array_size(json_object_get(c, "letters")))
		buf_puts(out, "Aucune lettre cette année.\n\n");
	json_array_foreach(json_object_get(c, "letters"), i, g) {
		buf_puts(out, "#### ");
		md_join(out, "", "\n\n", db_str(g, "label"), NULL);
		json_array_foreach(json_object_get(g, "letters"), k, l) {
			buf_puts(out, "- ");
			md_join(out, "", " : ", db_str(l, "title"), NULL);
			md_join(out, ", ", "", db_str(l, "kind"), db_str(l, "date"), db_str(l, "status"),
				NULL);
			md_join(out, "", "\n", *db_str(l, "signers") ? " ; cosignataires : " : "",
				db_str(l, "signers"), NULL);
		}
		buf_putc(out, '\n');
	}
	json_array_foreach(json_object_get(c, "motions"), i, mo) {
		buf_puts(out, "### Motion : ");
		md_join(out, "", "", db_str(mo, "title"), NULL);
		buf_printf(out, "\n\n| Commune | État au 31 décembre %d |\n|---|---|\n", year);
		json_array_foreach(json_object_get(mo, "communes"), k, mc) {
			buf_puts(out, "| ");
			md_join(out, " | ", " |\n", db_str(mc, "commune"), db_str(mc, "state"), NULL);
		}
		json_t *e;
		if (json_array_size(json_object_get(mo, "events")))
			buf_printf(out, "\nCe qui a changé en %d :\n\n", year);
		json_array_foreach(json_object_get(mo, "events"), k, e) {
			buf_puts(out, "- ");
			md_join(out, " : ", ", ", db_str(e, "date"), db_str(e, "commune"), NULL);
			md_join(out, ", ", "", db_str(e, "kind"), db_str(e, "state"), NULL);
			md_join(out, "", "\n", *db_str(e, "note") ? " — " : "", db_str(e, "note"), NULL);
		}
		char name[32];
		snprintf(name, sizeof(name), "map-%zu", i + 1);
		buf_putc(out, '\n');
		md_picture(out, images, name, db_str(mo, "map_title"), db_str(mo, "map"));
		buf_putc(out, '\n');
	}
}

/* Appends the annexes as Markdown: the mandates of the year by level, the
 * acronyms of its texts. */
static void md_annexes(struct buf *out, json_t *c)
{
	json_t *g, *m, *a;
	size_t i, k;
	buf_puts(out, "## Annexes\n\n### Participations institutionnelles\n\n");
	if (!json_array_size(json_object_get(c, "mandates")))
		buf_puts(out, "Aucun mandat en cours cette année.\n\n");
	json_array_foreach(json_object_get(c, "mandates"), i, g) {
		buf_puts(out, "#### Niveau ");
		md_join(out, "", "\n\n", db_str(g, "label"), NULL);
		json_array_foreach(json_object_get(g, "mandates"), k, m) {
			buf_puts(out, "- ");
			md_join(out, " : ", "", db_str(m, "organisation"), db_str(m, "seat_label"), NULL);
			md_join(out, "", "", *db_str(m, "communes") ? " (" : "", db_str(m, "communes"),
				*db_str(m, "communes") ? ")" : "", NULL);
			md_join(out, "", "\n", *db_str(m, "representative") ? " ; représentation : " : "",
				db_str(m, "representative"), NULL);
		}
		buf_putc(out, '\n');
	}
	buf_puts(out, "### Sigles et acronymes\n\n");
	if (!json_array_size(json_object_get(c, "acronyms")))
		buf_puts(out, "Aucun sigle du glossaire dans les textes de l'année.\n\n");
	json_array_foreach(json_object_get(c, "acronyms"), i, a) {
		buf_puts(out, "- ");
		md_join(out, " : ", "\n", db_str(a, "acronym"), db_str(a, "expansion"), NULL);
	}
	buf_putc(out, '\n');
}

/* Appends the whole report as Markdown (see report.h). */
int report_document(int year, int role, long long org, const char *images, struct buf *out)
{
	json_t *figures = report_figures(year, role, org);
	json_t *c = figures ? report_chapters(year, role, org) : NULL;
	if (!c) {
		json_decref(figures);
		return -1;
	}
	buf_printf(out, "# Rapport d'activités %d\n\n", year);
	if (role == 0)
		buf_puts(out, "Version publique : seules les réunions, lettres et motions publiques y "
			      "sont comptées.\n\n");
	report_markdown(year, figures, out);
	buf_putc(out, '\n');
	json_t *g;
	size_t i;
	json_array_foreach(json_object_get(c, "charts"), i, g) {
		char name[32];
		snprintf(name, sizeof(name), "chart-%zu", i + 1);
		md_picture(out, images, name, db_str(g, "title"), db_str(g, "svg"));
	}
	buf_puts(out, "## Coordination d'activités d'accueil et d'intégration\n\n");
	if (!json_array_size(json_object_get(c, "bodies")))
		buf_puts(out, "Aucune réunion de plateforme, de groupe de travail ou de coordination "
			      "locale cette année.\n\n");
	json_array_foreach(json_object_get(c, "bodies"), i, g) {
		buf_puts(out, "### ");
		md_join(out, "", "\n\n", db_str(g, "label"), NULL);
		md_bodies(out, json_object_get(g, "bodies"), "####", year);
	}
	md_interpellation(out, c, year, images);
	buf_puts(out, "## Instances\n\n");
	if (!json_array_size(json_object_get(c, "instances")))
		buf_puts(out, "Aucune réunion d'instance cette année.\n\n");
	md_bodies(out, json_object_get(c, "instances"), "###", year);
	md_annexes(out, c);
	json_decref(figures);
	json_decref(c);
	return 0;
}

/* Removes the pictures of a report document and their folder. */
static void remove_images(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4400];
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* Writes the report as ODT or DOCX (see report.h). */
int report_convert(int year, int role, long long org, const char *format, struct buf *out)
{
	char dir[] = "/tmp/maillage-rapport-XXXXXX";
	struct buf md = {0};
	if (!mkdtemp(dir))
		return -1;
	int rc = report_document(year, role, org, dir, &md) < 0
		? REPORT_NO_DATA : convert_markdown_to(md.data, md.len, format, out);
	remove_images(dir);
	buf_free(&md);
	return rc;
}
