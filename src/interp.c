/* interp.c — interpellations: letters, motions followed commune by commune,
 * their events, the motions' state machine, the stale rule, follow-ups. */
#include "interp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "check.h"
#include "db.h"
#include "doc.h"
#include "markdown.h"
#include "notify.h"
#include "text.h"
#include "vocab.h"

/* Where a motion may go from each state. A rejected or stalled motion may
 * start again; an adopted one goes on to its implementation. */
static const struct {
	const char *from;
	const char *const to[6];
} transitions[] = {
	{"not_started", {"contact", "concertation", "submitted"}},
	{"contact", {"concertation", "submitted", "adopted_college", "rejected", "stalled"}},
	{"concertation", {"submitted", "adopted_college", "rejected", "stalled"}},
	{"submitted", {"concertation", "adopted_college", "adopted_council", "rejected", "stalled"}},
	{"adopted_college", {"submitted", "adopted_council", "implementation", "rejected", "stalled"}},
	{"adopted_council", {"implementation", "stalled"}},
	{"rejected", {"contact", "concertation", "submitted"}},
	{"implementation", {"stalled"}},
	{"stalled", {"contact", "concertation", "submitted", "implementation"}},
};

/* Tells whether a motion may go from state from to state to. */
bool interp_transition_allowed(const char *from, const char *to)
{
	for (size_t i = 0; from && to && i < sizeof(transitions) / sizeof(transitions[0]); i++)
		if (strcmp(transitions[i].from, from) == 0)
			for (size_t k = 0; k < 6 && transitions[i].to[k]; k++)
				if (strcmp(transitions[i].to[k], to) == 0)
					return true;
	return false;
}

