/* content.h — the network as files (content/): import and export. */
#ifndef MAILLAGE_CONTENT_H
#define MAILLAGE_CONTENT_H

#include "buf.h"

/* Replaces the glossary with the rows of a CSV file (acronym, expansion);
 * nothing changes on error; returns the rows read, or -1 with err set. */
int content_import_glossary(const char *path, struct buf *err);

/* Imports the communes and their territories (the reception offices) from
 * a CSV file (nis, name, arrondissement, territory); idempotent; nothing
 * changes on error; returns the rows read, or -1 with err set. */
int content_import_communes(const char *path, struct buf *err);
/* Imports everything of a content/ folder that this release knows; returns
 * 0, or -1 with err set (nothing of that file is kept). */
int content_import_dir(const char *dir, struct buf *err);

/* Writes the network as a content/ folder into dir (created if missing):
 * importing it gives back the same network, and exporting an import of the
 * canonical files gives them back byte for byte. */
int content_export_dir(const char *dir, struct buf *err);

#endif
