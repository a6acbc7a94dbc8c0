/* content.c — the network as files (content/): import and export. */
#include "content.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "db.h"
#include "text.h"

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

/* Reads a CSV file into data and opens a reader on it; 0 or -1 with err. */
static int csv_load(const char *path, struct buf *data, struct csv *c, struct buf *err)
{
	if (buf_read_file(data, path) < 0) {
		buf_printf(err, "%s : fichier illisible", path);
		return -1;
	}
	csv_open(c, buf_str(data), data->len);
	return 0;
}

/* Replaces the glossary with the rows of a CSV file (acronym, expansion). */
int content_import_glossary(const char *path, struct buf *err)
{
	struct buf data = {0};
	struct csv c;
	int rows = 0, rc;
	if (csv_load(path, &data, &c, err) < 0) {
		buf_free(&data);
		return -1;
	}
	if (db_begin() < 0 || db_exec("DELETE FROM glossary", NULL) < 0)
		goto fail;
	while ((rc = csv_next(&c, err)) == 1) {
		if (c.line == 1 && c.n == 2 && strcmp(c.fields[0], "acronym") == 0)
			continue;
		if (c.n != 2 || !*c.fields[0] || !*c.fields[1]) {
			buf_printf(err, "ligne %d : deux colonnes attendues (sigle, développement)", c.line);
			goto fail;
		}
		if (db_exec("INSERT INTO glossary (acronym, expansion) VALUES (?, ?)", "tt",
			    c.fields[0], c.fields[1]) < 0) {
			buf_printf(err, "ligne %d : sigle « %s » en double", c.line, c.fields[0]);
			goto fail;
		}
		rows++;
	}
	if (rc < 0 || db_commit() < 0)
		goto fail;
	csv_close(&c);
	buf_free(&data);
	return rows;
fail:
	db_rollback();
	name_file(err, path);
	csv_close(&c);
	buf_free(&data);
	return -1;
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
			 "DO UPDATE SET name = excluded.name, modified = strftime('%Y-%m-%dT%H:%M:%SZ', "
			 "'now') WHERE name IS NOT excluded.name", "tt", buf_str(&slug), territory);
	if (rc >= 0)
		rc = db_exec("INSERT INTO commune (nis, name, arrondissement, territory_id) VALUES "
			     "(?, ?, ?, (SELECT id FROM territory WHERE slug = ?)) ON CONFLICT (nis) DO "
			     "UPDATE SET name = excluded.name, arrondissement = excluded.arrondissement, "
			     "territory_id = excluded.territory_id, "
			     "modified = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE "
			     "(name, arrondissement, territory_id) IS NOT "
			     "(excluded.name, excluded.arrondissement, excluded.territory_id)", "ittt",
			     atoll(nis), name, arr, buf_str(&slug));
	buf_free(&slug);
	if (rc < 0)
		buf_printf(err, "ligne %d : enregistrement impossible", c->line);
	return rc < 0 ? -1 : 0;
}

/* Imports the communes and their territories from a CSV file. */
int content_import_communes(const char *path, struct buf *err)
{
	struct buf data = {0};
	struct csv c;
	int rows = 0, rc;
	if (csv_load(path, &data, &c, err) < 0) {
		buf_free(&data);
		return -1;
	}
	if (db_begin() < 0)
		goto fail;
	while ((rc = csv_next(&c, err)) == 1) {
		if (c.line == 1 && c.n == 4 && strcmp(c.fields[0], "nis") == 0)
			continue;
		if (c.n != 4) {
			buf_printf(err, "ligne %d : quatre colonnes attendues (nis, name, arrondissement, "
				   "territory)", c.line);
			goto fail;
		}
		if (commune_row(&c, err) < 0)
			goto fail;
		rows++;
	}
	if (rc < 0 || db_commit() < 0)
		goto fail;
	csv_close(&c);
	buf_free(&data);
	return rows;
fail:
	db_rollback();
	name_file(err, path);
	csv_close(&c);
	buf_free(&data);
	return -1;
}

/* Imports everything of a content/ folder that this release knows. */
int content_import_dir(const char *dir, struct buf *err)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/glossary.csv", dir);
	if (content_import_glossary(path, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/communes.csv", dir);
	if (content_import_communes(path, err) < 0)
		return -1;
	return 0;
}
