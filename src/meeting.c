/* meeting.c — saving a meeting, the one way every change goes. */
#include "meeting.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "action.h"
#include "auth.h"
#include "check.h"
#include "db.h"
#include "doc.h"
#include "markdown.h"
#include "notify.h"
#include "text.h"
#include "vocab.h"


/* Tells whether s is "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM", a real moment. */
static bool moment(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n != 10 && n != 16)
		return false;
	if (!text_is_date(s))
		return false;
	if (n == 10)
		return true;
	return s[10] == 'T' && text_is_hour(s + 11);
}

/* Notes every problem of m in c, in the order of the form. */
static void meeting_rules(const struct meeting_in *m, struct check *c)
{
	size_t tl = m->title ? strlen(m->title) : 0;
	check_if(c, tl == 0 || tl > 200, "title", "Le titre est obligatoire (200 caractères au plus).");
	check_if(c, !moment(m->start), "start", "La date n'existe pas ou n'a pas la forme attendue "
		 "(AAAA-MM-JJ, heure HH:MM).");
	check_if(c, moment(m->start) && m->end && *m->end &&
		 (!moment(m->end) || strcmp(m->end, m->start) < 0), "end",
		 "La réunion ne peut pas finir avant de commencer.");
	check_if(c, !vocab_has(&vocab_meeting_formats, m->format), "format",
		 "Le format doit être en présentiel, à distance ou hybride.");
	check_if(c, !vocab_has(&vocab_meeting_statuses, m->status), "status", "État inconnu.");
	check_if(c, !vocab_has(&vocab_visibilities, m->visibility), "visibility",
		 "La visibilité doit être publique, réservée aux membres ou interne.");
	check_if(c, m->video && *m->video && strncmp(m->video, "https://", 8) != 0, "video",
		 "Le lien de visioconférence doit commencer par https://.");
	check_if(c, m->agenda && strlen(m->agenda) > MEETING_MAX_TEXT, "agenda",
		 "L'ordre du jour dépasse 1 Mo.");
	check_if(c, m->minutes && strlen(m->minutes) > MEETING_MAX_TEXT, "minutes",
		 "Le procès-verbal dépasse 1 Mo.");
}

/* Returns NULL when m can be saved, else what is wrong and which field. */
const char *meeting_check(const struct meeting_in *m, const char **field)
{
	struct check c = {0};
	meeting_rules(m, &c);
	return check_first(&c, field);
}

/* Returns every problem of m: [{field, message}] (new reference). */
json_t *meeting_problems(const struct meeting_in *m)
{
	struct check c = {0};
	meeting_rules(m, &c);
	return check_json(&c);
}

/* Returns s, or "" for NULL. */
static const char *str(const char *s)
{
	return s ? s : "";
}

/* Returns the meeting's fields as a JSON object (for comparison and audit). */
static json_t *as_json(const struct meeting_in *m)
{
	return json_pack("{s:I, s:s, s:s, s:s*, s:s*, s:s*, s:s, s:s, s:s, s:s, s:s}", "body_id",
			 (json_int_t)m->body_id, "title", m->title, "start", m->start, "end",
			 m->end && *m->end ? m->end : NULL, "place", m->place && *m->place ? m->place : NULL,
			 "video", m->video && *m->video ? m->video : NULL, "format", m->format, "status",
			 m->status, "visibility", m->visibility, "agenda", str(m->agenda), "minutes",
			 str(m->minutes));
}

