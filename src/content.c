/* content.c — the network as files (content/): import. Every import runs in
 * one transaction: a malformed file is reported with its path and line, and
 * nothing of that import is kept. Rows are upserted and only touched when
 * they change, so importing the same files twice changes nothing. */
#include "content.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "auth.h"
#include "csv.h"
#include "convert.h"
#include "db.h"
#include "doc.h"
#include "file.h"
#include "front.h"
#include "interp.h"
#include "mandate.h"
#include "markdown.h"
#include "meeting.h"
#include "report.h"
#include "review.h"
#include "text.h"
#include "vocab.h"


/* Prefixes err with the file's path, unless it already names it. */
static void name_file(struct buf *err, const char *path)
{
	if (!err->len || strstr(buf_str(err), path))
		return;
	struct buf msg = {0};
	buf_printf(&msg, "%s, %s", path, buf_str(err));
	buf_reset(err);
	buf_puts(err, buf_str(&msg));
	buf_free(&msg);
}

/* Runs one import step in its own transaction (a savepoint inside another);
 * returns its result, rolled back when negative. */
static int in_transaction(int (*step)(const char *, struct buf *), const char *path,
			  struct buf *err)
{
	if (db_begin() < 0) {
		buf_printf(err, "base de données occupée ou en lecture seule");
		return -1;
	}
	int rc = step(path, err);
	if (rc < 0 || db_commit() < 0) {
		db_rollback();
		doc_glossary_changed(); /* what the step read may have been rolled back */
		if (!err->len)
			buf_puts(err, "écriture dans la base impossible (voir le journal)");
		name_file(err, path);
		return -1;
	}
	return rc;
}

/* Reads the rows of a CSV file whose columns are named in header ("a, b"),
 * calling row for each; returns the rows read, or -1 with err set. */
static int read_csv(const char *path, const char *header, size_t columns,
		    int (*row)(struct csv *c, struct buf *err), struct buf *err)
{
	size_t first = strcspn(header, ",");
	struct buf data = {0};
	struct csv c;
	int rows = 0, rc;
	if (buf_read_file(&data, path) < 0) {
		buf_printf(err, "%s : fichier illisible", path);
		buf_free(&data);
		return -1;
	}
	csv_open(&c, buf_str(&data), data.len);
	while ((rc = csv_next(&c, err)) == 1) {
		if (c.line == 1 && c.n == columns && strlen(c.fields[0]) == first &&
		    strncmp(c.fields[0], header, first) == 0)
			continue;
		if (c.n != columns) {
			buf_printf(err, "ligne %d : %zu colonnes attendues (%s)", c.line, columns, header);
			rc = -1;
			break;
		}
		if (row(&c, err) < 0) {
			rc = -1;
			break;
		}
		rows++;
	}
	csv_close(&c);
	buf_free(&data);
	return rc < 0 ? -1 : rows;
}

/* Stores one glossary row. */
static int glossary_row(struct csv *c, struct buf *err)
{
	if (!*c->fields[0] || !*c->fields[1]) {
		buf_printf(err, "ligne %d : sigle et développement sont obligatoires", c->line);
		return -1;
	}
	if (db_exec("INSERT INTO glossary (acronym, expansion) VALUES (?, ?) ON CONFLICT (acronym) "
		    "DO UPDATE SET expansion = excluded.expansion, deleted = 0, modified = " DB_NOW
		    " WHERE expansion IS NOT excluded.expansion OR deleted <> 0", "tt", c->fields[0],
		    c->fields[1]) < 0 ||
	    db_exec("INSERT OR IGNORE INTO seen_acronym VALUES (?)", "t", c->fields[0]) < 0) {
		buf_printf(err, "ligne %d : sigle « %s » impossible à enregistrer", c->line, c->fields[0]);
		return -1;
	}
	return 0;
}

/* Imports the glossary (acronyms absent from the file are removed). */
static int import_glossary(const char *path, struct buf *err)
{
	if (db_exec("CREATE TEMP TABLE IF NOT EXISTS seen_acronym (acronym TEXT PRIMARY KEY)",
		    NULL) < 0 || db_exec("DELETE FROM seen_acronym", NULL) < 0)
		return -1;
	int rows = read_csv(path, "acronym, expansion", 2, glossary_row, err);
	if (rows < 0)
		return -1;
	/* the file is the whole glossary: what it no longer lists is removed */
	int gone = db_exec("UPDATE glossary SET deleted = 1, modified = " DB_NOW " WHERE deleted = 0 "
			   "AND acronym NOT IN (SELECT acronym FROM seen_acronym)", NULL);
	doc_glossary_changed();
	return gone < 0 ? -1 : rows;
}

/* Replaces the glossary with the rows of a CSV file (acronym, expansion). */
int content_import_glossary(const char *path, struct buf *err)
{
	return in_transaction(import_glossary, path, err);
}

/* Stores one commune row, creating its territory when new; 0 or -1. */
static int commune_row(struct csv *c, struct buf *err)
{
	const char *nis = c->fields[0], *name = c->fields[1], *arr = c->fields[2],
		   *territory = c->fields[3];
	if (!text_is_digits(nis) || strlen(nis) != 5) {
		buf_printf(err, "ligne %d : code INS « %s » invalide (5 chiffres)", c->line, nis);
		return -1;
	}
	if (!*name || !*arr || !*territory) {
		buf_printf(err, "ligne %d : nom, arrondissement et territoire sont obligatoires", c->line);
		return -1;
	}
	struct buf slug = {0};
	text_slugify(&slug, territory, strlen(territory), 80);
	int rc = db_exec("INSERT INTO territory (slug, name) VALUES (?, ?) ON CONFLICT (slug) "
			 "DO UPDATE SET name = excluded.name, modified = " DB_NOW
			 " WHERE name IS NOT excluded.name", "tt", buf_str(&slug), territory);
	if (rc >= 0)
		rc = db_exec("INSERT INTO commune (nis, name, arrondissement, territory_id) VALUES "
			     "(?, ?, ?, (SELECT id FROM territory WHERE slug = ?)) ON CONFLICT (nis) DO "
			     "UPDATE SET name = excluded.name, arrondissement = excluded.arrondissement, "
			     "territory_id = excluded.territory_id, modified = " DB_NOW " WHERE "
			     "(name, arrondissement, territory_id) IS NOT "
			     "(excluded.name, excluded.arrondissement, excluded.territory_id)", "ittt",
			     atoll(nis), name, arr, buf_str(&slug));
	buf_free(&slug);
	if (rc < 0)
		buf_printf(err, "ligne %d : enregistrement impossible", c->line);
	return rc < 0 ? -1 : 0;
}

/* Imports the communes and their territories. */
static int import_communes(const char *path, struct buf *err)
{
	return read_csv(path, "nis, name, arrondissement, territory", 4, commune_row, err);
}

/* Imports the communes and their territories from a CSV file. */
int content_import_communes(const char *path, struct buf *err)
{
	return in_transaction(import_communes, path, err);
}

/* Reads the communes of a mandate row ("Namur;Sambreville", names) into
 * m; 0, or -1 with err set. */
static int mandate_communes(const char *list, struct mandate_in *m, int line, struct buf *err)
{
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ";");
		char name[200];
		snprintf(name, sizeof(name), "%.*s", (int)(n < sizeof(name) ? n : 0), p);
		long long nis = db_int(0, "SELECT nis FROM commune WHERE name = ? COLLATE NOCASE", "t",
				       name);
		if (!nis || m->ncommunes >= MANDATE_COMMUNES_MAX) {
			buf_printf(err, "ligne %d : commune inconnue « %.*s »", line, (int)(n < 200 ? n
				   : 200), p);
			return -1;
		}
		m->communes[m->ncommunes++] = nis;
		p += n + (p[n] == ';');
	}
	return 0;
}

/* Stores one mandate row: the organisation's mandate in that seat is
 * updated, or a new one made. */
static int mandate_row(struct csv *c, struct buf *err)
{
	struct mandate_in m = {
		.organisation = c->fields[0], .seat = c->fields[1], .level = c->fields[2],
		.representative = c->fields[4], .start = c->fields[5], .end = c->fields[6],
		.note = c->fields[7]};
	struct check problems = {0};
	if (mandate_communes(c->fields[3], &m, c->line, err) < 0)
		return -1;
	mandate_rules(&m, &problems);
	const char *field, *problem = check_first(&problems, &field);
	if (problem) {
		buf_printf(err, "ligne %d (%s) : %s", c->line, field, problem);
		return -1;
	}
	long long id = mandate_find(m.organisation, m.seat);
	if (id && mandate_same(id, &m))
		return 0; /* unchanged: nothing to write or audit */
	if (mandate_save(id, &m, 0) < 0) {
		buf_printf(err, "ligne %d : enregistrement impossible", c->line);
		return -1;
	}
	return 0;
}

/* Imports the centre's mandates (a missing file has none). */
static int import_mandates(const char *path, struct buf *err)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return 0;
	return read_csv(path, "organisation, seat, level, communes, representative, from, until, "
			"note", 8, mandate_row, err);
}

/* Returns the text of a front matter file's body without its leading and
 * trailing blank lines, in the request-free scratch buffer out. */
