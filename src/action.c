/* action.c — the actions of the minutes after the minutes. */
#include "action.h"

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "check.h"
#include "db.h"
#include "doc.h"
#include "text.h"
#include "vocab.h"

/* Gives action i of the minutes the row of an earlier action with the same
 * text (its id, and what the web changed on it, kept), else a new row. */
static int place(long long meeting_id, long long position, const struct md_action *a)
{
	const char *state = a->done ? "done" : "open";
	long long old = db_int(0, "SELECT id FROM action WHERE meeting_id = ? AND position < 0 AND "
			       "text = ? ORDER BY position DESC LIMIT 1", "it", meeting_id, a->text);
	if (old)
		return db_exec("UPDATE action SET position = ?, owner = ?, owner_organisation_id = CASE "
			       "WHEN edited THEN owner_organisation_id ELSE (SELECT id FROM organisation "
			       "WHERE slug = ?2 COLLATE NOCASE OR acronym = ?2 COLLATE NOCASE LIMIT 1) END, "
			       "due = CASE WHEN edited THEN due ELSE ? END, state = CASE WHEN edited THEN "
			       "state ELSE ? END WHERE id = ?", "ittti", position, a->owner, a->due, state,
			       old) < 0 ? -1 : 0;
	return db_exec("INSERT INTO action (meeting_id, position, text, owner, owner_organisation_id, "
		       "due, state) VALUES (?, ?, ?, ?, (SELECT id FROM organisation WHERE slug = ?4 "
		       "COLLATE NOCASE OR acronym = ?4 COLLATE NOCASE LIMIT 1), ?, ?)", "iitttt",
		       meeting_id, position, a->text, a->owner, a->due, state) < 0 ? -1 : 0;
}

/* Replaces the meeting's actions with the minutes' own, keeping ids and web
 * changes of the actions whose text is unchanged. */
int action_replace(long long meeting_id, const struct md_actions *a)
{
	if (db_exec("UPDATE action SET position = -abs(position) WHERE meeting_id = ?", "i",
		    meeting_id) < 0)
		return -1;
	for (size_t i = 0; i < a->n; i++)
		if (place(meeting_id, (long long)i + 1, &a->items[i]) < 0)
			return -1;
	return db_exec("DELETE FROM action WHERE meeting_id = ? AND position < 0", "i", meeting_id)
	       < 0 ? -1 : 0;
}

/* Returns one action with its meeting, owner and closer. */
json_t *action_get(long long id)
{
	return db_row("SELECT a.id, a.meeting_id, a.position, a.text, a.owner, "
		      "coalesce(a.owner_organisation_id, 0) AS owner_organisation_id, a.due, a.state, "
		      "a.closed_at, a.edited, u.name AS closed_by_name, o.name AS owner_name, "
		      "o.slug AS owner_slug, m.title AS meeting, m.start AS meeting_start, "
		      "m.visibility, m.body_id, m.deleted FROM action a "
		      "JOIN meeting m ON m.id = a.meeting_id "
		      "LEFT JOIN organisation o ON o.id = a.owner_organisation_id "
		      "LEFT JOIN user u ON u.id = a.closed_by WHERE a.id = ?", "i", id);
}

/* Tells whether u is of the coordination or of the owner organisation. */
bool action_may_change(const struct user *u, const json_t *a)
{
	if (u->role >= ROLE_COORDINATOR)
		return true;
	long long owner = db_num(a, "owner_organisation_id");
	return u->role >= ROLE_PARTNER && owner && owner == u->org_id;
}