/* Tells whether a motion in a commune is stale on day today. */
bool interp_is_stale(const char *state, const char *last, const char *today)
{
	int y, m, d;
	/* nothing to wait for before it starts, nor once the council decided */
	if (!state || strcmp(state, "not_started") == 0 || strcmp(state, "adopted_council") == 0 ||
	    strcmp(state, "rejected") == 0 || strcmp(state, "implementation") == 0)
		return false;
	if (!last || sscanf(last, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return true; /* a state without any dated activity */
	m += INTERP_STALE_MONTHS;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (d > days[m - 1])
		d = days[m - 1];
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		d = 28;
	char limit[16];
	snprintf(limit, sizeof(limit), "%04d-%02d-%02d", y, m, d);
	return strcmp(limit, today) <= 0;
}

/* Tells whether s holds a control character other than tab and newline. */
static bool has_controls(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
		if ((*p < 32 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 127)
			return true;
	return false;
}

/* Tells whether s is empty or a real date YYYY-MM-DD. */
static bool optional_date(const char *s)
{
	return !s || !*s || (strlen(s) == 10 && text_is_date(s));
}

/* Returns s, or "" for NULL. */
static const char *str(const char *s)
{
	return s ? s : "";
}

/* Returns what is wrong with letter l, or NULL. */
void interp_letter_rules(const struct letter_in *l, struct check *c)
{
	size_t tl = strlen(str(l->title));
	check_if(c, tl == 0 || tl > 300 || has_controls(l->title) || strchr(l->title, '\n'), "title",
		 "Le titre est obligatoire (une ligne de 300 caractères au plus).");
	check_if(c, !l->date || strlen(l->date) != 10 || !text_is_date(l->date), "date",
		 "La date n'existe pas ou n'a pas la forme attendue (AAAA-MM-JJ).");
	check_if(c, !vocab_label(&vocab_letter_kinds, l->kind), "kind", "Type de lettre inconnu.");
	check_if(c, !vocab_label(&vocab_levels, l->level), "level", "Niveau de pouvoir inconnu.");
	check_if(c, !vocab_label(&vocab_letter_statuses, l->status), "status", "État inconnu.");
	check_if(c, !vocab_has(&vocab_visibilities, l->visibility), "visibility",
		 "La visibilité doit être publique, réservée aux membres ou interne.");
	check_if(c, strlen(str(l->addressees)) > 2000 || has_controls(l->addressees), "addressees",
		 "Les destinataires tiennent en 2 000 caractères, sans caractère de contrôle.");
	check_if(c, l->link && *l->link && ((strncmp(l->link, "https://", 8) != 0 &&
					      strncmp(l->link, "http://", 7) != 0) ||
					     strlen(l->link) > 2000 || strpbrk(l->link, " \t\r\n\"<>")),
		 "link", "Le lien de publication doit être une adresse commençant par https://.");
	check_if(c, !optional_date(l->next_followup), "next_followup",
		 "La date de relance n'existe pas ou n'a pas la forme attendue (AAAA-MM-JJ).");
	check_if(c, strlen(str(l->text)) > INTERP_MAX_TEXT, "text", "Le texte dépasse 1 Mo.");
	check_if(c, l->slug && !text_is_slug(l->slug), "slug",
		 "Le nom de fichier ne peut contenir que des minuscules, des chiffres et des tirets.");
}

/* Returns NULL when l can be saved, else what is wrong and which field. */
const char *interp_letter_check(const struct letter_in *l, const char **field)
{
	struct check c = {0};
	interp_letter_rules(l, &c);
	return check_first(&c, field);
}

/* Orders two JSON integers (for qsort). */
static int by_value(const void *a, const void *b)
{
	json_int_t x = json_integer_value(*(json_t *const *)a);
	json_int_t y = json_integer_value(*(json_t *const *)b);
	return (x > y) - (x < y);
}

/* Returns the integers of list (may be NULL) sorted, without repeats. */
static json_t *sorted_ids(json_t *list)
{
	size_t n = json_array_size(list);
	json_t **items = calloc(n ? n : 1, sizeof(*items)), *out = json_array();
	if (!items)
		abort();
	for (size_t i = 0; i < n; i++)
		items[i] = json_array_get(list, i);
	qsort(items, n, sizeof(*items), by_value);
	for (size_t i = 0; i < n; i++)
		if (json_is_integer(items[i]) && (i == 0 || by_value(&items[i - 1], &items[i]) != 0))
			json_array_append(out, items[i]);
	free(items);
	return out;
}

/* Returns the letter's fields as a JSON object (comparison and audit). */
static json_t *letter_json(const struct letter_in *l)
{
	json_t *signers = sorted_ids(l->signers);
	json_t *communes = sorted_ids(l->communes);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:o}",
			 "kind", l->kind, "level", l->level, "status", l->status, "visibility",
			 l->visibility, "title", l->title, "date", l->date, "addressees",
			 str(l->addressees), "link", str(l->link), "next_followup",
			 str(l->next_followup), "text", str(l->text), "body_id",
			 (json_int_t)l->body_id, "signers", signers, "communes", communes);
}

/* Reads letter id back in letter_json's form, or NULL. */
static json_t *letter_stored(long long id)
{
	json_t *row = db_row("SELECT kind, level, status, visibility, title, date, addressees, "
		      "coalesce(link, '') AS link, coalesce(next_followup, '') AS next_followup, text, "
		      "coalesce(body_id, 0) AS body_id, json((SELECT json_group_array(organisation_id) "
		      "FROM (SELECT organisation_id FROM letter_signer WHERE letter_id = ?1 "
		      "ORDER BY organisation_id))) AS signers, json((SELECT json_group_array(commune_nis) "
		      "FROM (SELECT commune_nis FROM letter_commune WHERE letter_id = ?1 "
		      "ORDER BY commune_nis))) AS communes FROM letter WHERE id = ?1", "i", id);
	for (const char *const *k = (const char *const[]){"signers", "communes", NULL}; row && *k; k++)
		json_object_set_new(row, *k, json_loads(json_string_value(json_object_get(row, *k)),
							0, NULL));
	return row;
}

/* Returns a free file name for a new letter: its date and title's words. */
static char *letter_slug(const struct letter_in *l)
{
	struct buf b = {0};
	buf_printf(&b, "%s-", l->date);
	text_slugify(&b, l->title, strlen(l->title), 60);
	while (b.len && b.data[b.len - 1] == '-')
		b.len--, b.data[b.len] = '\0';
	size_t base = b.len;
	for (int k = 2; db_int(0, "SELECT 1 FROM letter WHERE slug = ?", "t", buf_str(&b)) == 1; k++) {
		b.len = base;
		buf_printf(&b, "-%d", k);
	}
	return b.data ? b.data : text_dup("", 0);
}

/* Writes the letter's row (insert when id is 0); returns its id or -1. */
static long long letter_row(long long id, const struct letter_in *l, const char *html,
			    const char *plain)
{
	const char *link = l->link && *l->link ? l->link : NULL;
	const char *follow = l->next_followup && *l->next_followup ? l->next_followup : NULL;
	if (id == 0) {
		char *slug = l->slug ? NULL : letter_slug(l);
		int rc = db_exec("INSERT INTO letter (slug, kind, level, title, date, addressees, text, "
				 "text_html, text_text, render_version, link, status, body_id, visibility, "
				 "next_followup) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, nullif(?, 0), ?, ?)",
				 "tttttttttittitt", l->slug ? l->slug : slug, l->kind, l->level, l->title,
				 l->date, str(l->addressees), str(l->text), html, plain,
				 (long long)MD_RENDERER_VERSION, link, l->status, l->body_id, l->visibility,
				 follow);
		free(slug);
		return rc < 0 ? -1 : db_last_id();
	}
	return db_exec("UPDATE letter SET kind = ?, level = ?, title = ?, date = ?, addressees = ?, "
		       "text = ?, text_html = ?, text_text = ?, render_version = ?, link = ?, status = ?, "
		       "body_id = nullif(?, 0), visibility = ?, next_followup = ?, "
		       "modified = " DB_NOW " WHERE id = ?",
		       "ttttttttittitti", l->kind, l->level,
		       l->title, l->date, str(l->addressees), str(l->text), html, plain,
		       (long long)MD_RENDERER_VERSION, link, l->status, l->body_id, l->visibility,
		       follow, id) < 0 ? -1 : id;
}

/* Replaces the co-signers and communes of letter id with those of fields
 * (letter_json's); 0 or -1. */
static int letter_links(long long id, json_t *fields)
{
	char *signers = json_dumps(json_object_get(fields, "signers"), JSON_COMPACT);
	char *communes = json_dumps(json_object_get(fields, "communes"), JSON_COMPACT);
	int rc = db_exec("DELETE FROM letter_signer WHERE letter_id = ? AND organisation_id NOT IN "
			 "(SELECT value FROM json_each(?))", "it", id, signers) < 0 ||
		 db_exec("INSERT OR IGNORE INTO letter_signer (letter_id, organisation_id) SELECT ?, "
			 "o.id FROM organisation o WHERE o.id IN (SELECT value FROM json_each(?))", "it",
			 id, signers) < 0 ||
		 db_exec("DELETE FROM letter_commune WHERE letter_id = ? AND commune_nis NOT IN "
			 "(SELECT value FROM json_each(?))", "it", id, communes) < 0 ||
		 db_exec("INSERT OR IGNORE INTO letter_commune (letter_id, commune_nis) SELECT ?, "
			 "c.nis FROM commune c WHERE c.nis IN (SELECT value FROM json_each(?))", "it", id,
			 communes) < 0 ? -1 : 0;
	free(signers);
	free(communes);
	return rc;
}

/* Creates or updates a letter; returns its id, or -1. */
long long interp_letter_save(long long id, const struct letter_in *l, long long user_id)
{
	json_t *after = letter_json(l), *before = id ? letter_stored(id) : NULL;
	long long saved = -1;
	struct buf html = {0}, plain = {0};
	if (id && !before)
		goto out;
	if (before && json_equal(before, after)) {
		saved = id; /* nothing changed: nothing is written */
		goto out;
	}
	if (doc_render(str(l->text), strlen(str(l->text)), l->visibility, &html, &plain, NULL) < 0 ||
	    db_begin() < 0)
		goto out;
	saved = letter_row(id, l, buf_str(&html), buf_str(&plain));
	int rc = saved < 0 ? -1 : letter_links(saved, after);
	if (rc == 0) {
		char *b = before ? json_dumps(before, JSON_COMPACT) : NULL;
		char *a = json_dumps(after, JSON_COMPACT);
		rc = db_audit(user_id, id ? "update" : "create", "letter", saved, b, a);
		free(b);
		free(a);
	}
	if (rc < 0 || db_commit() < 0) {
		db_rollback();
		saved = -1;
	}
out:
	buf_free(&html);
	buf_free(&plain);
	json_decref(before);
	json_decref(after);
	return saved;
}

/* Returns what is wrong with motion m, or NULL (see interp.h). */
void interp_motion_rules(const struct motion_in *m, struct check *c)
{
	check_if(c, !m->title || !*m->title || strlen(m->title) > 300 || has_controls(m->title),
		 "title", "Le titre est obligatoire (300 caractères au plus, sur une ligne).");
	check_if(c, !vocab_has(&vocab_visibilities, m->visibility), "visibility",
		 "La visibilité doit être publique, réservée aux membres ou interne.");
	check_if(c, m->body_id && !db_int(0, "SELECT 1 FROM body WHERE id = ?", "i", m->body_id),
		 "body_id", "Choisissez l'instance dans la liste.");
	check_if(c, strlen(str(m->text)) > INTERP_MAX_TEXT, "text", "Le texte dépasse 1 Mo.");
	size_t i;
	json_t *v;
	bool bad = false;
	json_array_foreach(m->promoters, i, v)
		bad = bad || !db_int(0, "SELECT 1 FROM organisation WHERE id = ?", "i",
				     json_integer_value(v));
	check_if(c, bad, "promoters", "Choisissez les promoteurs dans la liste.");
	bad = false;
	json_array_foreach(m->communes, i, v)
		bad = bad || !db_int(0, "SELECT 1 FROM commune WHERE nis = ?", "i",
				     json_integer_value(v));
	check_if(c, bad, "communes", "Choisissez les communes dans la liste.");
}

/* Returns NULL when m can be saved, else what is wrong and which field. */
const char *interp_motion_check(const struct motion_in *m, const char **field)
{
	struct check c = {0};
	interp_motion_rules(m, &c);
	return check_first(&c, field);
}

/* Creates or updates a motion with its promoters; its id, or -1. */
long long interp_motion_save(long long id, const struct motion_in *m, long long user_id)
{
	struct buf html = {0}, plain = {0};
	long long saved = -1;
	json_t *before = id ? db_row("SELECT title, text, visibility, coalesce(body_id, 0) AS "
				     "body_id FROM motion WHERE id = ?", "i", id) : NULL;
	if ((id && !before) || doc_render(str(m->text), strlen(str(m->text)), m->visibility, &html,
					  &plain, NULL) < 0 || db_begin() < 0)
		goto out;
	int rc = (id ? db_exec("UPDATE motion SET title = ?, text = ?, text_html = ?, text_text = ?, "
			       "render_version = ?, visibility = ?, body_id = nullif(?, 0), modified = "
			       DB_NOW " WHERE id = ?", "ttttitii", m->title, str(m->text),
			       buf_str(&html), buf_str(&plain), (long long)MD_RENDERER_VERSION,
			       m->visibility, m->body_id, id)
		     : db_exec("INSERT INTO motion (slug, title, text, text_html, text_text, "
			       "render_version, visibility, body_id) VALUES (?, ?, ?, ?, ?, ?, ?, "
			       "nullif(?, 0))", "tttttiti", m->slug, m->title, str(m->text),
			       buf_str(&html), buf_str(&plain), (long long)MD_RENDERER_VERSION,
			       m->visibility, m->body_id)) == 1 ? 0 : -1;
	saved = rc == 0 ? (id ? id : db_last_id()) : -1;
	char *ids = json_dumps(m->promoters, JSON_COMPACT);
	if (rc == 0 && (db_exec("DELETE FROM motion_promoter WHERE motion_id = ?", "i", saved) < 0 ||
			db_exec("INSERT OR IGNORE INTO motion_promoter (motion_id, organisation_id) "
				"SELECT ?, value FROM json_each(?)", "it", saved, ids) < 0))
		rc = -1;
	char *nis = m->communes ? json_dumps(m->communes, JSON_COMPACT) : NULL;
	if (rc == 0 && nis &&
	    (db_exec("INSERT INTO motion_commune (motion_id, commune_nis) SELECT ?, value FROM "
		     "json_each(?) WHERE value IN (SELECT nis FROM commune) ON CONFLICT DO NOTHING",
		     "it", saved, nis) < 0 ||
	     db_exec("DELETE FROM motion_commune WHERE motion_id = ? AND commune_nis NOT IN (SELECT "
		     "value FROM json_each(?)) AND state = 'not_started' AND NOT EXISTS (SELECT 1 FROM "
		     "event e WHERE e.motion_commune_id = motion_commune.id)", "it", saved, nis) < 0))
		rc = -1;
	free(nis);
	if (rc == 0) {
		char *b = before ? json_dumps(before, JSON_COMPACT) : NULL;
		rc = db_audit(user_id, id ? "update" : "create", "motion", saved, b, ids) < 0 ? -1 : 0;
		free(b);
	}
	free(ids);
	if (rc < 0 || db_commit() < 0) {
		db_rollback();
		saved = -1;
	}
out:
	json_decref(before);
	buf_free(&html);
	buf_free(&plain);
	return saved;
}

/* Returns the current state of motion_id in commune nis. */
static char *current_state(long long motion_id, long long nis)
{
	json_t *row = db_row("SELECT coalesce((SELECT state FROM motion_commune WHERE motion_id = ? "
			     "AND commune_nis = ?), 'not_started') AS state", "ii", motion_id, nis);
	const char *s = json_string_value(json_object_get(row, "state"));
	char *copy = text_dup(str(s), strlen(str(s)));
	json_decref(row);
	return copy;
}

/* Returns what is wrong with event e, or NULL. */
void interp_event_rules(const struct event_in *e, struct check *c)
{
	check_if(c, !e->date || strlen(e->date) != 10 || !text_is_date(e->date), "date",
		 "La date n'existe pas ou n'a pas la forme attendue (AAAA-MM-JJ).");
	check_if(c, !vocab_label(&vocab_event_kinds, e->kind), "kind", "Type d'étape inconnu.");
	check_if(c, strlen(str(e->note)) > INTERP_MAX_NOTE || has_controls(e->note), "note",
		 "La note tient en 10 000 caractères, sans caractère de contrôle.");
	check_if(c, strlen(str(e->next_step)) > 500 || has_controls(e->next_step), "next_step",
		 "La prochaine étape tient en une ligne de 500 caractères au plus.");
	check_if(c, !optional_date(e->next_followup), "next_followup",
		 "La date de relance n'existe pas ou n'a pas la forme attendue (AAAA-MM-JJ).");
	check_if(c, e->meeting_id && !db_int(0, "SELECT 1 FROM meeting WHERE id = ? AND deleted = 0",
					     "i", e->meeting_id),
		 "meeting_id", "Cette réunion n'existe pas.");
	bool stated = e->state && *e->state;
	check_if(c, e->letter_id && stated, "state", "Une lettre n'a pas d'état de motion.");
	if (!e->motion_id || !stated)
		return;
	if (!vocab_label(&vocab_motion_states, e->state)) {
		check_if(c, true, "state", "État de la motion inconnu.");
		return;
	}
	char *from = current_state(e->motion_id, e->commune_nis);
	check_if(c, strcmp(from, e->state) != 0 && !interp_transition_allowed(from, e->state), "state",
		 "Ce changement d'état n'est pas permis depuis l'état actuel de la motion.");
	free(from);
}

/* Returns NULL when e can be saved, else what is wrong and which field. */
const char *interp_event_check(const struct event_in *e, const char **field)
{
	struct check c = {0};
	interp_event_rules(e, &c);
	return check_first(&c, field);
}

/* Moves motion e->motion_id in its commune to e's state and next step;
 * returns the motion_commune id, or -1. The state change is audited. */
static long long motion_step(const struct event_in *e, long long user_id)
{
	char *from = current_state(e->motion_id, e->commune_nis);
	const char *to = e->state && *e->state ? e->state : from;
	long long id = -1;
	if (db_exec("INSERT INTO motion_commune (motion_id, commune_nis) VALUES (?, ?) "
		    "ON CONFLICT (motion_id, commune_nis) DO NOTHING", "ii", e->motion_id,
		    e->commune_nis) < 0 ||
	    db_exec("UPDATE motion_commune SET state = ?, next_step = coalesce(?, next_step), "
		    "next_followup = CASE WHEN ? IS NULL THEN next_followup ELSE nullif(?3, '') END, "
		    "modified = " DB_NOW " WHERE motion_id = ? AND "
		    "commune_nis = ?", "tttii", to, e->next_step,
		    e->next_followup, e->motion_id, e->commune_nis) < 0)
		goto out;
	id = db_int(-1, "SELECT id FROM motion_commune WHERE motion_id = ? AND commune_nis = ?",
		    "ii", e->motion_id, e->commune_nis);
	if (id > 0 && strcmp(from, to) != 0 &&
	    (db_audit(user_id, "state", "motion_commune", id, from, to) < 0 ||
	     (user_id && notify_motion_state(id, from, to) < 0)))
		id = -1;
out:
	free(from);
	return id;
}

/* Moves letter e->letter_id on with its event: a sending makes a draft
 * sent, an answer makes it answered; sets its next follow-up. 0 or -1. */
static int letter_step(const struct event_in *e)
{
	return db_exec("UPDATE letter SET status = CASE WHEN ?1 = 'sent' AND status = 'draft' "
		       "THEN 'sent' WHEN ?1 = 'answer' AND status IN ('draft', 'sent') THEN 'answered' "
		       "ELSE status END, next_followup = CASE WHEN ?2 IS NULL THEN next_followup "
		       "ELSE nullif(?2, '') END, modified = " DB_NOW " "
		       "WHERE id = ?3", "tti", e->kind, e->next_followup, e->letter_id) < 0 ? -1 : 0;
}

/* Adds an event; returns its id, or -1. */
long long interp_event_add(const struct event_in *e, long long user_id)
{
	if (db_begin() < 0)
		return -1;
	long long mc = e->motion_id ? motion_step(e, user_id) : 0;
	long long id = -1;
	const char *state = e->state && *e->state ? e->state : NULL;
	if (mc >= 0 && (e->motion_id || letter_step(e) == 0) &&
	    db_exec("INSERT INTO event (letter_id, motion_commune_id, date, kind, state, note, "
		    "meeting_id, user_id) VALUES (nullif(?, 0), nullif(?, 0), ?, ?, ?, ?, nullif(?, 0), "
		    "nullif(?, 0))", "iittttii", e->letter_id, mc,
		    e->date, e->kind, state, str(e->note), e->meeting_id, user_id) == 1)
		id = db_last_id();
	if (id > 0) {
		json_t *a = json_pack("{s:s, s:s, s:s*, s:s}", "date", e->date, "kind", e->kind,
				      "state", state, "note", str(e->note));
		char *after = json_dumps(a, JSON_COMPACT);
		if (db_audit(user_id, "create", "event", id, NULL, after) < 0)
			id = -1;
		free(after);
		json_decref(a);
	}
	if (id < 0 || db_commit() < 0) {
		db_rollback();
		return -1;
	}
	return id;
}

/* Returns the follow-ups due soon (see interp.h). */
json_t *interp_followups(long long territory_id, long long body_id)
{
	json_t *rows = db_rows(
		"SELECT 'letter' AS kind, l.title, '/letters/' || l.id AS url, l.next_followup AS due, "
		"l.next_followup < date('now') AS overdue FROM letter l WHERE l.deleted = 0 AND "
		"l.status <> 'closed' AND l.next_followup IS NOT NULL AND "
		"l.next_followup <= date('now', '+' || ?3 || ' days') AND (?1 = 0 AND ?2 = 0 OR "
		"l.body_id = ?2 OR EXISTS (SELECT 1 FROM letter_commune lc JOIN commune c ON "
		"c.nis = lc.commune_nis WHERE lc.letter_id = l.id AND c.territory_id = ?1)) "
		"UNION ALL SELECT 'commune', mo.title || ' — ' || c.name, '/motions/' || mo.slug || "
		"'/communes/' || c.nis, mc.next_followup, mc.next_followup < date('now') "
		"FROM motion_commune mc JOIN motion mo ON mo.id = mc.motion_id JOIN commune c ON "
		"c.nis = mc.commune_nis WHERE mo.deleted = 0 AND mc.next_followup IS NOT NULL AND "
		"mc.next_followup <= date('now', '+' || ?3 || ' days') AND (?1 = 0 AND ?2 = 0 OR "
		"c.territory_id = ?1) ORDER BY due, title", "iii", territory_id, body_id,
		(long long)INTERP_FOLLOWUP_DAYS);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		struct buf fr = {0};
		text_date_fr(&fr, json_string_value(json_object_get(r, "due")));
		json_object_set_new(r, "due_fr", json_string(buf_str(&fr)));
		json_object_set_new(r, "is_letter", json_boolean(strcmp(json_string_value(json_object_get(r, "kind")), "letter") == 0));
		json_object_set_new(r, "overdue", json_boolean(json_integer_value(
				json_object_get(r, "overdue"))));
		buf_free(&fr);
	}
	return rows ? rows : json_array();
}