/* Stores the rendered texts and, when the minutes changed, their actions. */
static int render_texts(long long id, const struct meeting_in *m, bool minutes_changed)
{
	struct buf ah = {0}, at = {0}, mh = {0}, mt = {0};
	struct md_actions actions = {0};
	int rc = doc_render(str(m->agenda), strlen(str(m->agenda)), m->visibility, &ah, &at,
			    NULL) == 0 &&
		 doc_render(str(m->minutes), strlen(str(m->minutes)), m->visibility, &mh, &mt,
			    &actions) == 0
		 ? 0 : -1;
	if (rc == 0)
		rc = db_exec("UPDATE meeting SET agenda_html = ?, agenda_text = ?, minutes_html = ?, "
			     "minutes_text = ?, render_version = ? WHERE id = ?", "ttttii", buf_str(&ah),
			     buf_str(&at), buf_str(&mh), buf_str(&mt), (long long)MD_RENDERER_VERSION,
			     id) < 0 ? -1 : 0;
	if (rc == 0 && minutes_changed)
		rc = action_replace(id, &actions);
	if (rc == 0 && actions.n) /* now the actions' rows exist: show their state */
		rc = doc_refresh_minutes(id);
	md_actions_free(&actions);
	buf_free(&ah);
	buf_free(&at);
	buf_free(&mh);
	buf_free(&mt);
	return rc;
}

/* Writes the meeting's row (insert when id is 0); returns its id or -1. */
static long long write_row(long long id, const struct meeting_in *m)
{
	const char *end = m->end && *m->end ? m->end : NULL;
	const char *place = m->place && *m->place ? m->place : NULL;
	const char *video = m->video && *m->video ? m->video : NULL;
	if (id == 0) {
		/* a meeting's file name: its date, then "-2", "-3" for more that day */
		char slug[32];
		const char *name = m->slug;
		if (!name) {
			snprintf(slug, sizeof(slug), "%.10s", m->start);
			for (int k = 2; db_int(0, "SELECT 1 FROM meeting WHERE body_id = ? AND slug = ?",
					       "it", m->body_id, slug) == 1 && k < 1000; k++)
				snprintf(slug, sizeof(slug), "%.10s-%d", m->start, k);
			name = slug;
		}
		if (db_exec("INSERT INTO meeting (body_id, slug, title, start, end, place, video, format, "
			    "status, visibility, agenda, minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			    "ittttttttttt", m->body_id, name, m->title, m->start, end, place, video,
			    m->format, m->status, m->visibility, str(m->agenda), str(m->minutes)) < 0)
			return -1;
		return db_last_id();
	}
	return db_exec("UPDATE meeting SET body_id = ?, title = ?, start = ?, end = ?, place = ?, "
		       "video = ?, format = ?, status = ?, visibility = ?, agenda = ?, minutes = ?, "
		       "modified = " DB_NOW " WHERE id = ?", "itttttttttti",
		       m->body_id, m->title, m->start, end, place, video, m->format, m->status,
		       m->visibility, str(m->agenda), str(m->minutes), id) < 0 ? -1 : id;
}

/* Records who approved the minutes and when as the status becomes
 * "minutes_approved" (audited), and forgets it as it leaves it; 0 or -1.
 * An import (user_id 0) dates the approval by the meeting. */
static int record_approval(long long id, const char *was, const char *status, long long user_id)
{
	bool approved = strcmp(status, "minutes_approved") == 0;
	if (was && (strcmp(was, "minutes_approved") == 0) == approved)
		return 0;
	if (!approved)
		return db_exec("UPDATE meeting SET approved_at = NULL, approved_by = NULL WHERE id = ?",
			       "i", id) < 0 ? -1 : 0;
	/* minutes imported from files were approved long ago: their date stands in */
	if (db_exec("UPDATE meeting SET approved_at = CASE WHEN ?1 THEN " DB_NOW " ELSE start END, "
		    "approved_by = nullif(?1, 0) WHERE id = ?2", "ii", user_id, id) < 0)
		return -1;
	return db_audit(user_id, "approve", "meeting", id, NULL, NULL) < 0 ? -1 : 0;
}