static const char *body_text(const struct front *f, struct buf *out)
{
	const char *s = f->body, *end = f->body + f->body_len;
	while (s < end && (*s == '\n' || *s == '\r'))
		s++;
	while (end > s && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	buf_reset(out);
	buf_append(out, s, (size_t)(end - s));
	return buf_str(out);
}

/* Checks that value is one of the words of list (NULL-terminated). */
static int one_of(const struct front *f, const char *key, const char *value,
		  const struct vocab *v, struct buf *err)
{
	if (vocab_has(v, value))
		return 0;
	buf_printf(err, "ligne %lld : « %s » inattendu pour %s (", json_integer_value(json_object_get(
		   f->lines, key)), value ? value : "", key);
	for (size_t i = 0; i < v->n; i++)
		buf_printf(err, "%s%s", i ? ", " : "", v->items[i].value);
	buf_puts(err, ")");
	return -1;
}

/* Reads a content file and its front matter, checking its keys. */
static int load_front(const char *path, struct buf *text, struct front *f,
		      const char *const *keys, struct buf *err)
{
	if (buf_read_file(text, path) < 0) {
		buf_printf(err, "fichier illisible");
		return -1;
	}
	if (front_parse(buf_str(text), text->len, f, err) < 0)
		return -1;
	if (front_check_keys(f, keys, err) < 0) {
		front_free(f);
		return -1;
	}
	return 0;
}

/* Returns the line of key in the front matter (1 when absent). */
static long long key_line(const struct front *f, const char *key)
{
	json_t *l = json_object_get(f->lines, key);
	return l ? json_integer_value(l) : 1;
}

/* Audits a row an import created or changed (no user: the import). */
static int audit_import(const char *object, const char *id_sql, const char *slug)
{
	long long id = db_int(0, id_sql, "t", slug);
	return db_audit(0, "import", object, id, NULL, slug) < 0 ? -1 : 0;
}

static const char *const org_keys[] = {"name", "acronym", "kind", "website", "commune",
					"contacts", NULL};

/* Stores one contact {name, email, function, invitations, unsubscribed}
 * of organisation org (found again by its address, else by its name);
 * 0, or -1 with err set. */
static int org_contact(json_t *c, long long org, long long line, struct buf *err)
{
	const char *name = json_string_value(json_object_get(c, "name"));
	const char *email = json_string_value(json_object_get(c, "email"));
	const char *function = json_string_value(json_object_get(c, "function"));
	const char *inv = json_string_value(json_object_get(c, "invitations"));
	const char *unsub = json_string_value(json_object_get(c, "unsubscribed"));
	if (!json_is_object(c) || !name || !*name || strlen(name) > 200) {
		buf_printf(err, "ligne %lld : un contact a un nom (200 caractères au plus)", line);
		return -1;
	}
	if (email && !auth_email_valid(email)) {
		buf_printf(err, "ligne %lld : adresse du contact invalide « %s »", line, email);
		return -1;
	}
	if (inv && strcmp(inv, "true") != 0 && strcmp(inv, "false") != 0) {
		buf_printf(err, "ligne %lld : « invitations » vaut true ou false", line);
		return -1;
	}
	long long id = db_int(0, "SELECT id FROM person WHERE organisation_id = ? AND erased_at IS "
			      "NULL AND (lower(email) = lower(?2) OR (?2 IS NULL AND email IS NULL AND "
			      "name = ?3)) ORDER BY id LIMIT 1", "itt", org, email, name);
	long long invitations = !inv || strcmp(inv, "true") == 0;
	int n = id ? db_exec("UPDATE person SET name = ?, email = ?, function = ?, invitations = ?, "
			     "unsubscribed_at = ?, deleted = 0, modified = " DB_NOW " WHERE id = ? AND "
			     "(name, email, function, invitations, unsubscribed_at, deleted) IS NOT "
			     "(?1, ?2, ?3, ?4, ?5, 0)", "tttiti", name, email, function ? function : "",
			     invitations, unsub, id)
		   : db_exec("INSERT INTO person (organisation_id, name, email, function, invitations, "
			     "unsubscribed_at) VALUES (?, ?, ?, ?, ?, ?)", "itttit", org, name, email,
			     function ? function : "", invitations, unsub);
	if (n < 0)
		return -1;
	id = id ? id : db_last_id();
	return db_exec("INSERT INTO seen_contact VALUES (?) ON CONFLICT DO NOTHING", "i", id) < 0
	       ? -1 : 0;
}

/* Stores an organisation's contacts list, when its file has one: the
 * contacts listed are kept or made, the others removed (not erased). */
static int org_contacts(const struct front *f, long long org, struct buf *err)
{
	json_t *list = json_object_get(f->data, "contacts"), *c;
	if (!list)
		return 0;
	long long line = key_line(f, "contacts");
	if (!json_is_array(list)) {
		buf_printf(err, "ligne %lld : « contacts » doit être une liste", line);
		return -1;
	}
	if (db_exec("CREATE TEMP TABLE IF NOT EXISTS seen_contact (id INTEGER PRIMARY KEY)", NULL) < 0 ||
	    db_exec("DELETE FROM seen_contact", NULL) < 0)
		return -1;
	size_t i;
	json_array_foreach(list, i, c)
		if (org_contact(c, org, line, err) < 0)
			return -1;
	return db_exec("UPDATE person SET deleted = 1, modified = " DB_NOW " WHERE organisation_id = ? "
		       "AND deleted = 0 AND erased_at IS NULL AND id NOT IN (SELECT id FROM "
		       "seen_contact)", "i", org) < 0 ? -1 : 0;
}

/* Imports content/organisations/<slug>.md. */
static int import_organisation(const char *path, const char *slug, struct buf *err)
{
	struct buf text = {0}, desc = {0};
	struct front f;
	int rc = -1;
	if (load_front(path, &text, &f, org_keys, err) < 0)
		goto out;
	const char *name = front_str(&f, "name"), *kind = front_str(&f, "kind");
	const char *site = front_str(&f, "website"), *commune = front_str(&f, "commune");
	long long nis = 0;
	if (!name || !*name)
		buf_printf(err, "ligne %lld : « name » est obligatoire", key_line(&f, "name"));
	else if (one_of(&f, "kind", kind ? kind : "asbl", &vocab_organisation_kinds, err) < 0)
		;
	else if (site && strncmp(site, "https://", 8) != 0 && strncmp(site, "http://", 7) != 0)
		buf_printf(err, "ligne %lld : le site doit commencer par https://", key_line(&f, "website"));
	else if (commune && !(nis = db_int(0, "SELECT nis FROM commune WHERE name = ? COLLATE NOCASE",
					  "t", commune)))
		buf_printf(err, "ligne %lld : commune inconnue « %s »", key_line(&f, "commune"), commune);
	else if ((rc = db_exec("INSERT INTO organisation (slug, name, acronym, kind, website, commune_nis, "
			     "description) VALUES (?, ?, ?, ?, ?, nullif(?, 0), ?) ON CONFLICT (slug) "
			     "DO UPDATE SET name = excluded.name, acronym = excluded.acronym, "
			     "kind = excluded.kind, website = excluded.website, "
			     "commune_nis = excluded.commune_nis, description = excluded.description, "
			     "render_version = 0, modified = " DB_NOW " WHERE "
			     "(name, acronym, kind, website, commune_nis, description) IS NOT "
			     "(excluded.name, excluded.acronym, excluded.kind, excluded.website, "
			     "excluded.commune_nis, excluded.description)", "tttttit", slug, name,
			     front_str(&f, "acronym"), kind ? kind : "asbl", site, nis,
			     body_text(&f, &desc))) > 0)
		rc = audit_import("organisation", "SELECT id FROM organisation WHERE slug = ?", slug);
	else
		rc = rc < 0 ? -1 : 0;
	if (rc == 0)
		rc = org_contacts(&f, db_int(0, "SELECT id FROM organisation WHERE slug = ?", "t", slug),
				  err);
	front_free(&f);
out:
	buf_free(&text);
	buf_free(&desc);
	return rc;
}

/* Calls fn(path, name, ctx) for each regular file (or each folder, with
 * dirs) of dir in name order, its hidden ones aside, until one fails; 0,
 * or fn's -1 (a missing dir has nothing). */
static int each_in(const char *dir, bool dirs,
		   int (*fn)(const char *path, const char *name, void *ctx), void *ctx)
{
	struct dirent **list;
	int count = scandir(dir, &list, NULL, alphasort), rc = 0;
	for (int i = 0; i < count; i++) {
		char path[8800];
		snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
		struct stat st;
		if (rc == 0 && list[i]->d_name[0] != '.' && stat(path, &st) == 0 &&
		    (dirs ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode)))
			rc = fn(path, list[i]->d_name, ctx);
		free(list[i]);
	}
	if (count > 0)
		free(list);
	return rc;
}

/* Where the files of a folder go, and what goes wrong. */
struct attach_to {
	const char *kind;
	long long id;
	struct buf *err;
};

/* Attaches one file of content/ (each_in's fn): a name the record has
 * already with the same bytes is left, with other bytes it becomes a new
 * version; a file of a type Maillage refuses stops the import. */