/* The letters of an interp_filter that the reader may see: ?1 year, ?2
 * level, ?3 kind, ?4 status, ?5 commune, ?6 signer, then the two
 * parameters of the visibility rule. */
#define LETTER_MATCH \
	"FROM letter l LEFT JOIN body b ON b.id = l.body_id WHERE l.deleted = 0 AND " \
	"(coalesce(?1, '') = '' OR substr(l.date, 1, 4) = ?1) AND " \
	"(coalesce(?2, '') = '' OR l.level = ?2) AND (coalesce(?3, '') = '' OR l.kind = ?3) AND " \
	"(coalesce(?4, '') = '' OR l.status = ?4) AND (?5 = 0 OR EXISTS (SELECT 1 FROM " \
	"letter_commune lc WHERE lc.letter_id = l.id AND lc.commune_nis = ?5)) AND " \
	"(coalesce(?6, '') = '' OR EXISTS (SELECT 1 FROM letter_signer s JOIN organisation o ON " \
	"o.id = s.organisation_id WHERE s.letter_id = l.id AND o.slug = ?6)) AND " \
	AUTH_SEES_SQL("l.visibility", "l.body_id")

/* Takes the body's name and slug out of a row (body, body_slug,
 * body_visibility) when the body is internal and the reader of role may
 * not see it. */
