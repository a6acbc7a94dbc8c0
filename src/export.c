/* export.c — the network written as a content/ folder: importing it gives
 * back the same network, and exporting an import of the canonical files
 * gives them back byte for byte. */
#include "export.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "content.h"
#include "csv.h"
#include "db.h"
#include "file.h"
#include "review.h"
#include "text.h"

/* Appends s as a double-quoted YAML scalar. */
static void export_quote(struct buf *out, const char *s)
{
	buf_putc(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(out, "\\%c", *p);
		else if (*p < 0x20)
			buf_printf(out, "\\x%02x", *p);
		else
			buf_putc(out, (char)*p);
	}
	buf_putc(out, '"');
}

/* Appends "key: value" with value quoted, when value is not empty. */
static void export_text(struct buf *out, const char *key, json_t *row, const char *col)
{
	const char *v = json_string_value(json_object_get(row, col));
	if (!v || !*v)
		return;
	buf_printf(out, "%s: ", key);
	export_quote(out, v);
	buf_putc(out, '\n');
}

/* Appends "key: value" as a plain word (enums, slugs), when not empty. */
static void export_word(struct buf *out, const char *key, json_t *row, const char *col)
{
	const char *v = json_string_value(json_object_get(row, col));
	if (v && *v)
		buf_printf(out, "%s: %s\n", key, v);
}

/* Appends a text in two parts under their headings "# first" and
 * "# second" (what content.c's two_sections reads back), each part
 * written only when not empty. */
static void export_sections(struct buf *out, const char *first, const char *a,
			    const char *second, const char *b)
{
	buf_printf(out, "# %s\n\n", first);
	if (a && *a)
		buf_printf(out, "%s\n\n", a);
	buf_printf(out, "# %s\n", second);
	if (b && *b)
		buf_printf(out, "\n%s\n", b);
}

/* Writes data to path; 0 or -1 with err set. */
static int export_write(const char *path, const struct buf *data, struct buf *err)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(buf_str(data), 1, data->len, f) != data->len) {
		if (f)
			fclose(f);
		buf_printf(err, "%s : écriture impossible", path);
		return -1;
	}
	if (fclose(f) != 0) {
		buf_printf(err, "%s : écriture impossible", path);
		return -1;
	}
	return 0;
}

/* Creates the folder path (one level); 0 or -1 with err set. */
static int export_mkdir(const char *path, struct buf *err)
{
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return 0;
	buf_printf(err, "%s : dossier impossible à créer (%s)", path, text_errno(errno));
	return -1;
}

/* Makes folder dir and those between it and root, a folder of its path
 * that exists; 0 or -1. */
static int export_mkdirs(const char *root, const char *dir, struct buf *err)
{
	char path[9000];
	snprintf(path, sizeof(path), "%s", dir);
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); *p++ = '/') {
		*p = '\0';
		if (export_mkdir(path, err) < 0)
			return -1;
	}
	return export_mkdir(path, err);
}

/* Writes the current files of record id of kind into folder dir (below
 * root), made when there is one; 0 or -1. */
static int export_folder(const char *root, const char *dir, const char *kind, long long id,
			 struct buf *err)
{
	json_t *rows = file_rows(kind, id, 0), *r;
	size_t i;
	int rc = json_array_size(rows) ? export_mkdirs(root, dir, err) : 0;
	json_array_foreach(rows, i, r) {
		char path[9200];
		snprintf(path, sizeof(path), "%s/%s", dir, db_str(r, "name"));
		if (rc == 0)
			rc = file_save(db_num(r, "id"), path, err);
	}
	json_decref(rows);
	return rc;
}

/* Writes the current files of record id of kind into the folder beside
 * its file md ("x.md": "x.files/"); 0 or -1. */
static int export_files(const char *md, const char *kind, long long id, struct buf *err)
{
	char dir[8400], root[8400];
	size_t n = strlen(md);
	snprintf(dir, sizeof(dir), "%.*s.files", (int)(n > 3 ? n - 3 : n), md);
	snprintf(root, sizeof(root), "%s", md);
	char *slash = strrchr(root, '/');
	if (slash)
		*slash = '\0';
	return export_folder(slash ? root : ".", dir, kind, id, err);
}

