/* mandate.c — the centre's mandates outside the network: checked, saved
 * with their communes, listed by level. */
#include "mandate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "text.h"
#include "view.h"
#include "vocab.h"

/* Tells whether s is empty or a real date. */
static bool date_or_empty(const char *s)
{
	return !s || !*s || (strlen(s) == 10 && text_is_date(s));
}

/* Notes the problems of a mandate (see mandate.h). */
void mandate_rules(const struct mandate_in *m, struct check *c)
{
	check_if(c, !m->organisation || !db_int(0, "SELECT 1 FROM organisation WHERE slug = ? AND "
						 "deleted = 0", "t", m->organisation),
		 "organisation", "Choisissez une organisation du répertoire (ajoutez-la d'abord "
		 "au répertoire si elle n'y est pas).");
	check_if(c, !vocab_has(&vocab_mandate_seats, m->seat), "seat",
		 "Choisissez un siège de la liste.");
	check_if(c, !vocab_has(&vocab_mandate_levels, m->level), "level",
		 "Choisissez un niveau de la liste.");
	check_if(c, m->representative && strlen(m->representative) > 200, "representative",
		 "La représentation tient en 200 caractères au plus.");
	check_if(c, m->note && strlen(m->note) > 2000, "note",
		 "La note tient en 2 000 caractères au plus.");
	check_if(c, !date_or_empty(m->start), "start", "Le début attend une date réelle (AAAA-MM-JJ).");
	check_if(c, !date_or_empty(m->end), "end", "La fin attend une date réelle (AAAA-MM-JJ).");
	check_if(c, date_or_empty(m->start) && date_or_empty(m->end) && m->start && *m->start &&
		 m->end && *m->end && strcmp(m->end, m->start) < 0, "end",
		 "La fin du mandat précède son début.");
	bool known = m->ncommunes <= MANDATE_COMMUNES_MAX;
	for (size_t i = 0; known && i < m->ncommunes; i++)
		known = db_int(0, "SELECT 1 FROM commune WHERE nis = ?", "i", m->communes[i]) == 1;
	check_if(c, !known, "communes", "Choisissez les communes dans la liste de la province.");
}

/* Replaces the communes of mandate id with m's; 0 or -1. */
static int set_communes(long long id, const struct mandate_in *m)
{
	if (db_exec("DELETE FROM mandate_commune WHERE mandate_id = ?", "i", id) < 0)
		return -1;
	for (size_t i = 0; i < m->ncommunes; i++)
		if (db_exec("INSERT OR IGNORE INTO mandate_commune (mandate_id, commune_nis) VALUES "
			    "(?, ?)", "ii", id, m->communes[i]) < 0)
			return -1;
	return 0;
}

/* Writes the row and its communes; the mandate's id, or -1. */
static long long write_mandate(long long id, const struct mandate_in *m)
{
	const char *rep = m->representative ? m->representative : "", *note = m->note ? m->note : "";
	int rc = id ? db_exec("UPDATE mandate SET organisation_id = (SELECT id FROM organisation "
			      "WHERE slug = ?), seat = ?, level = ?, representative = ?, note = ?, "
			      "start_date = nullif(?, ''), end_date = nullif(?, ''), modified = "
			      DB_NOW " WHERE id = ? AND deleted = 0", "ttttttti", m->organisation,
			      m->seat, m->level, rep, note, m->start, m->end, id)
		    : db_exec("INSERT INTO mandate (organisation_id, seat, level, representative, "
			      "note, start_date, end_date) VALUES ((SELECT id FROM organisation WHERE "
			      "slug = ?), ?, ?, ?, ?, nullif(?, ''), nullif(?, ''))", "ttttttt",
			      m->organisation, m->seat, m->level, rep, note, m->start, m->end);
	if (rc != 1)
		return -1;
	id = id ? id : db_last_id();
	return set_communes(id, m) == 0 ? id : -1;
}

/* Saves a mandate (see mandate.h). */
long long mandate_save(long long id, const struct mandate_in *m, long long user_id)
{
	if (db_begin() < 0)
		return -1;
	long long saved = write_mandate(id, m);
	char after[600];
	snprintf(after, sizeof(after), "{\"organisation\":\"%s\",\"seat\":\"%s\"}", m->organisation,
		 m->seat); /* a slug and a vocabulary word: nothing to escape */
	if (saved < 0 || db_audit(user_id, id ? "update" : "create", "mandate", saved, NULL,
				  after) < 0 || db_commit() < 0) {
		db_rollback();
		return -1;
	}
	return saved;
}

