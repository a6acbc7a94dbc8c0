/* content.c — the network as files (content/): import and export. */
#include "content.h"

#include <string.h>

#include "csv.h"
#include "db.h"

/* Replaces the glossary with the rows of a CSV file (acronym, expansion). */
int content_import_glossary(const char *path, struct buf *err)
{
	struct buf data = {0};
	struct csv c;
	int rows = 0, rc;
	if (buf_read_file(&data, path) < 0) {
		buf_printf(err, "%s : fichier illisible", path);
		buf_free(&data);
		return -1;
	}
	csv_open(&c, buf_str(&data), data.len);
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
	if (err->len && !strstr(buf_str(err), path)) {
		struct buf msg = {0};
		buf_printf(&msg, "%s, %s", path, buf_str(err));
		buf_reset(err);
		buf_puts(err, buf_str(&msg));
		buf_free(&msg);
	}
	csv_close(&c);
	buf_free(&data);
	return -1;
}