/* Creates or updates a meeting; returns its id, or -1. */
long long meeting_save(long long id, const struct meeting_in *m, long long user_id)
{
	json_t *after = as_json(m), *before = NULL;
	if (id) {
		json_t *row = db_row("SELECT body_id, title, start, end, place, video, format, status, "
				     "visibility, agenda, minutes FROM meeting WHERE id = ?", "i", id);
		if (!row) {
			json_decref(after);
			return -1;
		}
		const char *key;
		json_t *v;
		before = json_object();
		json_object_foreach(row, key, v)
			if (!json_is_null(v))
				json_object_set(before, key, v);
		json_decref(row);
		if (json_equal(before, after)) {
			json_decref(before);
			json_decref(after);
			return id; /* nothing changed: nothing is written */
		}
	}
	const char *was_agenda = json_string_value(json_object_get(before, "agenda"));
	const char *was_minutes = json_string_value(json_object_get(before, "minutes"));
	bool agenda_changed = strcmp(was_agenda ? was_agenda : "", str(m->agenda)) != 0;
	bool minutes_changed = strcmp(was_minutes ? was_minutes : "", str(m->minutes)) != 0;
	long long saved = -1;
	if (db_begin() < 0)
		goto out;
	saved = write_row(id, m);
	int rc = saved < 0 ? -1 : 0;
	if (rc == 0 && agenda_changed)
		rc = db_exec("INSERT INTO revision (meeting_id, field, user_id, text) VALUES "
			     "(?, 'agenda', nullif(?, 0), ?)", "iit", saved, user_id, str(m->agenda)) < 0
			     ? -1 : 0;
	if (rc == 0 && minutes_changed)
		rc = db_exec("INSERT INTO revision (meeting_id, field, user_id, text) VALUES "
			     "(?, 'minutes', nullif(?, 0), ?)", "iit", saved, user_id, str(m->minutes)) < 0
			     ? -1 : 0;
	if (rc == 0)
		rc = render_texts(saved, m, minutes_changed || !id);
	if (rc == 0)
		rc = record_approval(saved, json_string_value(json_object_get(before, "status")),
				     m->status, user_id);
	if (rc == 0 && user_id)
		rc = notify_meeting_saved(saved, before); /* imports tell nobody */
	if (rc == 0) {
		char *b = before ? json_dumps(before, JSON_COMPACT) : NULL;
		char *a = json_dumps(after, JSON_COMPACT);
		rc = db_audit(user_id, id ? "update" : "create", "meeting", saved, b, a);
		free(b);
		free(a);
	}
	if (rc < 0 || db_commit() < 0) {
		db_rollback();
		saved = -1;
	}
out:
	json_decref(before);
	json_decref(after);
	return saved;
}

/* The columns of a meeting in a list, and the joins they need. */
#define MEETING_ROW_SQL                                                                  \
	"SELECT m.id, m.title, m.start, m.status, m.visibility, b.name AS body, "          \
	"b.slug AS body_slug FROM meeting m JOIN body b ON b.id = m.body_id "              \
	"LEFT JOIN territory t ON t.id = b.territory_id "
/* A list's query: the body (where_body, over ?1), the range of starts
 * [?2, ?3), the territory ?4, the bodies of organisation ?5 (0: any), the
 * reader's rule (two parameters), in the order given, LIMIT and OFFSET. */
#define MEETING_LIST(where_body, order)                                                  \
	MEETING_ROW_SQL "WHERE " where_body " AND m.deleted = 0 AND m.start >= ?2 AND "     \
	"m.start < ?3 AND (coalesce(?4, '') = '' OR t.slug = ?4) AND (?5 = 0 OR EXISTS "     \
	"(SELECT 1 FROM membership mo WHERE mo.body_id = m.body_id AND mo.organisation_id = " \
	"?5 AND (mo.end_date IS NULL OR mo.end_date >= date('now')))) AND "                  \
	AUTH_SEES_SQL("m.visibility", "m.body_id") " ORDER BY m.start " order ", m.id "      \
	order " LIMIT ? OFFSET ?"

/* The four lists: [one body][soonest first]. */
static const char *const list_sql[2][2] = {
	{MEETING_LIST("?1 = 0", "DESC"), MEETING_LIST("?1 = 0", "ASC")},
	{MEETING_LIST("m.body_id = ?1", "DESC"), MEETING_LIST("m.body_id = ?1", "ASC")}};

/* Sets the range of starts [lo, hi) of year (any start when empty; none
 * when it is not four digits), narrowed to the future or the past by when. */