static int import_one_file(const char *path, const char *name, void *ctx)
{
	struct attach_to *to = ctx;
	struct upload u;
	struct buf kept = {0}, why = {0};
	long long file = upload_from_path(&u, "content", name, path) < 0
		? -2 : file_add(&u, to->kind, to->id, 0, FILE_SAME_NAME, &kept, &why);
	if (file <= 0)
		buf_printf(to->err, "%s : %s", path, file == -2 ? "lecture impossible"
			   : file == 0 ? buf_str(&why) : "enregistrement impossible");
	upload_discard(&u);
	buf_free(&kept);
	buf_free(&why);
	return file > 0 ? 0 : -1;
}

/* Imports the files beside a record's Markdown file md ("x.md":
 * "x.files/"), in name order, to record id of kind. 0 or -1 with err set. */
static int import_files(const char *md, const char *kind, long long id, struct buf *err)
{
	char dir[8400];
	size_t n = strlen(md);
	snprintf(dir, sizeof(dir), "%.*s.files", (int)(n > 3 ? n - 3 : n), md);
	struct attach_to to = {kind, id, err};
	return each_in(dir, false, import_one_file, &to);
}

/* Imports the documents of one step of a motion in a commune (each_in's
 * fn over the commune's folder; ctx the motion_commune row's id). */
static int import_step(const char *path, const char *name, void *ctx)
{
	struct attach_to *to = ctx;
	json_t *steps = content_step_folders(to->id), *s;
	long long step = 0;
	size_t i;
	json_array_foreach(steps, i, s)
		if (strcmp(db_str(s, "folder"), name) == 0)
			step = db_num(s, "id");
	json_decref(steps);
	if (!step) {
		buf_printf(to->err, "%s : ce dossier ne nomme aucune étape de cette commune (attendu "
			   "AAAA-MM-JJ-étape, par exemple 2020-12-15-vote)", path);
		return -1;
	}
	struct attach_to files = {"event", step, to->err};
	return each_in(path, false, import_one_file, &files);
}

/* Imports the documents of the steps in one commune of a motion (each_in's
 * fn over the motion's x.files/; ctx the motion's id). */
static int import_commune_steps(const char *path, const char *name, void *ctx)
{
	struct attach_to *to = ctx;
	long long mc = db_int(0, "SELECT mc.id FROM motion_commune mc JOIN commune c ON c.nis = "
			      "mc.commune_nis WHERE mc.motion_id = ? AND c.name = ? COLLATE NOCASE",
			      "it", to->id, name);
	if (!mc) {
		buf_printf(to->err, "%s : ce dossier ne porte le nom d'aucune commune de la motion",
			   path);
		return -1;
	}
	struct attach_to steps = {"motion_commune", mc, to->err};
	return each_in(path, true, import_step, &steps);
}

/* Imports the documents of a motion's steps, in folders <commune>/<step>
 * of its x.files/ (see content_step_folders). 0 or -1 with err set. */
static int import_step_files(const char *md, long long motion, struct buf *err)
{
	char dir[8400];
	size_t n = strlen(md);
	snprintf(dir, sizeof(dir), "%.*s.files", (int)(n > 3 ? n - 3 : n), md);
	struct attach_to to = {"motion", motion, err};
	return each_in(dir, true, import_commune_steps, &to);
}

static const char *const body_keys[] = {"name", "kind", "axis", "territory", "commune",
					 "status", "pilot", "visibility", "members", NULL};

/* Stores the members of a body (a list of organisation slugs, or of
 * {organisation, role}); members no longer listed are removed. */
static int body_members(const struct front *f, long long body, struct buf *err)
{
	json_t *members = json_object_get(f->data, "members"), *ids = json_array(), *m;
	size_t i;
	int rc = 0;
	long long line = key_line(f, "members");
	if (members && !json_is_array(members)) {
		buf_printf(err, "ligne %lld : « members » doit être une liste", line);
		rc = -1;
	}
	json_array_foreach(members, i, m) {
		const char *org = json_is_string(m) ? json_string_value(m)
			: json_string_value(json_object_get(m, "organisation"));
		const char *role = json_is_object(m) ? json_string_value(json_object_get(m, "role")) : NULL;
		long long id = org ? db_int(0, "SELECT id FROM organisation WHERE slug = ?", "t", org) : 0;
		if (!id) {
			buf_printf(err, "ligne %lld : membre inconnu « %s » (slug d'une organisation de "
				   "content/organisations/)", line, org ? org : "?");
			rc = -1;
			break;
		}
		if (role && one_of(f, "members", role, &vocab_member_roles, err) < 0) {
			rc = -1;
			break;
		}
		if (db_exec("INSERT INTO membership (body_id, organisation_id, role) VALUES (?, ?, ?) "
			    "ON CONFLICT (body_id, organisation_id, coalesce(person_id, 0)) DO UPDATE SET "
			    "role = excluded.role, modified = " DB_NOW " WHERE role IS NOT excluded.role",
			    "iit", body, id, role ? role : "member") < 0) {
			rc = -1;
			break;
		}
		json_array_append_new(ids, json_integer(id));
	}
	char *list = json_dumps(ids, JSON_COMPACT);
	if (rc == 0 && db_exec("DELETE FROM membership WHERE body_id = ? AND person_id IS NULL AND "
			       "organisation_id NOT IN (SELECT value FROM json_each(?))", "it",
			       body, list) < 0)
		rc = -1;
	free(list);
	json_decref(ids);
	return rc;
}

/* Imports content/bodies/<slug>/body.md. */
static int import_body(const char *path, const char *slug, struct buf *err)
{
	struct buf text = {0}, desc = {0};
	struct front f;
	int rc = -1;
	if (load_front(path, &text, &f, body_keys, err) < 0)
		goto out;
	const char *name = front_str(&f, "name"), *kind = front_str(&f, "kind");
	const char *status = front_str(&f, "status"), *vis = front_str(&f, "visibility");
	const char *territory = front_str(&f, "territory"), *pilot = front_str(&f, "pilot");
	long long tid = 0, pid = 0;
	int changed = 0;
	if (!name || !*name) {
		buf_printf(err, "ligne %lld : « name » est obligatoire", key_line(&f, "name"));
	} else if (one_of(&f, "kind", kind, &vocab_body_kinds, err) < 0 ||
		   one_of(&f, "status", status ? status : "active", &vocab_body_statuses, err) < 0 ||
		   one_of(&f, "visibility", vis ? vis : "members", &vocab_visibilities, err) < 0) {
	} else if (territory && !(tid = db_int(0, "SELECT id FROM territory WHERE name = ? "
					       "COLLATE NOCASE OR slug = ?", "tt", territory, territory))) {
		buf_printf(err, "ligne %lld : territoire inconnu « %s » (un bureau d'accueil de "
			   "communes.csv)", key_line(&f, "territory"), territory);
	} else if (pilot && !(pid = db_int(0, "SELECT id FROM organisation WHERE slug = ?", "t", pilot))) {
		buf_printf(err, "ligne %lld : organisation pilote inconnue « %s »", key_line(&f, "pilot"),
			   pilot);
	} else if ((changed = db_exec("INSERT INTO body (slug, name, kind, axis, territory_id, status, pilot_id, "
			   "visibility, description) VALUES (?, ?, ?, ?, nullif(?, 0), ?, nullif(?, 0), "
			   "?, ?) ON CONFLICT (slug) DO UPDATE SET name = excluded.name, "
			   "kind = excluded.kind, axis = excluded.axis, territory_id = excluded.territory_id, "
			   "status = excluded.status, pilot_id = excluded.pilot_id, "
			   "visibility = excluded.visibility, description = excluded.description, "
			   "render_version = 0, modified = " DB_NOW " WHERE "
			   "(name, kind, axis, territory_id, status, pilot_id, visibility, description) IS NOT "
			   "(excluded.name, excluded.kind, excluded.axis, excluded.territory_id, "
			   "excluded.status, excluded.pilot_id, excluded.visibility, excluded.description)",
			   "ttttititt", slug, name, kind, front_str(&f, "axis"), tid,
			   status ? status : "active", pid, vis ? vis : "members",
			   body_text(&f, &desc))) >= 0) {
		long long id = db_int(0, "SELECT id FROM body WHERE slug = ?", "t", slug);
		rc = body_members(&f, id, err);
		if (rc == 0 && changed > 0)
			rc = audit_import("body", "SELECT id FROM body WHERE slug = ?", slug);
		if (rc == 0)
			rc = import_files(path, "body", id, err);
	}
	front_free(&f);
out:
	buf_free(&text);
	buf_free(&desc);
	return rc;
}

static const char *const meeting_keys[] = {"title", "start", "end", "place", "video", "format",
					    "status", "visibility", "attendance", NULL};

/* Writes into iso the date-time of a meeting time ("09:30", or a full
 * "2020-09-29 09:30") on the file's date; 0 or -1. */
static int meeting_time(const char *date, const char *value, char iso[17])
{
	size_t n = value ? strlen(value) : 0;
	if (n == 0) {
		snprintf(iso, 17, "%.10s", date); /* the day only: the hour is not known */
		return text_is_date(iso) ? 0 : -1;
	}
	if (n == 5 && value[2] == ':')
		snprintf(iso, 17, "%.10sT%.5s", date, value);
	else if (n == 16 && (value[10] == ' ' || value[10] == 'T') && value[13] == ':')
		snprintf(iso, 17, "%.10sT%.5s", value, value + 11);
	else
		return -1;
	int h = atoi(iso + 11), m = atoi(iso + 14);
	if (!text_is_date(iso) || h > 23 || m > 59 || strspn(iso + 11, "0123456789:") != 5)
		return -1;
	return 0;
}