/* Writes the documents of the steps of a motion in a commune (row mc:
 * {id, name}) into x.files/<commune>/<step>/ beside the motion's file md
 * (see content_step_folders); 0 or -1. */
static int export_step_files(const char *md, const json_t *mc, struct buf *err)
{
	char root[8400], dir[9000];
	snprintf(root, sizeof(root), "%s", md);
	char *slash = strrchr(root, '/');
	if (slash)
		*slash = '\0';
	size_t n = strlen(md), i;
	json_t *steps = content_step_folders(db_num(mc, "id")), *s;
	int rc = 0;
	json_array_foreach(steps, i, s) {
		snprintf(dir, sizeof(dir), "%.*s.files/%s/%s", (int)(n > 3 ? n - 3 : n), md,
			 db_str(mc, "name"), db_str(s, "folder"));
		if (rc == 0)
			rc = export_folder(slash ? root : ".", dir, "event", db_num(s, "id"), err);
	}
	json_decref(steps);
	return rc;
}

/* Writes glossary.csv and communes.csv. */
static int export_csv(const char *dir, struct buf *err)
{
	char path[4096];
	struct buf out = {0};
	json_t *rows = db_rows("SELECT acronym, expansion FROM glossary WHERE deleted = 0 ORDER BY acronym", NULL), *r;
	size_t i;
	buf_puts(&out, "acronym,expansion\n");
	json_array_foreach(rows, i, r) {
		csv_put(&out, json_string_value(json_object_get(r, "acronym")), false);
		buf_putc(&out, ',');
		csv_put(&out, json_string_value(json_object_get(r, "expansion")), false);
		buf_putc(&out, '\n');
	}
	json_decref(rows);
	snprintf(path, sizeof(path), "%s/glossary.csv", dir);
	int rc = export_write(path, &out, err);
	buf_reset(&out);
	rows = db_rows("SELECT c.nis, c.name, c.arrondissement, t.name AS territory FROM commune c "
		       "LEFT JOIN territory t ON t.id = c.territory_id ORDER BY c.nis", NULL);
	buf_puts(&out, "nis,name,arrondissement,territory\n");
	json_array_foreach(rows, i, r) {
		buf_printf(&out, "%lld,", json_integer_value(json_object_get(r, "nis")));
		csv_put(&out, json_string_value(json_object_get(r, "name")), false);
		buf_putc(&out, ',');
		csv_put(&out, json_string_value(json_object_get(r, "arrondissement")), false);
		buf_putc(&out, ',');
		const char *t = json_string_value(json_object_get(r, "territory"));
		csv_put(&out, t ? t : "", false);
		buf_putc(&out, '\n');
	}
	json_decref(rows);
	snprintf(path, sizeof(path), "%s/communes.csv", dir);
	if (rc == 0)
		rc = export_write(path, &out, err);
	buf_free(&out);
	return rc;
}

/* Writes mandates.csv: the live mandates in the order they were made. */
static int export_mandates(const char *dir, struct buf *err)
{
	json_t *rows = db_rows("SELECT o.slug, m.seat, m.level, (SELECT group_concat(name, ';') "
			       "FROM (SELECT c.name FROM mandate_commune mc JOIN commune c ON c.nis = "
			       "mc.commune_nis WHERE mc.mandate_id = m.id ORDER BY c.name)) AS "
			       "communes, m.representative, m.start_date, m.end_date, m.note FROM "
			       "mandate m JOIN organisation o ON o.id = m.organisation_id WHERE "
			       "m.deleted = 0 ORDER BY m.id", NULL), *r;
	static const char *const columns[] = {"slug", "seat", "level", "communes", "representative",
					      "start_date", "end_date", "note"};
	struct buf out = {0};
	char path[4096];
	size_t i;
	buf_puts(&out, "organisation,seat,level,communes,representative,from,until,note\n");
	json_array_foreach(rows, i, r)
		for (size_t k = 0; k < 8; k++) {
			const char *v = db_str(r, columns[k]);
			csv_put(&out, v ? v : "", false);
			buf_putc(&out, k < 7 ? ',' : '\n');
		}
	snprintf(path, sizeof(path), "%s/mandates.csv", dir);
	int rc = rows && json_array_size(rows) ? export_write(path, &out, err) : rows ? 0 : -1;
	json_decref(rows);
	buf_free(&out);
	return rc;
}