static void start_range(const char *year, enum meeting_when when, char lo[12], char hi[12])
{
	if (!year || !*year) {
		strcpy(lo, ""), strcpy(hi, "A"); /* every date sorts before a letter */
	} else if (strlen(year) == 4 && text_is_digits(year)) {
		strcpy(lo, year);
		snprintf(hi, 12, "%d", atoi(year) + 1);
	} else {
		strcpy(lo, "A"), strcpy(hi, "A");
	}
	if (when == MEETING_ANY)
		return;
	char today[12];
	time_t now = time(NULL);
	struct tm tm;
	strftime(today, sizeof(today), "%Y-%m-%d", gmtime_r(&now, &tm));
	if (when == MEETING_UPCOMING && strcmp(today, lo) > 0)
		strcpy(lo, today);
	if (when == MEETING_PAST && strcmp(today, hi) < 0)
		strcpy(hi, today);
}

/* Returns the meetings of f that a reader may see (see meeting.h). Each
 * filter is an index range: the body's meetings through meeting_body, a
 * year through the starts of meeting_live. */
json_t *meeting_list(const struct meeting_filter *f, int role, long long org, int limit,
		     int offset)
{
	long long body_id = f->body_id;
	char lo[12], hi[12];
	start_range(f->year, f->when, lo, hi);
	if (f->body && *f->body &&
	    (body_id = db_int(0, "SELECT id FROM body WHERE slug = ?", "t", f->body)) == 0)
		return json_array(); /* no such body: no meetings */
	return db_rows(list_sql[body_id != 0][f->when == MEETING_UPCOMING], "itttiiiii", body_id,
		       lo, hi, f->territory, f->member_of, (long long)role, org, (long long)limit,
		       (long long)offset);
}

/* The latest start before ?3 ("A" for none) of a meeting a reader of role
 * ?1 and organisation ?2 may see: everything for the board and above, else
 * the latest public one (index meeting_public) and the latest one open to
 * members in each body of the reader's organisation (index meeting_body):
 * seeks, never a walk past the meetings hidden from the reader. */
#define LATEST_VISIBLE_BEFORE(bound)                                                     \
	"(SELECT CASE WHEN ?1 >= 2 THEN coalesce((SELECT max(start) FROM meeting WHERE "       \
	"deleted = 0 AND start < " bound "), '') ELSE max(coalesce((SELECT max(start) FROM "   \
	"meeting WHERE deleted = 0 AND visibility = 'public' AND start < " bound "), ''), "     \
	"coalesce((SELECT max((SELECT m.start FROM meeting m WHERE m.body_id = ms.body_id AND " \
	"m.start < " bound " AND m.deleted = 0 AND m.visibility = 'members' ORDER BY m.start " \
	"DESC LIMIT 1)) FROM membership ms WHERE ms.organisation_id = ?2 AND (ms.end_date IS " \
	"NULL OR ms.end_date >= date('now'))), '')) END)"

/* Returns the years a reader may see a meeting of, newest first: a few
 * index seeks per year, not a scan. */
json_t *meeting_years(int role, long long org)
{
	return db_rows("WITH RECURSIVE y(v) AS (SELECT substr(" LATEST_VISIBLE_BEFORE("'A'")
		       ", 1, 4) UNION ALL SELECT substr(" LATEST_VISIBLE_BEFORE("y.v") ", 1, 4) FROM y "
		       "WHERE y.v <> '') SELECT v AS value, v AS label FROM y WHERE v <> ''", "ii",
		       (long long)role, org);
}

/* Returns the 100 latest meetings as choices (see meeting.h). */
json_t *meeting_choices(long long selected)
{
	json_t *rows = db_rows("SELECT m.id, substr(m.start, 1, 10) AS day, b.name AS body, m.title, "
			       "m.id = ? AS selected FROM meeting m JOIN body b ON b.id = m.body_id "
			       "WHERE m.deleted = 0 ORDER BY m.start DESC LIMIT 100", "i", selected);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		struct buf label = {0};
		text_date_fr(&label, db_str(r, "day"));
		buf_printf(&label, " — %s — %s", db_str(r, "body"), db_str(r, "title"));
		json_object_set_new(r, "label", json_string(buf_str(&label)));
		buf_free(&label);
	}
	return rows ? rows : json_array();
}