/* Splits a file's body at its two headings "# <first>" and "# <second>"
 * into a and b (what comes before either goes to a), each trimmed of its
 * blank lines around. */
static void two_sections(const char *s, const char *first, struct buf *a, const char *second,
			 struct buf *b)
{
	struct buf *into = a;
	size_t nf = strlen(first), ns = strlen(second);
	while (*s) {
		size_t n = strcspn(s, "\n");
		size_t len = n && s[n - 1] == '\r' ? n - 1 : n;
		if (len == nf + 2 && strncmp(s, "# ", 2) == 0 && strncmp(s + 2, first, nf) == 0)
			into = a;
		else if (len == ns + 2 && strncmp(s, "# ", 2) == 0 && strncmp(s + 2, second, ns) == 0)
			into = b;
		else
			buf_append(into, s, n + (s[n] == '\n'));
		s += n + (s[n] == '\n');
	}
	struct buf *parts[] = {a, b};
	for (int i = 0; i < 2; i++) {
		struct buf *p = parts[i];
		while (p->len && (p->data[p->len - 1] == '\n' || p->data[p->len - 1] == '\r'))
			p->data[--p->len] = '\0';
		size_t lead = 0;
		while (lead < p->len && (p->data[lead] == '\n' || p->data[lead] == '\r'))
			lead++;
		if (lead) {
			memmove(p->data, p->data + lead, p->len - lead + 1);
			p->len -= lead;
		}
	}
}

/* Stores the attendance of a meeting (organisation slug → present, excused
 * or absent), replacing what was there. */
static int meeting_attendance(const struct front *f, long long meeting, struct buf *err)
{
	json_t *att = json_object_get(f->data, "attendance"), *v;
	const char *org;
	if (!att)
		return 0;
	if (!json_is_object(att)) {
		buf_printf(err, "ligne %lld : « attendance » attend « organisation: present | excused | "
			   "absent »", key_line(f, "attendance"));
		return -1;
	}
	if (db_exec("DELETE FROM attendance WHERE meeting_id = ?", "i", meeting) < 0)
		return -1;
	json_object_foreach(att, org, v) {
		long long id = db_int(0, "SELECT id FROM organisation WHERE slug = ?", "t", org);
		if (!id) {
			buf_printf(err, "ligne %lld : organisation inconnue « %s »", key_line(f, "attendance"),
				   org);
			return -1;
		}
		if (one_of(f, "attendance", json_string_value(v), &vocab_presences, err) < 0 ||
		    db_exec("INSERT INTO attendance (meeting_id, organisation_id, presence) VALUES (?, ?, ?)",
			    "iit", meeting, id, json_string_value(v)) < 0)
			return -1;
	}
	return 0;
}

/* Imports content/bodies/<body>/<YYYY-MM-DD>[-n].md as a meeting of body. */
static int import_meeting(const char *path, long long body, const char *stem, struct buf *err)
{
	struct buf text = {0}, agenda = {0}, minutes = {0};
	struct front f;
	char start[17], end[17];
	int rc = -1;
	if (load_front(path, &text, &f, meeting_keys, err) < 0)
		goto out;
	const char *title = front_str(&f, "title"), *fmt = front_str(&f, "format");
	const char *status = front_str(&f, "status"), *vis = front_str(&f, "visibility");
	const char *end_s = front_str(&f, "end");
	if (!text_is_date(stem))
		buf_printf(err, "date du nom de fichier impossible (%.10s)", stem);
	else if (!title || !*title)
		buf_printf(err, "ligne %lld : « title » est obligatoire", key_line(&f, "title"));
	else if (meeting_time(stem, front_str(&f, "start"), start) < 0)
		buf_printf(err, "ligne %lld : « start » attend une heure (09:30) ou une date et une heure "
			   "réelles", key_line(&f, "start"));
	else if (end_s && meeting_time(stem, end_s, end) < 0)
		buf_printf(err, "ligne %lld : « end » attend une heure (12:00)", key_line(&f, "end"));
	else
		rc = 0; /* the rest is meeting_check's, the one rule for every meeting */
	if (rc < 0)
		goto done;
	struct buf all = {0};
	two_sections(body_text(&f, &all), "Ordre du jour", &agenda, "Procès-verbal", &minutes);
	buf_free(&all);
	struct meeting_in m = {
		.body_id = body, .slug = stem, .title = title, .start = start,
		.end = end_s ? end : NULL, .place = front_str(&f, "place"),
		.video = front_str(&f, "video"), .format = fmt ? fmt : "on_site",
		.status = status ? status : "planned", .visibility = vis ? vis : "members",
		.agenda = buf_str(&agenda), .minutes = buf_str(&minutes)};
	const char *field, *problem = meeting_check(&m, &field);
	long long id = 0;
	if (problem) {
		buf_printf(err, "ligne %lld : %s", key_line(&f, field), problem);
		rc = -1;
	} else {
		id = db_int(0, "SELECT id FROM meeting WHERE body_id = ? AND slug = ?", "it", body, stem);
		id = meeting_save(id, &m, 0);
		rc = id < 0 ? -1 : 0;
	}
	if (rc == 0)
		rc = meeting_attendance(&f, id, err);
	if (rc == 0)
		rc = import_files(path, "meeting", id, err);
done:
	front_free(&f);
out:
	buf_free(&text);
	buf_free(&agenda);
	buf_free(&minutes);
	return rc;
}

/* What each_body_file calls for one file of a body's folder (path, its
 * name, the body's id); 0 or -1 with err set. */
typedef int (*body_file_fn)(const char *path, const char *name, long long body, struct buf *err);

/* A walk over the bodies' folders (each_body_file). */
struct body_walk {
	const char *sub;
	body_file_fn fn;
	long long body;
	struct buf *err;
};

/* Calls the walk's fn for one file of a body's folder (each_in's fn). */
static int body_walk_file(const char *path, const char *name, void *ctx)
{
	struct body_walk *w = ctx;
	return w->fn(path, name, w->body, w->err);
}

/* Walks the files of one body's folder, or of its sub folder (each_in's
 * fn over the bodies); a folder no body has is left. */
static int body_walk_folder(const char *path, const char *name, void *ctx)
{
	struct body_walk *w = ctx;
	w->body = db_int(0, "SELECT id FROM body WHERE slug = ?", "t", name);
	if (!w->body)
		return 0;
	char sub[8900];
	snprintf(sub, sizeof(sub), "%s%s%s", path, *w->sub ? "/" : "", w->sub);
	return each_in(sub, false, body_walk_file, w);
}

/* Calls fn for each file (in name order, hidden ones aside) of the sub
 * folder ("" for the folder itself) of every body folder of dir, until
 * one fails; 0 or -1. */
static int each_body_file(const char *dir, const char *sub, body_file_fn fn, struct buf *err)
{
	struct body_walk w = {sub, fn, 0, err};
	return each_in(dir, true, body_walk_folder, &w);
}

/* Imports one Markdown file of a body's folder as a meeting (each_body_file's
 * fn; body.md and other files are left). */
static int meeting_file(const char *path, const char *name, long long body, struct buf *err)
{
	size_t len = strlen(name);
	char stem[64];
	if (len <= 3 || strcmp(name + len - 3, ".md") != 0 || strcmp(name, "body.md") == 0)
		return 0;
	snprintf(stem, sizeof(stem), "%.*s", (int)(len < 60 ? len - 3 : 0), name);
	bool shaped = len >= 13 && len < 60 && text_is_slug(stem) && (len == 13 || stem[10] == '-');
	if (!shaped) {
		buf_printf(err, "%s : nom attendu AAAA-MM-JJ.md ou AAAA-MM-JJ-2.md", path);
		return -1;
	}
	if (import_meeting(path, body, stem, err) < 0) {
		name_file(err, path);
		return -1;
	}
	return 0;
}

static const char *const poll_keys[] = {"title", "place", "video", "closes", "show_answers",
					 "state", "meeting", "reminded", "slots", "voters", NULL};

/* Checks a poll's slots ("YYYY-MM-DD HH:MM-HH:MM", 2 to 30, each ending
 * after it starts); their count, or -1 with err set. */
static int poll_slots(const struct front *f, json_t *slots, struct buf *err)
{
	size_t i, n = json_array_size(slots);
	json_t *v;
	if (n < 2 || n > 30) {
		buf_printf(err, "ligne %lld : « slots » attend de 2 à 30 créneaux", key_line(f, "slots"));
		return -1;
	}
	json_array_foreach(slots, i, v) {
		const char *s = json_string_value(v);
		if (!s || strlen(s) != 22 || !text_is_date(s) || s[10] != ' ' || !text_is_hour(s + 11) ||
		    s[16] != '-' || !text_is_hour(s + 17) || strcmp(s + 17, s + 11) <= 0) {
			buf_printf(err, "ligne %lld : créneau %zu : « AAAA-MM-JJ HH:MM-HH:MM » attendu, la "
				   "fin après le début", key_line(f, "slots"), i + 1);
			return -1;
		}
	}
	return (int)n;
}

/* Returns how many answers (yes, maybe, no, -) the words of s give, or -1
 * for another word. */