/* Appends the closing of a front matter and the Markdown text after it. */
static void export_close_front(struct buf *out, const char *text)
{
	buf_puts(out, "---\n");
	if (text && *text)
		buf_printf(out, "\n%s\n", text);
}

/* Appends ", key: value" (value quoted) to a flow mapping. */
static void export_pair(struct buf *out, const char *key, const char *value)
{
	buf_printf(out, ", %s: ", key);
	export_quote(out, value);
}

/* Appends the contacts list of an organisation (its contacts neither
 * removed nor erased), when it has any. */
static void export_contacts(struct buf *out, long long org)
{
	json_t *rows = db_rows("SELECT name, email, function, invitations, unsubscribed_at FROM "
			       "person WHERE organisation_id = ? AND deleted = 0 AND erased_at IS NULL "
			       "ORDER BY id", "i", org), *r;
	size_t i;
	if (json_array_size(rows))
		buf_puts(out, "contacts:\n");
	json_array_foreach(rows, i, r) {
		buf_puts(out, "  - {name: ");
		export_quote(out, db_str(r, "name"));
		if (db_str(r, "email"))
			export_pair(out, "email", db_str(r, "email"));
		if (db_str(r, "function") && *db_str(r, "function"))
			export_pair(out, "function", db_str(r, "function"));
		if (!db_num(r, "invitations"))
			buf_puts(out, ", invitations: false");
		if (db_str(r, "unsubscribed_at"))
			buf_printf(out, ", unsubscribed: %s", db_str(r, "unsubscribed_at"));
		buf_puts(out, "}\n");
	}
	json_decref(rows);
}

/* Writes organisations/<slug>.md. */
static int export_organisations(const char *dir, struct buf *err)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/organisations", dir);
	if (export_mkdir(path, err) < 0)
		return -1;
	json_t *rows = db_rows("SELECT o.id, o.slug, o.name, o.acronym, o.kind, o.website, "
			       "o.description, c.name AS commune FROM organisation o LEFT JOIN commune c "
			       "ON c.nis = o.commune_nis WHERE o.deleted = 0 ORDER BY o.slug", NULL), *r;
	size_t i;
	int rc = rows ? 0 : -1;
	json_array_foreach(rows, i, r) {
		struct buf out = {0};
		buf_puts(&out, "---\n");
		export_text(&out, "name", r, "name");
		export_text(&out, "acronym", r, "acronym");
		export_word(&out, "kind", r, "kind");
		export_text(&out, "website", r, "website");
		export_text(&out, "commune", r, "commune");
		export_contacts(&out, db_num(r, "id"));
		export_close_front(&out, json_string_value(json_object_get(r, "description")));
		snprintf(path, sizeof(path), "%s/organisations/%s.md", dir,
			 json_string_value(json_object_get(r, "slug")));
		if (rc == 0)
			rc = export_write(path, &out, err);
		buf_free(&out);
	}
	json_decref(rows);
	return rc;
}

/* Appends the members list of a body (its current members: a membership
 * ended on the web is not carried). */
static void export_members(struct buf *out, long long body)
{
	json_t *rows = db_rows("SELECT o.slug, m.role FROM membership m JOIN organisation o "
			       "ON o.id = m.organisation_id WHERE m.body_id = ? AND m.person_id IS NULL "
			       "AND (m.end_date IS NULL OR m.end_date >= date('now')) ORDER BY m.id", "i",
			       body), *r;
	size_t i;
	if (json_array_size(rows))
		buf_puts(out, "members:\n");
	json_array_foreach(rows, i, r) {
		const char *slug = json_string_value(json_object_get(r, "slug"));
		const char *role = json_string_value(json_object_get(r, "role"));
		if (strcmp(role, "member") == 0)
			buf_printf(out, "  - %s\n", slug);
		else
			buf_printf(out, "  - {organisation: %s, role: %s}\n", slug, role);
	}
	json_decref(rows);
}