/* Tells whether a mandate says what m says (see mandate.h). */
bool mandate_same(long long id, const struct mandate_in *m)
{
	json_t *nis = json_array();
	for (size_t i = 0; i < m->ncommunes && i < MANDATE_COMMUNES_MAX; i++)
		json_array_append_new(nis, json_integer(m->communes[i]));
	char *list = json_dumps(nis, JSON_COMPACT);
	json_decref(nis);
	long long same = db_int(0, "SELECT 1 FROM mandate m JOIN organisation o ON o.id = "
				"m.organisation_id WHERE m.id = ? AND o.slug = ? AND m.seat = ? AND "
				"m.level = ? AND m.representative = ? AND m.note = ? AND "
				"coalesce(m.start_date, '') = ? AND coalesce(m.end_date, '') = ? AND "
				"(SELECT group_concat(commune_nis) FROM (SELECT commune_nis FROM "
				"mandate_commune WHERE mandate_id = m.id ORDER BY 1)) IS (SELECT "
				"group_concat(value) FROM (SELECT DISTINCT value FROM json_each(?) "
				"ORDER BY 1))", "itttttttt", id, m->organisation, m->seat, m->level,
				m->representative ? m->representative : "", m->note ? m->note : "",
				m->start ? m->start : "", m->end ? m->end : "", list);
	free(list);
	return same == 1;
}

/* Marks a mandate deleted (see mandate.h). */
int mandate_delete(long long id, long long user_id)
{
	if (db_begin() < 0)
		return -1;
	int n = db_exec("UPDATE mandate SET deleted = 1, modified = " DB_NOW " WHERE id = ? AND "
			"deleted = 0", "i", id);
	if (n < 0 || (n == 1 && db_audit(user_id, "delete", "mandate", id, NULL, NULL) < 0) ||
	    db_commit() < 0) {
		db_rollback();
		return -1;
	}
	return n;
}

/* Returns the live mandate of an organisation in a seat (see mandate.h). */
long long mandate_find(const char *organisation, const char *seat)
{
	return db_int(0, "SELECT m.id FROM mandate m JOIN organisation o ON o.id = "
		      "m.organisation_id WHERE o.slug = ? AND m.seat = ? AND m.deleted = 0 ORDER BY "
		      "m.id LIMIT 1", "tt", organisation, seat);
}

/* Returns the mandates by level (see mandate.h). */
json_t *mandate_list(const char *from, const char *to, bool ended, bool private)
{
	json_t *rows = db_rows(
		"SELECT m.id, o.name AS organisation, o.slug AS organisation_slug, m.seat, m.level, "
		"CASE WHEN ? THEN m.representative ELSE '' END AS representative, CASE WHEN ? THEN "
		"m.note ELSE '' END AS note, coalesce(m.start_date, '') AS start, coalesce("
		"m.end_date, '') AS end, coalesce((SELECT group_concat(c.name, ', ') FROM (SELECT "
		"c.name FROM mandate_commune mc JOIN commune c ON c.nis = mc.commune_nis WHERE "
		"mc.mandate_id = m.id ORDER BY c.name) c), '') AS communes FROM mandate m JOIN organisation o ON o.id = "
		"m.organisation_id WHERE m.deleted = 0 AND (? IS NULL OR coalesce(m.start_date, '') "
		"< ?) AND (? IS NULL OR m.end_date IS NULL OR m.end_date >= ?) AND (? OR "
		"m.end_date IS NULL OR m.end_date >= date('now')) ORDER BY CASE m.level WHEN "
		"'regional' THEN 1 WHEN 'provincial' THEN 2 ELSE 3 END, o.name COLLATE NOCASE, m.id",
		"iitttti", (long long)private, (long long)private, to, to, from, from,
		(long long)(ended || from)), *r;
	if (!rows)
		return NULL;
	view_dates_fr(rows, "start", "since");
	view_dates_fr(rows, "end", "until");
	json_t *levels = json_array(), *group = NULL;
	size_t i;
	json_array_foreach(rows, i, r) {
		const char *level = db_str(r, "level");
		if (!group || strcmp(db_str(group, "level"), level) != 0) {
			group = json_pack("{s:s, s:s, s:[]}", "level", level, "label",
					  vocab_label(&vocab_mandate_levels, level), "mandates");
			json_array_append_new(levels, group);
		}
		json_object_set_new(r, "seat_label", json_string(vocab_label(&vocab_mandate_seats,
									      db_str(r, "seat"))));
		json_array_append(json_object_get(group, "mandates"), r);
	}
	json_decref(rows);
	return levels;
}