/* Notes every problem of a change (state, due date, owner) in k. */
void action_rules(const struct action_change *c, struct check *k)
{
	check_if(k, c->state && !vocab_has(&vocab_action_states, c->state), "state",
		 "L'état d'une action est « à faire », « faite » ou « annulée ».");
	check_if(k, c->due && *c->due && (strlen(c->due) != 10 || !text_is_date(c->due)), "due",
		 "L'échéance doit être une date qui existe (AAAA-MM-JJ).");
	check_if(k, c->owner && *c->owner &&
		 (!text_is_digits(c->owner) || strlen(c->owner) > 18 ||
		  !db_int(0, "SELECT 1 FROM organisation WHERE id = ?", "i", atoll(c->owner))),
		 "owner", "Choisissez l'organisation qui porte l'action dans la liste.");
}

/* Checks the new state, due date and owner of a change. */
const char *action_check(const struct action_change *c)
{
	struct check k = {0};
	const char *field;
	action_rules(c, &k);
	return check_first(&k, &field);
}

/* Returns what the audit keeps of an action: its state, due date, owner. */
static char *summary(long long id)
{
	json_t *r = db_row("SELECT state, due, owner_organisation_id AS owner FROM action "
			   "WHERE id = ?", "i", id);
	char *s = r ? json_dumps(r, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
	json_decref(r);
	return s;
}

/* Writes the change's columns to the row; the closing date and author
 * follow the state. */
static int write_change(long long id, const struct action_change *c, long long user_id)
{
	long long owner = c->owner && *c->owner ? atoll(c->owner) : 0;
	return db_exec("UPDATE action SET edited = 1, modified = " DB_NOW ", "
		       "closed_at = CASE WHEN coalesce(?1, state) = 'open' THEN NULL "
		       "WHEN coalesce(?1, state) <> state THEN " DB_NOW " ELSE closed_at END, "
		       "closed_by = CASE WHEN coalesce(?1, state) = 'open' THEN NULL "
		       "WHEN coalesce(?1, state) <> state THEN nullif(?5, 0) ELSE closed_by END, "
		       "state = coalesce(?1, state), "
		       "due = CASE WHEN ?2 IS NULL THEN due ELSE nullif(?2, '') END, "
		       "owner_organisation_id = CASE WHEN ?3 THEN nullif(?4, 0) "
		       "ELSE owner_organisation_id END WHERE id = ?6",
		       "ttiiii", c->state, c->due, (long long)(c->owner != NULL), owner, user_id, id);
}

/* Applies a change, audited, when it changes something. */
int action_change(long long id, const struct action_change *c, long long user_id)
{
	if (db_begin() < 0)
		return -1;
	char *before = summary(id);
	int rc = before && write_change(id, c, user_id) == 1 ? 0 : -1;
	char *after = rc == 0 ? summary(id) : NULL;
	int changed = after && strcmp(before, after) != 0;
	if (rc == 0 && !after)
		rc = -1;
	if (rc == 0 && changed)
		rc = db_audit(user_id, "change", "action", id, before, after) < 0 ? -1 : 0;
	if (rc == 0 && changed) /* the minutes show the action's state */
		rc = doc_refresh_minutes(db_int(0, "SELECT meeting_id FROM action WHERE id = ?",
						"i", id));
	if (rc < 0 || !changed) {
		db_rollback(); /* nothing to keep, not even "edited" */
	} else if (db_commit() < 0) {
		db_rollback();
		rc = -1;
	}
	free(before);
	free(after);
	return rc < 0 ? -1 : changed;
}

/* Tells whether word s[0..n) looks like a date someone meant to write
 * ("2021-13-01", "31/02/2021"): digits around two - or / separators. */
static bool date_like(const char *s, size_t n)
{
	int separators = 0, digits = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '-' || s[i] == '/')
			separators++;
		else if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (i < n - 1 || (s[i] != '.' && s[i] != ','))
			return false;
	}
	return separators == 2 && digits >= 4 && digits <= 8;
}

/* Returns up to three acronyms of the organisations and the glossary
 * closest to owner (two edits at most), as « CAI, CRI », or NULL. */