/* Writes one meeting's file. */
static int export_meeting(const char *dir, json_t *m, struct buf *err)
{
	struct buf out = {0};
	char path[8400];
	const char *start = json_string_value(json_object_get(m, "start"));
	const char *end = json_string_value(json_object_get(m, "end"));
	buf_puts(&out, "---\n");
	export_text(&out, "title", m, "title");
	if (start && strlen(start) == 16)
		buf_printf(&out, "start: \"%s\"\n", start + 11);
	if (end && strlen(end) == 16)
		buf_printf(&out, "end: \"%s\"\n", end + 11);
	export_text(&out, "place", m, "place");
	export_text(&out, "video", m, "video");
	export_word(&out, "format", m, "format");
	export_word(&out, "status", m, "status");
	export_word(&out, "visibility", m, "visibility");
	json_t *att = db_rows("SELECT o.slug, t.presence FROM attendance t JOIN organisation o "
			      "ON o.id = t.organisation_id WHERE t.meeting_id = ? ORDER BY t.id", "i",
			      json_integer_value(json_object_get(m, "id"))), *a;
	size_t i;
	if (json_array_size(att))
		buf_puts(&out, "attendance:\n");
	json_array_foreach(att, i, a)
		buf_printf(&out, "  %s: %s\n", json_string_value(json_object_get(a, "slug")),
			   json_string_value(json_object_get(a, "presence")));
	json_decref(att);
	buf_puts(&out, "---\n");
	export_sections(&out, "Ordre du jour", db_str(m, "agenda"), "Procès-verbal",
			db_str(m, "minutes"));
	snprintf(path, sizeof(path), "%s/%s.md", dir, json_string_value(json_object_get(m, "slug")));
	int rc = export_write(path, &out, err);
	if (rc == 0)
		rc = export_files(path, "meeting", db_num(m, "id"), err);
	buf_free(&out);
	return rc;
}

/* Appends a poll's slots, "YYYY-MM-DD HH:MM-HH:MM" in their order. */
static void export_slots(struct buf *out, long long poll)
{
	json_t *rows = db_rows("SELECT start, end FROM poll_slot WHERE poll_id = ? ORDER BY id",
			       "i", poll), *r;
	size_t i;
	buf_puts(out, "slots:\n");
	json_array_foreach(rows, i, r)
		buf_printf(out, "  - \"%.10s %.5s-%.5s\"\n", db_str(r, "start"), db_str(r, "start") + 11,
			   db_str(r, "end") + 11);
	json_decref(rows);
}

/* Appends a poll's voters: address, organisation, answers slot by slot
 * (yes, maybe, no; "-" for none), comment and when they answered. */
static void export_voters(struct buf *out, long long poll)
{
	json_t *rows = db_rows("SELECT v.id, v.email, o.slug, v.comment, v.answered FROM poll_voter "
			       "v LEFT JOIN organisation o ON o.id = v.organisation_id WHERE "
			       "v.poll_id = ? ORDER BY v.email", "i", poll), *r, *a;
	size_t i, k;
	if (json_array_size(rows))
		buf_puts(out, "voters:\n");
	json_array_foreach(rows, i, r) {
		buf_puts(out, "  - {email: ");
		export_quote(out, db_str(r, "email"));
		if (db_str(r, "slug"))
			buf_printf(out, ", organisation: %s", db_str(r, "slug"));
		json_t *answers = db_rows("SELECT coalesce(a.answer, '-') AS answer FROM poll_slot s "
					  "LEFT JOIN poll_answer a ON a.slot_id = s.id AND "
					  "a.voter_id = ? WHERE s.poll_id = ? ORDER BY s.id", "ii",
					  db_num(r, "id"), poll);
		struct buf words = {0};
		bool any = false;
		json_array_foreach(answers, k, a) {
			buf_printf(&words, "%s%s", k ? " " : "", db_str(a, "answer"));
			any = any || strcmp(db_str(a, "answer"), "-") != 0;
		}
		if (any) /* someone who has not answered has no answers line */
			buf_printf(out, ", answers: \"%s\"", buf_str(&words));
		buf_free(&words);
		json_decref(answers);
		if (*db_str(r, "comment"))
			export_pair(out, "comment", db_str(r, "comment"));
		if (db_str(r, "answered"))
			buf_printf(out, ", answered: \"%s\"", db_str(r, "answered"));
		buf_puts(out, "}\n");
	}
	json_decref(rows);
}