void interp_hide_inner_body(json_t *row, int role)
{
	const char *vis = json_string_value(json_object_get(row, "body_visibility"));
	if (vis && strcmp(vis, "internal") == 0 && role < ROLE_BOARD) {
		json_object_del(row, "body");
		json_object_del(row, "body_slug");
	}
	json_object_del(row, "body_visibility");
}

/* Adds the French labels and date to letter rows. */
static void label_letters(json_t *rows)
{
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		json_object_set_new(r, "kind_label", json_string(str(vocab_label(
			&vocab_letter_kinds, db_str(r, "kind")))));
		json_object_set_new(r, "level_label", json_string(str(vocab_label(
			&vocab_levels, db_str(r, "level")))));
		json_object_set_new(r, "status_label", json_string(str(vocab_label(
			&vocab_letter_statuses, db_str(r, "status")))));
		struct buf fr = {0};
		text_date_fr(&fr, db_str(r, "date"));
		json_object_set_new(r, "date_fr", json_string(buf_str(&fr)));
		buf_free(&fr);
	}
}

/* Returns the matching letters the reader may see (see interp.h). */
json_t *interp_letters(const struct interp_filter *f, int role, long long org_id, long limit,
		       long offset)
{
	json_t *rows = db_rows(
		"SELECT l.id, l.title, l.kind, l.level, l.status, l.date, l.addressees, "
		"coalesce(l.link, '') AS link, b.name AS body, b.slug AS body_slug, b.visibility AS "
		"body_visibility, coalesce(l.next_followup, '') AS next_followup, l.modified, l.text_html, "
		"coalesce((SELECT group_concat(name, ', ') FROM (SELECT o.name FROM letter_signer s "
		"JOIN organisation o ON o.id = s.organisation_id WHERE s.letter_id = l.id ORDER BY "
		"o.name)), '') AS signers, coalesce((SELECT group_concat(name, ', ') FROM (SELECT "
		"c.name FROM letter_commune lc JOIN commune c ON c.nis = lc.commune_nis WHERE "
		"lc.letter_id = l.id ORDER BY c.name)), '') AS communes, coalesce((SELECT e.date FROM "
		"event e WHERE e.letter_id = l.id ORDER BY e.date DESC, e.id DESC LIMIT 1), '') AS "
		"last_date, coalesce((SELECT e.note FROM event e WHERE e.letter_id = l.id ORDER BY "
		"e.date DESC, e.id DESC LIMIT 1), '') AS last_note " LETTER_MATCH
		" ORDER BY l.date DESC, l.id DESC LIMIT ? OFFSET ?", "ttttitiiii", f->year, f->level,
		f->kind, f->status, f->commune, f->signer, (long long)role, org_id, (long long)limit,
		(long long)offset), *r;
	size_t i;
	json_array_foreach(rows, i, r)
		interp_hide_inner_body(r, role);
	label_letters(rows);
	return rows;
}