static int poll_answer_count(const char *s)
{
	int count = 0;
	for (const char *p = s ? s : ""; *p; count++) {
		size_t w = strcspn(p, " ");
		if (!((w == 3 && !strncmp(p, "yes", 3)) || (w == 5 && !strncmp(p, "maybe", 5)) ||
		      (w == 2 && !strncmp(p, "no", 2)) || (w == 1 && *p == '-')))
			return -1;
		p += w + (p[w] == ' ');
	}
	return count;
}

/* Checks a poll's voters: an address each (once), a known organisation,
 * one answer (yes, maybe, no, -) per slot; 0 or -1 with err set. */
static int poll_voters(const struct front *f, json_t *voters, int slots, struct buf *err)
{
	size_t i;
	json_t *v, *seen = json_object();
	if (voters && !json_is_array(voters)) {
		buf_printf(err, "ligne %lld : « voters » attend une liste de personnes (email, "
			   "organisation, answers…)", key_line(f, "voters"));
		json_decref(seen);
		return -1;
	}
	int rc = 0;
	json_array_foreach(voters, i, v) {
		const char *email = json_string_value(json_object_get(v, "email"));
		const char *org = json_string_value(json_object_get(v, "organisation"));
		const char *answers = json_string_value(json_object_get(v, "answers"));
		int count = poll_answer_count(answers);
		if (rc == 0 && (!email || !auth_email_valid(email) || json_object_get(seen, email)))
			rc = -1;
		else if (rc == 0 && org && !db_int(0, "SELECT id FROM organisation WHERE slug = ?", "t", org))
			rc = -1;
		else if (rc == 0 && count != slots && count != 0)
			rc = -1;
		if (rc < 0) {
			buf_printf(err, "ligne %lld : personne %zu : adresse valable et unique, organisation "
				   "connue, et une réponse (yes, maybe, no ou -) par créneau attendues",
				   key_line(f, "voters"), i + 1);
			break;
		}
		json_object_set_new(seen, email, json_true());
	}
	json_decref(seen);
	return rc;
}

/* Replaces a poll's slots by those of the file when they differ (their
 * answers go with them); 0 or -1. */
static int poll_set_slots(long long poll, json_t *slots)
{
	json_t *have = db_rows("SELECT start, end FROM poll_slot WHERE poll_id = ? ORDER BY id", "i",
			       poll), *r;
	size_t i;
	bool same = json_array_size(have) == json_array_size(slots);
	json_array_foreach(have, i, r) {
		const char *s = json_string_value(json_array_get(slots, i)), *start = db_str(r, "start");
		same = same && strncmp(s, start, 10) == 0 && strncmp(s + 11, start + 11, 5) == 0 &&
		       strncmp(s + 17, db_str(r, "end") + 11, 5) == 0;
	}
	json_decref(have);
	if (same)
		return 0;
	if (db_exec("DELETE FROM poll_answer WHERE slot_id IN (SELECT id FROM poll_slot WHERE "
		    "poll_id = ?)", "i", poll) < 0 ||
	    db_exec("DELETE FROM poll_slot WHERE poll_id = ?", "i", poll) < 0)
		return -1;
	json_array_foreach(slots, i, r) {
		char start[17], end[17];
		const char *s = json_string_value(r);
		snprintf(start, sizeof(start), "%.10sT%.5s", s, s + 11);
		snprintf(end, sizeof(end), "%.10sT%.5s", s, s + 17);
		if (db_exec("INSERT INTO poll_slot (poll_id, start, end) VALUES (?, ?, ?)", "itt", poll,
			    start, end) < 0)
			return -1;
	}
	return 0;
}

/* Writes one voter of a poll and, when they changed, their answers; 0 or
 * -1. */
static int poll_set_voter(long long poll, json_t *v)
{
	const char *email = json_string_value(json_object_get(v, "email"));
	const char *answers = json_string_value(json_object_get(v, "answers"));
	const char *comment = json_string_value(json_object_get(v, "comment"));
	if (db_exec("INSERT INTO poll_voter (poll_id, email, organisation_id, user_id, person_id, "
		    "comment, answered) VALUES (?1, ?2, (SELECT id FROM organisation WHERE slug = ?3), "
		    "(SELECT id FROM user WHERE lower(email) = lower(?2)), (SELECT min(id) FROM person "
		    "WHERE lower(email) = lower(?2) AND deleted = 0), ?4, ?5) ON CONFLICT (poll_id, "
		    "email) DO UPDATE SET organisation_id = excluded.organisation_id, comment = "
		    "excluded.comment, answered = excluded.answered WHERE (organisation_id, comment, "
		    "answered) IS NOT (excluded.organisation_id, excluded.comment, excluded.answered)",
		    "itttt", poll, email, json_string_value(json_object_get(v, "organisation")),
		    comment ? comment : "", json_string_value(json_object_get(v, "answered"))) < 0)
		return -1;
	long long voter = db_int(0, "SELECT id FROM poll_voter WHERE poll_id = ? AND email = ?", "it",
				 poll, email);
	json_t *slots = db_rows("SELECT s.id, coalesce(a.answer, '-') AS answer FROM poll_slot s "
				"LEFT JOIN poll_answer a ON a.slot_id = s.id AND a.voter_id = ? WHERE "
				"s.poll_id = ? ORDER BY s.id", "ii", voter, poll), *r;
	size_t i;
	int rc = slots ? 0 : -1;
	const char *p = answers ? answers : "";
	json_array_foreach(slots, i, r) {
		char want[8];
		size_t w = strcspn(p, " ");
		snprintf(want, sizeof(want), "%.*s", (int)(*p ? (w < 7 ? w : 7) : 1), *p ? p : "-");
		p += w + (p[w] == ' ');
		if (rc == 0 && strcmp(want, db_str(r, "answer")) != 0)
			rc = db_exec(strcmp(want, "-") == 0
					     ? "DELETE FROM poll_answer WHERE voter_id = ?1 AND slot_id = ?2"
					     : "INSERT OR REPLACE INTO poll_answer (voter_id, slot_id, answer) "
					       "VALUES (?1, ?2, ?3)",
				     strcmp(want, "-") == 0 ? "ii" : "iit", voter, db_num(r, "id"), want) < 0
				     ? -1 : 0;
	}
	json_decref(slots);
	return rc;
}

/* Removes the voters of a poll the file no longer names (their links and
 * answers with them); 0 or -1. */
static int poll_drop_voters(long long poll, json_t *voters)
{
	json_t *emails = json_array(), *v;
	size_t i;
	json_array_foreach(voters, i, v)
		json_array_append(emails, json_object_get(v, "email"));
	char *list = json_dumps(emails, JSON_COMPACT);
	const char *gone = "SELECT id FROM poll_voter WHERE poll_id = ?1 AND email NOT IN (SELECT "
			   "value FROM json_each(?2))";
	char sql[3][400];
	snprintf(sql[0], sizeof(sql[0]), "DELETE FROM poll_token WHERE voter_id IN (%s)", gone);
	snprintf(sql[1], sizeof(sql[1]), "DELETE FROM poll_answer WHERE voter_id IN (%s)", gone);
	snprintf(sql[2], sizeof(sql[2]), "DELETE FROM poll_voter WHERE id IN (%s)", gone);
	int rc = 0;
	for (int k = 0; k < 3 && rc == 0; k++)
		rc = db_exec(sql[k], "it", poll, list) < 0 ? -1 : 0;
	free(list);
	json_decref(emails);
	return rc;
}

/* Imports content/bodies/<body>/polls/<id>.md, the date poll number id. */
static int import_poll(const char *path, long long body, long long id, struct buf *err)
{
	struct buf text = {0}, note = {0};
	struct front f;
	int rc = -1, slots;
	if (load_front(path, &text, &f, poll_keys, err) < 0)
		goto out;
	const char *title = front_str(&f, "title"), *closes = front_str(&f, "closes");
	const char *state = front_str(&f, "state"), *shown = front_str(&f, "show_answers");
	const char *meeting = front_str(&f, "meeting");
	json_t *slot_list = json_object_get(f.data, "slots"), *voters = json_object_get(f.data, "voters");
	long long owner = db_int(0, "SELECT body_id FROM poll WHERE id = ?", "i", id), mid = 0;
	if (owner && owner != body)
		buf_printf(err, "le sondage %lld appartient à une autre instance", id);
	else if (!title || !*title)
		buf_printf(err, "ligne %lld : « title » est obligatoire", key_line(&f, "title"));
	else if (!closes || strlen(closes) != 10 || !text_is_date(closes))
		buf_printf(err, "ligne %lld : « closes » attend une date AAAA-MM-JJ", key_line(&f, "closes"));
	else if (state && strcmp(state, "open") && strcmp(state, "closed"))
		buf_printf(err, "ligne %lld : « state » attend open ou closed", key_line(&f, "state"));
	else if (shown && strcmp(shown, "true") && strcmp(shown, "false"))
		buf_printf(err, "ligne %lld : « show_answers » attend true ou false",
			   key_line(&f, "show_answers"));
	else if (meeting && !(mid = db_int(0, "SELECT id FROM meeting WHERE body_id = ? AND slug = ? "
					    "AND deleted = 0", "it", body, meeting)))
		buf_printf(err, "ligne %lld : réunion « %s » inconnue dans cette instance",
			   key_line(&f, "meeting"), meeting);
	else if ((slots = poll_slots(&f, slot_list, err)) > 0 && poll_voters(&f, voters, slots, err) == 0)
		rc = 0;
	if (rc < 0)
		goto done;
	int changed = db_exec(
		"INSERT INTO poll (id, body_id, title, place, video, note, closes, show_answers, state, "
		"meeting_id, reminded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, nullif(?, 0), ?) ON CONFLICT "
		"(id) DO UPDATE SET title = excluded.title, place = excluded.place, video = "
		"excluded.video, note = excluded.note, closes = excluded.closes, show_answers = "
		"excluded.show_answers, state = excluded.state, meeting_id = excluded.meeting_id, "
		"reminded = excluded.reminded, modified = " DB_NOW " WHERE (title, place, video, note, "
		"closes, show_answers, state, meeting_id, reminded) IS NOT (excluded.title, "
		"excluded.place, excluded.video, excluded.note, excluded.closes, excluded.show_answers, "
		"excluded.state, excluded.meeting_id, excluded.reminded)",
		"iitttttitit", id, body, title, front_str(&f, "place") ? front_str(&f, "place") : "",
		front_str(&f, "video") ? front_str(&f, "video") : "", body_text(&f, &note), closes,
		(long long)(shown && strcmp(shown, "true") == 0), state ? state : "open", mid,
		front_str(&f, "reminded"));
	rc = changed < 0 || poll_set_slots(id, slot_list) < 0 ? -1 : 0;
	size_t i;
	json_t *v;
	json_array_foreach(voters, i, v)
		if (rc == 0)
			rc = poll_set_voter(id, v);
	if (rc == 0)
		rc = poll_drop_voters(id, voters);
	if (rc == 0 && changed > 0)
		rc = db_audit(0, "import", "poll", id, NULL, title) < 0 ? -1 : 0;
done:
	front_free(&f);
out:
	buf_free(&text);
	buf_free(&note);
	return rc;
}