/* Writes a body's date polls into dir/polls/<id>.md. */
static int export_polls(const char *dir, long long body, struct buf *err)
{
	json_t *rows = db_rows("SELECT p.id, p.title, p.place, p.video, p.note, p.closes, "
			       "p.show_answers, p.state, p.reminded, m.slug AS meeting FROM poll p LEFT "
			       "JOIN meeting m ON m.id = p.meeting_id WHERE p.body_id = ? ORDER BY p.id",
			       "i", body), *r;
	size_t i;
	char path[8400];
	snprintf(path, sizeof(path), "%s/polls", dir);
	int rc = !rows ? -1 : json_array_size(rows) ? export_mkdir(path, err) : 0;
	json_array_foreach(rows, i, r) {
		struct buf out = {0};
		buf_puts(&out, "---\n");
		export_text(&out, "title", r, "title");
		export_text(&out, "place", r, "place");
		export_text(&out, "video", r, "video");
		export_word(&out, "closes", r, "closes");
		if (db_num(r, "show_answers"))
			buf_puts(&out, "show_answers: true\n");
		export_word(&out, "state", r, "state");
		export_word(&out, "meeting", r, "meeting");
		export_text(&out, "reminded", r, "reminded");
		export_slots(&out, db_num(r, "id"));
		export_voters(&out, db_num(r, "id"));
		export_close_front(&out, db_str(r, "note"));
		snprintf(path, sizeof(path), "%s/polls/%lld.md", dir, db_num(r, "id"));
		if (rc == 0)
			rc = export_write(path, &out, err);
		buf_free(&out);
	}
	json_decref(rows);
	return rc;
}

/* Writes the current bilan and perspectives of each year of a body as
 * bilans/<year>.md in its folder dir ("# Bilan", "# Perspectives"). */
static int export_reviews(const char *dir, long long body, struct buf *err)
{
	json_t *rows = review_years(body), *r;
	size_t i;
	char path[8400];
	snprintf(path, sizeof(path), "%s/bilans", dir);
	int rc = !rows ? -1 : json_array_size(rows) ? export_mkdir(path, err) : 0;
	json_array_foreach(rows, i, r) {
		struct buf out = {0};
		export_sections(&out, "Bilan", db_str(r, "bilan"), "Perspectives",
				db_str(r, "perspectives"));
		snprintf(path, sizeof(path), "%s/bilans/%lld.md", dir, db_num(r, "year"));
		if (rc == 0)
			rc = export_write(path, &out, err);
		buf_free(&out);
	}
	json_decref(rows);
	return rc;
}

/* Writes bodies/<slug>/body.md, the body's meetings, its polls and its
 * bilans. */