/* Returns the letters' counts per year and level (see interp.h). */
json_t *interp_letter_counts(const struct interp_filter *f, int role, long long org_id)
{
	json_t *rows = db_rows("SELECT substr(l.date, 1, 4) AS year, l.level, count(*) AS count "
			       LETTER_MATCH " GROUP BY 1, 2 ORDER BY 1 DESC, CASE l.level "
			       "WHEN 'commune' THEN 1 WHEN 'province' THEN 2 WHEN 'region' THEN 3 "
			       "WHEN 'federal' THEN 4 ELSE 5 END", "ttttitii", f->year, f->level,
			       f->kind, f->status, f->commune, f->signer, (long long)role, org_id), *r;
	size_t i;
	json_array_foreach(rows, i, r)
		json_object_set_new(r, "level_label", json_string(str(vocab_label(&vocab_levels,
			json_string_value(json_object_get(r, "level"))))));
	return rows ? rows : json_array();
}

/* Returns every commune with its number of matching letters (see interp.h). */
json_t *interp_letter_communes(const struct interp_filter *f, int role, long long org_id)
{
	json_t *rows = db_rows("SELECT c.nis, c.name, (SELECT count(*) FROM letter_commune lc WHERE "
			       "lc.commune_nis = c.nis AND lc.letter_id IN (SELECT l.id " LETTER_MATCH
			       ")) AS count FROM commune c ORDER BY c.nis", "ttttitii", f->year, f->level,
			       f->kind, f->status, f->commune, f->signer, (long long)role, org_id);
	return rows ? rows : json_array();
}