/* Imports one file of a body's polls folder, <number>.md (each_body_file's
 * fn). */
static int poll_file(const char *path, const char *name, long long body, struct buf *err)
{
	size_t len = strlen(name);
	char stem[32];
	snprintf(stem, sizeof(stem), "%.*s", (int)(len > 3 && len < 20 ? len - 3 : 0), name);
	if (len < 4 || strcmp(name + len - 3, ".md") || !text_is_digits(stem) || atoll(stem) <= 0) {
		buf_printf(err, "%s : nom attendu N.md (le numéro du sondage)", path);
		return -1;
	}
	if (import_poll(path, body, atoll(stem), err) < 0) {
		name_file(err, path);
		return -1;
	}
	return 0;
}

/* Imports one file of a body's bilans folder, <year>.md: its "# Bilan" and
 * "# Perspectives" sections, a new version when they changed
 * (each_body_file's fn). */
static int review_file(const char *path, const char *name, long long body, struct buf *err)
{
	char stem[8];
	snprintf(stem, sizeof(stem), "%.4s", name);
	int year = strlen(name) == 7 && strcmp(name + 4, ".md") == 0 ? report_year(stem) : 0;
	if (!year) {
		buf_printf(err, "%s : nom attendu AAAA.md (l'année du bilan, de %d à %d)", path,
			   REPORT_YEAR_MIN, REPORT_YEAR_MAX);
		return -1;
	}
	struct buf text = {0}, bilan = {0}, persp = {0};
	struct check c = {0};
	int rc = 0;
	if (buf_read_file(&text, path) < 0 || !text_utf8_valid(text.data, text.len) ||
	    memchr(buf_str(&text), '\0', text.len)) {
		buf_printf(err, "%s : fichier illisible ou qui n'est pas du texte UTF-8", path);
		rc = -1;
	} else {
		two_sections(buf_str(&text), "Bilan", &bilan, "Perspectives", &persp);
		review_rules(buf_str(&bilan), buf_str(&persp), &c);
		if (c.n) {
			buf_printf(err, "%s : %s", path, c.items[0].message);
			rc = -1;
		}
	}
	if (rc == 0 && review_save(body, year, buf_str(&bilan), buf_str(&persp), 0) < 0) {
		buf_printf(err, "%s : enregistrement impossible", path);
		rc = -1;
	}
	buf_free(&text);
	buf_free(&bilan);
	buf_free(&persp);
	return rc;
}

/* Calls one for each entry of dir (sorted by name) whose name ends with
 * suffix, with the path and the name without suffix (which must be a slug). */
static int each_entry(const char *dir, const char *suffix, const char *inner,
		      int (*one)(const char *path, const char *slug, struct buf *err),
		      struct buf *err)
{
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort), rc = 0;
	if (n < 0)
		return 0; /* no such folder: nothing of that kind */
	for (int i = 0; i < n; i++) {
		const char *e = list[i]->d_name;
		size_t len = strlen(e), sl = strlen(suffix);
		char path[4096], slug[256];
		bool wanted = *inner ? list[i]->d_type == DT_DIR : list[i]->d_type != DT_DIR;
		if (rc == 0 && wanted && e[0] != '.' && len > sl && strcmp(e + len - sl, suffix) == 0) {
			snprintf(slug, sizeof(slug), "%.*s", (int)(len - sl), e);
			snprintf(path, sizeof(path), "%s/%s%s", dir, e, inner);
			if (!text_is_slug(slug)) {
				buf_printf(err, "%s/%s : nom de fichier invalide (lettres minuscules, "
					   "chiffres et tirets)", dir, e);
				rc = -1;
			} else if (one(path, slug, err) < 0) {
				name_file(err, path);
				rc = -1;
			}
		}
		free(list[i]);
	}
	free(list);
	return rc;
}

static const char *const letter_keys[] = {"title", "kind", "level", "status", "visibility",
					   "body", "addressees", "link", "signers", "communes",
					   "next_followup", "events", NULL};
static const char *const event_keys[] = {"date", "kind", "state", "note", "meeting", NULL};

/* Reads the list key of f (organisation slugs, or commune names or NIS
 * codes when communes is set) into a JSON array of ids; NULL with err set. */
static json_t *front_ids(const struct front *f, const char *key, bool communes, struct buf *err)
{
	json_t *list = json_object_get(f->data, key), *ids = json_array(), *v;
	size_t i;
	if (list && !json_is_array(list)) {
		buf_printf(err, "ligne %lld : « %s » doit être une liste", key_line(f, key), key);
		json_decref(ids);
		return NULL;
	}
	json_array_foreach(list, i, v) {
		const char *s = json_string_value(v);
		long long id = !s ? 0 : communes
			? db_int(0, "SELECT nis FROM commune WHERE name = ? COLLATE NOCASE OR "
				 "CAST(nis AS TEXT) = ?1", "t", s)
			: db_int(0, "SELECT id FROM organisation WHERE slug = ?", "t", s);
		if (!id) {
			buf_printf(err, "ligne %lld : %s inconnue « %s »", key_line(f, key),
				   communes ? "commune" : "organisation", s ? s : "?");
			json_decref(ids);
			return NULL;
		}
		json_array_append_new(ids, json_integer(id));
	}
	return ids;
}

/* Reads a list of events ({date, kind, state, note, meeting}) into rows of
 * the same form as content_events; a motion's states must follow its state
 * machine from *state, which ends as the last one. NULL with err set. */
static json_t *front_events(json_t *list, long long line, bool motion, const char **state,
			    struct buf *err)
{
	json_t *rows = json_array(), *e;
	size_t i;
	if (list && !json_is_array(list)) {
		buf_printf(err, "ligne %lld : « events » doit être une liste", line);
		goto bad;
	}
	json_array_foreach(list, i, e) {
		const char *key;
		json_t *v;
		json_object_foreach(e, key, v) {
			bool known = false;
			for (size_t k = 0; event_keys[k]; k++)
				known = known || strcmp(key, event_keys[k]) == 0;
			if (!known) {
				buf_printf(err, "ligne %lld : clé inconnue « %s » dans l'étape %zu", line,
					   key, i + 1);
				goto bad;
			}
		}
		const char *to = db_str(e, "state"), *meeting = db_str(e, "meeting");
		struct event_in in = {.date = db_str(e, "date"), .kind = db_str(e, "kind"),
				      .note = db_str(e, "note")};
		const char *field, *problem = !json_is_object(e) ? "une étape est un ensemble de clés"
					      : interp_event_check(&in, &field);
		long long mid = 0;
		if (!problem && i > 0 && strcmp(in.date, json_string_value(json_object_get(
				json_array_get(rows, i - 1), "date"))) < 0)
			problem = "les étapes se suivent dans l'ordre de leurs dates";
		else if (!problem && to && !motion)
			problem = "un courrier n'a pas d'état de motion";
		else if (!problem && to && !vocab_label(&vocab_motion_states, to))
			problem = "état de motion inconnu";
		else if (!problem && to && strcmp(to, *state) != 0 &&
			 !interp_transition_allowed(*state, to))
			problem = "ce changement d'état n'est pas permis";
		if (!problem && meeting &&
		    !(mid = db_int(0, "SELECT m.id FROM meeting m JOIN body b ON b.id = m.body_id "
				   "WHERE b.slug || '/' || m.slug = ?", "t", meeting)))
			problem = "réunion inconnue (instance/AAAA-MM-JJ)";
		if (problem) {
			buf_printf(err, "ligne %lld : étape %zu : %s", line, i + 1, problem);
			goto bad;
		}
		if (to)
			*state = to;
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s*, s:s, s:s*}", "date", in.date,
						      "kind", in.kind, "state", to, "note",
						      in.note ? in.note : "", "meeting", meeting));
	}
	return rows;