static char *closest(const char *owner)
{
	/* at equal distance, an organisation (which can carry the action) first */
	json_t *names = db_rows("SELECT acronym AS a, 1 AS o FROM organisation WHERE deleted = 0 "
				"AND acronym <> '' UNION SELECT acronym, 0 FROM glossary WHERE "
				"deleted = 0 AND acronym NOT IN (SELECT acronym FROM organisation "
				"WHERE deleted = 0) ORDER BY o DESC, a", NULL);
	const char *best[3] = {0};
	size_t dist[3] = {9, 9, 9}, i;
	json_t *row;
	json_array_foreach(names, i, row) {
		const char *a = db_str(row, "a");
		size_t d = text_distance(owner, a, 2);
		for (int k = 0; k < 3; k++) {
			if (d < dist[k]) {
				for (int j = 2; j > k; j--) {
					best[j] = best[j - 1];
					dist[j] = dist[j - 1];
				}
				best[k] = a;
				dist[k] = d;
				break;
			}
		}
	}
	struct buf out = {0};
	for (int k = 0; k < 3 && best[k] && dist[k] <= 2; k++)
		buf_printf(&out, "%s%s", k ? ", " : "", best[k]);
	json_decref(names);
	return out.len ? buf_detach(&out) : (buf_free(&out), NULL);
}

/* Adds to warnings what is wrong with the owner of action a. */
static void review_owner(const struct md_action *a, json_t *warnings)
{
	if (!a->owner || db_int(0, "SELECT 1 FROM organisation WHERE (slug = ?1 COLLATE NOCASE OR "
				   "acronym = ?1 COLLATE NOCASE) AND deleted = 0", "t", a->owner))
		return;
	char *near = closest(a->owner);
	struct buf m = {0};
	buf_printf(&m, "« @%s » ne correspond à aucune organisation du réseau : l'action n'aura "
		   "pas de porteur.", a->owner);
	if (near)
		buf_printf(&m, " Vouliez-vous dire : %s ?", near);
	json_array_append_new(warnings, json_string(buf_str(&m)));
	free(near);
	buf_free(&m);
}

/* Adds to warnings what is wrong with the dates of action a. */
static void review_dates(const struct md_action *a, const char *today, json_t *warnings)
{
	if (a->due && strcmp(a->due, today) < 0) {
		struct buf m = {0};
		buf_puts(&m, "L'échéance (");
		text_date_fr(&m, a->due);
		buf_puts(&m, ") est déjà passée.");
		json_array_append_new(warnings, json_string(buf_str(&m)));
		buf_free(&m);
	}
	for (const char *w = a->text; *w;) {
		size_t n = strcspn(w, " ");
		if (n && date_like(w, n)) {
			struct buf m = {0};
			buf_printf(&m, "« %.*s » n'est pas une date : écrivez-la JJ/MM/AAAA ou "
				   "AAAA-MM-JJ (par exemple 15/03/2027).", (int)n, w);
			json_array_append_new(warnings, json_string(buf_str(&m)));
			buf_free(&m);
		}
		w += n + (w[n] == ' ');
	}
}

/* Returns the actions of a text as the editor lists them: line, text,
 * owner, due date in French and warnings (unknown owner, not a date, a
 * date already past on today, "YYYY-MM-DD"). */
json_t *action_review(const struct md_actions *a, const char *today)
{
	json_t *out = json_array();
	for (size_t i = 0; i < a->n; i++) {
		const struct md_action *x = &a->items[i];
		json_t *warnings = json_array();
		review_owner(x, warnings);
		review_dates(x, today, warnings);
		struct buf due = {0};
		if (x->due)
			text_date_fr(&due, x->due);
		json_array_append_new(out, json_pack("{s:I, s:s, s:s?, s:s?, s:b, s:o, s:b}", "line",
						     (json_int_t)x->line, "text", x->text, "owner",
						     x->owner, "due", x->due ? buf_str(&due) : NULL,
						     "done", x->done, "warnings", warnings,
						     "has_warnings", json_array_size(warnings) > 0));
		buf_free(&due);
	}
	return out;
}
