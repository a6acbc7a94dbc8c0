/* archive.c — importing an archive of existing minutes into a body. */
#include "archive.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "convert.h"
#include "db.h"
#include "file.h"
#include "front.h"
#include "meeting.h"
#include "text.h"

/* Finds a YYYY-MM-DD date in a file name; writes it to date (11 bytes). */
static bool date_in_name(const char *name, char date[11])
{
	for (const char *p = name; strlen(p) >= 10; p++) {
		if (text_is_date(p)) {
			snprintf(date, 11, "%.10s", p);
			return true;
		}
	}
	return false;
}

/* Turns CRLF and lone CR into LF and drops a BOM, in place. */
static void normalise(struct buf *b)
{
	size_t o = 0, i = b->len >= 3 && memcmp(b->data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	for (; i < b->len; i++) {
		if (b->data[i] == '\r') {
			b->data[o++] = '\n';
			if (i + 1 < b->len && b->data[i + 1] == '\n')
				i++;
		} else {
			b->data[o++] = b->data[i];
		}
	}
	b->len = o;
	if (b->data)
		b->data[o] = '\0';
}

/* The front matter keys an archive's file may use; others (a Jekyll or Hugo
 * site's layout, tags, permalink…) are ignored and counted. */
static const char *const keys[] = {"date", "lastmod", "title", "titre", "start", "end", "place",
				   "format", "status", "visibility", NULL};

/* Counts in ignored (key → files) the keys of f that Maillage does not know. */
static void count_unknown(const struct front *f, json_t *ignored)
{
	const char *key;
	json_t *v;
	json_object_foreach(f->data, key, v) {
		size_t k = 0;
		while (keys[k] && strcmp(keys[k], key) != 0)
			k++;
		if (!keys[k])
			json_object_set_new(ignored, key, json_integer(
				json_integer_value(json_object_get(ignored, key)) + 1));
	}
}

/* Returns the first of the front matter's values for names (NULL-ended). */
static const char *first_of(const struct front *f, const char *const *names)
{
	for (; *names; names++)
		if (front_str(f, *names) && *front_str(f, *names))
			return front_str(f, *names);
	return NULL;
}

/* Returns "docx" or "odt" when name is a Word or LibreOffice document,
 * else NULL. */
static const char *office_format(const char *name)
{
	const char *dot = strrchr(name, '.');
	return !dot ? NULL : strcasecmp(dot, ".docx") == 0 ? "docx"
		: strcasecmp(dot, ".odt") == 0 ? "odt" : NULL;
}

/* Reads the text of the file at path: Markdown as it is, a Word or
 * LibreOffice document through pandoc; 0, -1 with err set, or -2 when
 * pandoc is missing. */
static int read_minutes(const char *path, const char *name, struct buf *text, struct buf *err)
{
	const char *format = office_format(name);
	if (!format) {
		if (buf_read_file(text, path) == 0)
			return 0;
		buf_printf(err, "%s : fichier illisible", path);
		return -1;
	}
	int rc = convert_document_to_markdown(path, format, text);
	if (rc == 1)
		buf_printf(err, "pandoc est absent : installez-le (sudo apt-get install pandoc) pour "
			   "importer les documents .docx et .odt");
	else if (rc < 0)
		buf_printf(err, "%s : document illisible (pandoc n'a pas pu le convertir)", path);
	return rc == 1 ? -2 : rc;
}

/* Attaches the original document at path (a Word or LibreOffice file) to
 * meeting id; 0 or -1 with err set. */
static int attach_original(const char *path, const char *name, long long id, struct buf *err)
{
	struct upload u;
	struct buf clean = {0}, why = {0};
	long long file = upload_from_path(&u, "archive", name, path) < 0
		? -1 : file_add(&u, "meeting", id, 0, 0, &clean, &why);
	if (file == 0)
		buf_printf(err, "%s : %s", path, buf_str(&why));
	else if (file < 0)
		buf_printf(err, "%s : le document d'origine n'a pas pu être joint", path);
	upload_discard(&u);
	buf_free(&clean);
	buf_free(&why);
	return file > 0 ? 0 : -1;
}

/* Imports one file, counting its unknown keys in ignored; returns 1 when
 * new, 0 when already there, -1 on error, -2 when pandoc is missing. */
static int import_file(const char *path, const char *name, long long body, const char *vis,
		       json_t *ignored, struct buf *err)
{
	struct buf text = {0};
	struct front f = {0};
	char date[11], start[17], end[17];
	int rc = read_minutes(path, name, &text, err);
	if (rc < 0)
		goto out;
	rc = -1;
	normalise(&text);
	if (!text_utf8_valid(buf_str(&text), text.len)) {
		buf_printf(err, "%s : ce n'est pas du texte UTF-8", path);
		goto out;
	}
	const char *minutes = buf_str(&text);
	bool has_front = strncmp(minutes, "---\n", 4) == 0;
	if (has_front) {
		if (front_parse(minutes, text.len, &f, err) < 0)
			goto fail;
		count_unknown(&f, ignored);
		minutes = f.body;
	}
	/* "2021-03-15", or a Jekyll or Hugo time stamp: its day (and hour) */
	const char *d = has_front ? first_of(&f, (const char *[]){"date", "lastmod", NULL}) : NULL;
	if (d ? strlen(d) < 10 || !text_is_date(d) : !date_in_name(name, date)) {
		buf_printf(err, "%s : date introuvable (mettez « date: AAAA-MM-JJ » en en-tête ou la "
			   "date dans le nom du fichier)", path);
		goto out;
	}
	if (d)
		snprintf(date, sizeof(date), "%s", d);
	while (*minutes == '\n')
		minutes++;
	const char *t0 = has_front ? front_str(&f, "start") : NULL;
	if (!t0 && d && strlen(d) >= 16 && (d[10] == 'T' || d[10] == ' ') && d[13] == ':' &&
	    strncmp(d + 11, "00:00", 5) != 0)
		t0 = d + 11;
	const char *t1 = has_front ? front_str(&f, "end") : NULL;
	snprintf(start, sizeof(start), t0 ? "%sT%.5s" : "%s", date, t0 ? t0 : "");
	snprintf(end, sizeof(end), "%sT%.5s", date, t1 ? t1 : "");
	struct buf title = {0};
	const char *named = has_front ? first_of(&f, (const char *[]){"title", "titre", NULL})
				      : NULL;
	if (named)
		buf_puts(&title, named);
	else {
		buf_puts(&title, "Réunion du ");
		text_date_fr(&title, date);
	}
	struct meeting_in m = {
		.body_id = body, .title = buf_str(&title), .start = start, .end = t1 ? end : NULL,
		.place = has_front ? front_str(&f, "place") : NULL,
		.format = has_front && front_str(&f, "format") ? front_str(&f, "format") : "on_site",
		.status = has_front && front_str(&f, "status") ? front_str(&f, "status")
							       : "minutes_approved",
		.visibility = has_front && front_str(&f, "visibility") ? front_str(&f, "visibility") : vis,
		.agenda = "", .minutes = minutes};
	const char *field, *problem = meeting_check(&m, &field);
	if (problem) {
		buf_printf(err, "%s : %s", path, problem);
	} else if (db_int(0, "SELECT 1 FROM meeting WHERE body_id = ? AND substr(start, 1, 10) = ? "
			  "AND minutes = ? AND deleted = 0", "itt", body, date, minutes) == 1) {
		rc = 0; /* imported before */
	} else {
		long long id = meeting_save(0, &m, 0);
		rc = id < 0 ? -1 : 1;
		if (rc < 0)
			buf_printf(err, "%s : enregistrement impossible", path);
		else if (office_format(name) && attach_original(path, name, id, err) < 0)
			rc = -1; /* the original stays with its meeting */
	}
	buf_free(&title);
	goto out;
fail:
	if (err->len && !strstr(buf_str(err), path)) {
		struct buf msg = {0};
		buf_printf(&msg, "%s, %s", path, buf_str(err));
		buf_reset(err);
		buf_puts(err, buf_str(&msg));
		buf_free(&msg);
	}
out:
	front_free(&f);
	buf_free(&text);
	return rc;
}

/* Tells whether a directory entry is a file of minutes to import:
 * Markdown, Word or LibreOffice. */
static int is_markdown(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return e->d_name[0] != '.' && ((n > 3 && strcmp(e->d_name + n - 3, ".md") == 0) ||
				       office_format(e->d_name));
}

/* Imports every .md file of dir as a meeting of body slug, all or nothing. */
int archive_import(const char *dir, const char *slug, bool progress, struct archive_result *r,
		   struct buf *err)
{
	json_t *body = db_row("SELECT id, visibility FROM body WHERE slug = ?", "t", slug);
	memset(r, 0, sizeof(*r));
	r->ignored = json_object();
	if (!body) {
		buf_printf(err, "instance inconnue : « %s »", slug);
		return -1;
	}
	long long id = json_integer_value(json_object_get(body, "id"));
	const char *vis = json_string_value(json_object_get(body, "visibility"));
	struct dirent **files;
	int n = scandir(dir, &files, is_markdown, alphasort), rc = 0;
	if (n < 0) {
		buf_printf(err, "%s : dossier illisible", dir);
		json_decref(body);
		return -1;
	}
	if (db_begin() < 0) {
		buf_printf(err, "base de données occupée ou en lecture seule");
		rc = -1;
	}
	for (int i = 0; i < n; i++) {
		char path[8192];
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]->d_name);
		if (rc == 0) {
			int one = import_file(path, files[i]->d_name, id, vis, r->ignored, err);
			if (one < 0)
				rc = one;
			else if (one)
				r->imported++;
			else
				r->present++;
		}
		if (progress && rc == 0 && (i % 25 == 0 || i == n - 1))
			fprintf(stderr, "\r%d/%d fichiers lus", i + 1, n);
		free(files[i]);
	}
	free(files);
	if (progress && n)
		fputc('\n', stderr);
	if (rc == 0 && db_commit() < 0)
		rc = -1;
	if (rc < 0) { /* -2: pandoc is missing */
		db_rollback();
		r->imported = r->present = 0;
	}
	json_decref(body);
	return rc;
}