static int export_bodies(const char *dir, struct buf *err)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/bodies", dir);
	if (export_mkdir(path, err) < 0)
		return -1;
	json_t *rows = db_rows("SELECT b.id, b.slug, b.name, b.kind, b.axis, t.name AS territory, "
			       "b.status, o.slug AS pilot, b.visibility, b.description FROM body b "
			       "LEFT JOIN territory t ON t.id = b.territory_id LEFT JOIN organisation o "
			       "ON o.id = b.pilot_id ORDER BY b.slug", NULL), *r;
	size_t i;
	int rc = rows ? 0 : -1;
	json_array_foreach(rows, i, r) {
		struct buf out = {0};
		long long id = json_integer_value(json_object_get(r, "id"));
		char sub[8192], file[8400];
		snprintf(sub, sizeof(sub), "%s/bodies/%s", dir, json_string_value(json_object_get(r, "slug")));
		buf_puts(&out, "---\n");
		export_text(&out, "name", r, "name");
		export_word(&out, "kind", r, "kind");
		export_text(&out, "axis", r, "axis");
		export_text(&out, "territory", r, "territory");
		export_word(&out, "status", r, "status");
		export_word(&out, "pilot", r, "pilot");
		export_word(&out, "visibility", r, "visibility");
		export_members(&out, id);
		export_close_front(&out, json_string_value(json_object_get(r, "description")));
		snprintf(file, sizeof(file), "%s/body.md", sub);
		if (rc == 0 && export_mkdir(sub, err) == 0 && export_write(file, &out, err) == 0)
			rc = export_files(file, "body", id, err);
		else
			rc = -1;
		buf_free(&out);
		json_t *ms = db_rows("SELECT id, slug, title, start, end, place, video, format, status, "
				     "visibility, agenda, minutes FROM meeting WHERE body_id = ? AND "
				     "deleted = 0 AND slug IS NOT NULL ORDER BY slug", "i", id), *m;
		size_t k;
		json_array_foreach(ms, k, m)
			if (rc == 0)
				rc = export_meeting(sub, m, err);
		json_decref(ms);
		if (rc == 0)
			rc = export_polls(sub, id, err);
		if (rc == 0)
			rc = export_reviews(sub, id, err);
	}
	json_decref(rows);
	return rc;
}

/* Appends a list key of slugs or names (one per line), when not empty. */
static void export_list(struct buf *out, const char *key, json_t *rows, const char *col)
{
	size_t i;
	json_t *r;
	if (json_array_size(rows))
		buf_printf(out, "%s:\n", key);
	json_array_foreach(rows, i, r)
		buf_printf(out, "  - %s\n", json_string_value(json_object_get(r, col)));
}

/* Appends the events of a letter or of a motion in a commune, indented. */
static void export_events(struct buf *out, const char *column, long long id, const char *indent)
{
	json_t *rows = content_events(column, id), *e;
	size_t i;
	if (json_array_size(rows))
		buf_printf(out, "%sevents:\n", indent);
	json_array_foreach(rows, i, e) {
		buf_printf(out, "%s  - date: \"%s\"\n", indent,
			   json_string_value(json_object_get(e, "date")));
		struct buf sub = {0};
		buf_printf(&sub, "%s    kind", indent);
		export_word(out, buf_str(&sub), e, "kind");
		buf_reset(&sub);
		buf_printf(&sub, "%s    state", indent);
		export_word(out, buf_str(&sub), e, "state");
		buf_reset(&sub);
		buf_printf(&sub, "%s    meeting", indent);
		export_word(out, buf_str(&sub), e, "meeting");
		buf_reset(&sub);
		buf_printf(&sub, "%s    note", indent);
		export_text(out, buf_str(&sub), e, "note");
		buf_free(&sub);
	}
	json_decref(rows);
}