bad:
	json_decref(rows);
	return NULL;
}

/* Returns the events of a letter or of a motion in a commune as front_events
 * gives them (new reference). */
json_t *content_events(const char *column, long long id)
{
	json_t *rows = db_rows("SELECT e.date, e.kind, e.state, e.note, b.slug || '/' || m.slug "
			       "AS meeting FROM event e LEFT JOIN meeting m ON m.id = e.meeting_id "
			       "LEFT JOIN body b ON b.id = m.body_id WHERE (?1 = 'letter' AND "
			       "e.letter_id = ?2) OR (?1 = 'motion' AND e.motion_commune_id = ?2) "
			       "ORDER BY e.date, e.id", "ti", column, id), *r;
	size_t i;
	json_array_foreach(rows, i, r) {
		if (json_is_null(json_object_get(r, "state")))
			json_object_del(r, "state");
		if (json_is_null(json_object_get(r, "meeting")))
			json_object_del(r, "meeting");
	}
	return rows ? rows : json_array();
}

/* Returns the steps of a motion in a commune with their folders (see
 * content.h). */
json_t *content_step_folders(long long motion_commune)
{
	json_t *rows = db_rows("SELECT id, date || '-' || kind || CASE WHEN n > 1 THEN '-' || n ELSE "
			       "'' END AS folder FROM (SELECT e.id, e.date, e.kind, row_number() OVER "
			       "(PARTITION BY e.date, e.kind ORDER BY e.id) AS n FROM event e WHERE "
			       "e.motion_commune_id = ?) ORDER BY date, id", "i", motion_commune);
	return rows ? rows : json_array();
}

/* Removes the events of a JSON list of ids with their documents (a step
 * no longer in content/ takes its files with it); 0 or -1. */
static int drop_events(const char *ids)
{
	return db_exec("DELETE FROM file_text WHERE file_id IN (SELECT id FROM file WHERE event_id "
		       "IN (SELECT value FROM json_each(?)))", "t", ids) < 0 ||
	       db_exec("DELETE FROM file WHERE event_id IN (SELECT value FROM json_each(?))", "t",
		       ids) < 0 ||
	       db_exec("DELETE FROM event WHERE id IN (SELECT value FROM json_each(?))", "t", ids) < 0
		       ? -1 : 0;
}

/* The key of an event among those of its letter or commune: date, kind,
 * and its rank among the events of that date and kind. */
static const char *event_key(char *out, size_t size, json_t *seen, const json_t *e)
{
	snprintf(out, size, "%s-%s", db_str(e, "date"), db_str(e, "kind"));
	json_int_t n = json_integer_value(json_object_get(seen, out)) + 1;
	json_object_set_new(seen, out, json_integer(n));
	size_t len = strlen(out);
	snprintf(out + len, size - len, "#%lld", (long long)n);
	return out;
}

/* Replaces the events of a letter or of a motion in a commune with rows
 * when they differ (the rows are in date order after the sort): the new
 * rows are written, each old event's documents move to the new event of
 * the same date, kind and rank, and the old events go; 0 or -1. */
static int replace_events(const char *column, long long id, json_t *rows)
{
	json_t *now = content_events(column, id), *e;
	int rc = 0;
	size_t i;
	if (!json_equal(now, rows)) {
		bool letter = strcmp(column, "letter") == 0;
		json_t *old = db_rows(letter ? "SELECT id, date, kind FROM event WHERE letter_id = ? "
					       "ORDER BY date, id"
					     : "SELECT id, date, kind FROM event WHERE "
					       "motion_commune_id = ? ORDER BY date, id", "i", id);
		json_t *made = json_object(), *seen = json_object();
		char key[64];
		json_array_foreach(rows, i, e) {
			if (rc == 0)
				rc = db_exec("INSERT INTO event (letter_id, motion_commune_id, date, kind, "
					     "state, note, meeting_id) VALUES (nullif(?, 0), nullif(?, 0), ?, ?, ?, ?, (SELECT "
					     "m.id FROM meeting m JOIN body b ON b.id = m.body_id WHERE "
					     "b.slug || '/' || m.slug = ?))", "iittttt",
					     letter ? id : 0, letter ? 0 : id,
					     json_string_value(json_object_get(e, "date")),
					     json_string_value(json_object_get(e, "kind")),
					     json_string_value(json_object_get(e, "state")),
					     json_string_value(json_object_get(e, "note")),
					     json_string_value(json_object_get(e, "meeting"))) < 0 ? -1 : 0;
			if (rc == 0)
				json_object_set_new(made, event_key(key, sizeof(key), seen, e),
						    json_integer(db_last_id()));
		}
		json_object_clear(seen);
		json_t *gone = json_array();
		json_array_foreach(old, i, e) {
			json_t *to = json_object_get(made, event_key(key, sizeof(key), seen, e));
			if (rc == 0 && to)
				rc = db_exec("UPDATE file SET event_id = ? WHERE event_id = ?", "ii",
					     (long long)json_integer_value(to), db_num(e, "id")) < 0 ? -1 : 0;
			json_array_append_new(gone, json_integer(db_num(e, "id")));
		}
		char *ids = json_dumps(gone, JSON_COMPACT);
		if (rc == 0)
			rc = drop_events(ids);
		free(ids);
		if (rc == 0)
			rc = db_audit(0, "import", letter ? "letter_events" : "motion_commune_events", id,
				      NULL, NULL) < 0 ? -1 : 0;
		json_decref(old);
		json_decref(made);
		json_decref(seen);
		json_decref(gone);
	}
	json_decref(now);
	return rc;
}

/* Imports content/letters/<YYYY-MM-DD>-<words>.md. */
static int import_letter(const char *path, const char *slug, struct buf *err)
{
	struct buf text = {0}, md = {0};
	struct front f;
	int rc = -1;
	if (load_front(path, &text, &f, letter_keys, err) < 0)
		goto out;
	char date[11];
	snprintf(date, sizeof(date), "%.10s", slug);
	const char *body = front_str(&f, "body"), *st = front_str(&f, "status");
	const char *vis = front_str(&f, "visibility"), *state = "";
	long long body_id = 0;
	json_t *signers = NULL, *communes = NULL, *events = NULL;
	if (strlen(slug) < 12 || slug[10] != '-' || !text_is_date(slug))
		buf_printf(err, "nom attendu AAAA-MM-JJ-mots.md");
	else if (body && !(body_id = db_int(0, "SELECT id FROM body WHERE slug = ?", "t", body)))
		buf_printf(err, "ligne %lld : instance inconnue « %s »", key_line(&f, "body"), body);
	else if ((signers = front_ids(&f, "signers", false, err)) &&
		 (communes = front_ids(&f, "communes", true, err)))
		events = front_events(json_object_get(f.data, "events"), key_line(&f, "events"), false,
				      &state, err);
	if (events) {
		struct letter_in l = {
			.slug = slug, .kind = front_str(&f, "kind"), .level = front_str(&f, "level"),
			.status = st ? st : "sent", .visibility = vis ? vis : "public",
			.title = front_str(&f, "title"), .date = date,
			.addressees = front_str(&f, "addressees"), .link = front_str(&f, "link"),
			.next_followup = front_str(&f, "next_followup"), .text = body_text(&f, &md),
			.body_id = body_id, .signers = signers, .communes = communes};
		const char *field, *problem = interp_letter_check(&l, &field);
		long long id = db_int(0, "SELECT id FROM letter WHERE slug = ?", "t", slug);
		if (problem)
			buf_printf(err, "ligne %lld : %s", key_line(&f, field), problem);
		else if ((id = interp_letter_save(id, &l, 0)) > 0)
			rc = replace_events("letter", id, events);
		if (rc == 0)
			rc = import_files(path, "letter", id, err);
	}
	json_decref(signers);
	json_decref(communes);
	json_decref(events);
	front_free(&f);
out:
	buf_free(&text);
	buf_free(&md);
	return rc;
}

static const char *const motion_keys[] = {"title", "visibility", "body", "promoters",
					   "communes", NULL};
static const char *const motion_commune_keys[] = {"commune", "next_step", "next_followup",
						   "events", NULL};

/* Imports one commune of a motion file ({commune, next_step, next_followup,
 * events}); adds its NIS code to seen. 0 or -1 with err set. */
static int motion_commune(long long motion, json_t *c, long long line, json_t *seen,
			  struct buf *err)
{
	const char *key, *state = "not_started";
	json_t *v;
	json_object_foreach(c, key, v) {
		bool known = false;
		for (size_t k = 0; motion_commune_keys[k]; k++)
			known = known || strcmp(key, motion_commune_keys[k]) == 0;
		if (!known) {
			buf_printf(err, "ligne %lld : clé inconnue « %s » pour une commune", line, key);
			return -1;
		}
	}
	const char *name = json_string_value(json_object_get(c, "commune"));
	const char *next = json_string_value(json_object_get(c, "next_followup"));
	const char *step = json_string_value(json_object_get(c, "next_step"));
	long long nis = name ? db_int(0, "SELECT nis FROM commune WHERE name = ? COLLATE NOCASE OR "
				      "CAST(nis AS TEXT) = ?1", "t", name) : 0;
	if (!nis) {
		buf_printf(err, "ligne %lld : commune inconnue « %s »", line, name ? name : "?");
		return -1;
	}
	struct event_in probe = {.date = "2000-01-01", .kind = "note", .next_step = step,
				 .next_followup = next};
	const char *field, *problem = interp_event_check(&probe, &field);
	if (problem) {
		buf_printf(err, "ligne %lld : %s : %s", line, name, problem);
		return -1;
	}
	json_t *events = front_events(json_object_get(c, "events"), line, true, &state, err);
	if (!events) {
		buf_printf(err, " (%s)", name);
		return -1;
	}
	json_array_append_new(seen, json_integer(nis));
	int rc = db_exec("INSERT INTO motion_commune (motion_id, commune_nis, state, next_step, "
			 "next_followup) VALUES (?, ?, ?, ?, ?) ON CONFLICT (motion_id, commune_nis) "
			 "DO UPDATE SET state = excluded.state, next_step = excluded.next_step, "
			 "next_followup = excluded.next_followup, modified = " DB_NOW " WHERE "
			 "(state, next_step, next_followup) IS NOT (excluded.state, excluded.next_step, "
			 "excluded.next_followup)", "iittt", motion, nis, state, step ? step : "",
			 next && *next ? next : NULL) < 0 ? -1 : 0;
	long long id = db_int(0, "SELECT id FROM motion_commune WHERE motion_id = ? AND "
			      "commune_nis = ?", "ii", motion, nis);
	if (rc == 0)
		rc = replace_events("motion", id, events);
	json_decref(events);
	return rc;
}

/* Imports content/motions/<slug>.md: the motion, its promoters, and its
 * communes (those no longer listed lose their state and timeline). */
static int import_motion(const char *path, const char *slug, struct buf *err)
{
	struct buf text = {0}, md = {0};
	struct front f;
	int rc = -1;
	if (load_front(path, &text, &f, motion_keys, err) < 0)
		goto out;
	const char *title = front_str(&f, "title"), *vis = front_str(&f, "visibility");
	const char *body = front_str(&f, "body");
	json_t *communes = json_object_get(f.data, "communes"), *promoters = NULL, *c;
	json_t *seen = json_array();
	long long body_id = 0, line = key_line(&f, "communes");
	if (!title || !*title || strlen(title) > 300)
		buf_printf(err, "ligne %lld : « title » est obligatoire (300 caractères au plus)",
			   key_line(&f, "title"));
	else if (one_of(&f, "visibility", vis ? vis : "public", &vocab_visibilities, err) < 0)
		;
	else if (body && !(body_id = db_int(0, "SELECT id FROM body WHERE slug = ?", "t", body)))
		buf_printf(err, "ligne %lld : instance inconnue « %s »", key_line(&f, "body"), body);
	else if (communes && !json_is_array(communes))
		buf_printf(err, "ligne %lld : « communes » doit être une liste", line);
	else if ((promoters = front_ids(&f, "promoters", false, err)) &&
		 (rc = db_exec("INSERT INTO motion (slug, title, text, body_id, visibility) VALUES "
			       "(?, ?, ?, nullif(?, 0), ?) ON CONFLICT (slug) DO UPDATE SET "
			       "title = excluded.title, text = excluded.text, body_id = excluded.body_id, "
			       "visibility = excluded.visibility, deleted = 0, render_version = 0, "
			       "modified = " DB_NOW " WHERE (title, text, body_id, visibility, deleted) IS NOT "
			       "(excluded.title, excluded.text, excluded.body_id, excluded.visibility, 0)",
			       "tttit", slug, title, body_text(&f, &md), body_id,
			       vis ? vis : "public")) >= 0) {
		if (rc > 0)
			rc = audit_import("motion", "SELECT id FROM motion WHERE slug = ?", slug);
		long long id = db_int(0, "SELECT id FROM motion WHERE slug = ?", "t", slug);
		char *ids = json_dumps(promoters, JSON_COMPACT);
		if (rc == 0 && (db_exec("DELETE FROM motion_promoter WHERE motion_id = ? AND "
					"organisation_id NOT IN (SELECT value FROM json_each(?))", "it",
					id, ids) < 0 ||
				db_exec("INSERT OR IGNORE INTO motion_promoter (motion_id, organisation_id) "
					"SELECT ?, value FROM json_each(?)", "it", id, ids) < 0))
			rc = -1;
		free(ids);
		size_t i;
		json_array_foreach(communes, i, c)
			if (rc == 0)
				rc = motion_commune(id, c, line, seen, err);
		char *kept = json_dumps(seen, JSON_COMPACT);
		struct buf gone = {0}; /* the events of the communes no longer listed */
		if (rc == 0 && (db_blob(&gone, "SELECT json_group_array(e.id) FROM event e JOIN "
					"motion_commune mc ON mc.id = e.motion_commune_id WHERE "
					"mc.motion_id = ? AND mc.commune_nis NOT IN (SELECT value FROM "
					"json_each(?))", "it", id, kept) < 0 ||
				drop_events(buf_str(&gone)) < 0 ||
				db_exec("DELETE FROM motion_commune WHERE motion_id = ? AND commune_nis "
					"NOT IN (SELECT value FROM json_each(?))", "it", id, kept) < 0))
			rc = -1;
		if (rc == 0)
			rc = import_files(path, "motion", id, err);
		if (rc == 0)
			rc = import_step_files(path, id, err);
		buf_free(&gone);
		free(kept);
	}
	json_decref(promoters);
	json_decref(seen);
	front_free(&f);
out:
	buf_free(&text);
	buf_free(&md);
	return rc;
}

/* Imports every kind of file of import_root. */
static int import_all(const char *dir, struct buf *err)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/glossary.csv", dir);
	if (import_glossary(path, err) < 0) {
		name_file(err, path);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/communes.csv", dir);
	if (import_communes(path, err) < 0) {
		name_file(err, path);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/organisations", dir);
	if (each_entry(path, ".md", "", import_organisation, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/bodies", dir);
	if (each_entry(path, "", "/body.md", import_body, err) < 0 ||
	    each_body_file(path, "", meeting_file, err) < 0 ||
	    each_body_file(path, "polls", poll_file, err) < 0 ||
	    each_body_file(path, "bilans", review_file, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/mandates.csv", dir);
	if (import_mandates(path, err) < 0) {
		name_file(err, path);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/letters", dir);
	if (each_entry(path, ".md", "", import_letter, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/motions", dir);
	if (each_entry(path, ".md", "", import_motion, err) < 0)
		return -1;
	if (doc_refresh_stale() < 0) {
		buf_printf(err, "rendu des textes importés impossible");
		return -1;
	}
	return 0;
}

/* Attaches to record id of kind the document pandoc writes (format) from
 * Markdown md, named name; 0, 1 without pandoc, or -1. */
static int demo_document(const char *md, const char *format, const char *name, const char *kind,
			 long long id)
{
	struct buf doc = {0}, clean = {0}, why = {0};
	struct upload u;
	int rc = convert_markdown_to(md, strlen(md), format, &doc);
	if (rc == 0) {
		rc = upload_open(&u, "demo", name) < 0 || upload_write(&u, doc.data, doc.len) < 0 ||
		     upload_finish(&u) < 0 || file_add(&u, kind, id, 0, 0, &clean, &why) <= 0 ? -1 : 0;
		upload_discard(&u);
	}
	buf_free(&doc);
	buf_free(&clean);
	buf_free(&why);
	return rc;
}

/* Gives the demo its documents; see content.h. */
int content_demo_documents(void)
{
	json_t *b = db_row("SELECT id, name, description FROM body WHERE kind = 'platform' AND "
			   "description <> '' ORDER BY slug LIMIT 1", NULL);
	json_t *m = db_row("SELECT m.id, m.title, m.agenda, m.start FROM "
			   "meeting m WHERE m.visibility = 'public' AND m.agenda <> '' AND m.deleted = 0 "
			   "ORDER BY m.start DESC LIMIT 1", NULL);
	struct buf md = {0}, name = {0};
	int rc = 0;
	if (b) {
		buf_printf(&md, "# Charte de la %s\n\n%s\n", db_str(b, "name"), db_str(b, "description"));
		buf_printf(&name, "Charte de la %s.odt", db_str(b, "name"));
		rc = demo_document(buf_str(&md), "odt", buf_str(&name), "body", db_num(b, "id"));
	}
	if (m && rc == 0) {
		buf_reset(&md);
		buf_reset(&name);
		buf_printf(&md, "# %s\n\n## Ordre du jour\n\n%s\n", db_str(m, "title"),
			   db_str(m, "agenda"));
		char day[11];
		snprintf(day, sizeof(day), "%s", db_str(m, "start"));
		buf_puts(&name, "Ordre du jour du ");
		text_date_fr(&name, day);
		buf_puts(&name, ".docx");
		rc = demo_document(buf_str(&md), "docx", buf_str(&name), "meeting", db_num(m, "id"));
	}
	json_decref(b);
	json_decref(m);
	buf_free(&md);
	buf_free(&name);
	return rc;
}

/* Imports everything of a content/ folder that this release knows. */
int content_import_dir(const char *dir, struct buf *err)
{
	return in_transaction(import_all, dir, err);
}