/* Writes letters/<slug>.md for every letter not deleted. */
static int export_letters(const char *dir, struct buf *err)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/letters", dir);
	json_t *rows = db_rows("SELECT l.id, l.slug, l.title, l.kind, l.level, l.status, l.visibility, "
			       "b.slug AS body, l.addressees, l.link, l.next_followup, l.text FROM letter l "
			       "LEFT JOIN body b ON b.id = l.body_id WHERE l.deleted = 0 ORDER BY l.slug",
			       NULL), *r;
	int rc = !rows ? -1 : json_array_size(rows) ? export_mkdir(path, err) : 0;
	size_t i;
	json_array_foreach(rows, i, r) {
		struct buf out = {0};
		long long id = json_integer_value(json_object_get(r, "id"));
		buf_puts(&out, "---\n");
		export_text(&out, "title", r, "title");
		export_word(&out, "kind", r, "kind");
		export_word(&out, "level", r, "level");
		export_word(&out, "status", r, "status");
		export_word(&out, "visibility", r, "visibility");
		export_word(&out, "body", r, "body");
		export_text(&out, "addressees", r, "addressees");
		export_text(&out, "link", r, "link");
		json_t *list = db_rows("SELECT o.slug FROM letter_signer s JOIN organisation o ON "
				       "o.id = s.organisation_id WHERE s.letter_id = ? ORDER BY o.slug",
				       "i", id);
		export_list(&out, "signers", list, "slug");
		json_decref(list);
		list = db_rows("SELECT c.name FROM letter_commune lc JOIN commune c ON c.nis = "
			       "lc.commune_nis WHERE lc.letter_id = ? ORDER BY c.name", "i", id);
		export_list(&out, "communes", list, "name");
		json_decref(list);
		export_text(&out, "next_followup", r, "next_followup");
		export_events(&out, "letter", id, "");
		export_close_front(&out, json_string_value(json_object_get(r, "text")));
		char file[8400];
		snprintf(file, sizeof(file), "%s/%s.md", path, json_string_value(json_object_get(r, "slug")));
		if (rc == 0 && export_write(file, &out, err) == 0)
			rc = export_files(file, "letter", id, err);
		else
			rc = -1;
		buf_free(&out);
	}
	json_decref(rows);
	return rc;
}

/* Writes motions/<slug>.md for every motion not deleted. */
static int export_motions(const char *dir, struct buf *err)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/motions", dir);
	json_t *rows = db_rows("SELECT mo.id, mo.slug, mo.title, mo.visibility, b.slug AS body, mo.text "
			       "FROM motion mo LEFT JOIN body b ON b.id = mo.body_id WHERE mo.deleted = 0 "
			       "ORDER BY mo.slug", NULL), *r;
	int rc = !rows ? -1 : json_array_size(rows) ? export_mkdir(path, err) : 0;
	size_t i;
	json_array_foreach(rows, i, r) {
		struct buf out = {0};
		long long id = json_integer_value(json_object_get(r, "id"));
		buf_puts(&out, "---\n");
		export_text(&out, "title", r, "title");
		export_word(&out, "visibility", r, "visibility");
		export_word(&out, "body", r, "body");
		json_t *list = db_rows("SELECT o.slug FROM motion_promoter p JOIN organisation o ON "
				       "o.id = p.organisation_id WHERE p.motion_id = ? ORDER BY o.slug",
				       "i", id), *c;
		export_list(&out, "promoters", list, "slug");
		json_decref(list);
		list = db_rows("SELECT mc.id, c.name, mc.next_step, mc.next_followup FROM motion_commune "
			       "mc JOIN commune c ON c.nis = mc.commune_nis WHERE mc.motion_id = ? "
			       "ORDER BY c.name", "i", id);
		size_t k;
		if (json_array_size(list))
			buf_puts(&out, "communes:\n");
		json_array_foreach(list, k, c) {
			buf_printf(&out, "  - commune: %s\n", json_string_value(json_object_get(c, "name")));
			export_text(&out, "    next_step", c, "next_step");
			export_text(&out, "    next_followup", c, "next_followup");
			export_events(&out, "motion", json_integer_value(json_object_get(c, "id")), "    ");
		}
		export_close_front(&out, json_string_value(json_object_get(r, "text")));
		char file[8400];
		snprintf(file, sizeof(file), "%s/%s.md", path, json_string_value(json_object_get(r, "slug")));
		if (rc == 0 && export_write(file, &out, err) == 0)
			rc = export_files(file, "motion", id, err);
		else
			rc = -1;
		json_array_foreach(list, k, c)
			if (rc == 0)
				rc = export_step_files(file, c, err);
		json_decref(list);
		buf_free(&out);
	}
	json_decref(rows);
	return rc;
}

/* Writes the network as a content/ folder into dir (created if missing). */
int export_dir(const char *dir, struct buf *err)
{
	if (export_mkdir(dir, err) < 0 || export_csv(dir, err) < 0 || export_organisations(dir, err) < 0 ||
	    export_mandates(dir, err) < 0 || export_bodies(dir, err) < 0 ||
	    export_letters(dir, err) < 0 || export_motions(dir, err) < 0)
		return -1;
	return 0;
}
