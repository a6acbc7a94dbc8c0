/* content.h — the network as files (content/): import (export.h writes them). */
#ifndef MAILLAGE_CONTENT_H
#define MAILLAGE_CONTENT_H

#include <jansson.h>

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
/* Returns the events of a letter (column "letter") or of a motion in a
 * commune ("motion") with id, as the content/ files write them: date,
 * kind, state, note, meeting (body/slug), in date order (new reference). */
json_t *content_events(const char *column, long long id);
/* Returns the steps (events) of a motion in a commune as {id, folder}, in
 * date order: folder names the folder of the step's documents in content/
 * (motions/<slug>.files/<commune>/<folder>/): "2020-12-15-vote", then
 * "2020-12-15-vote-2" for a second step of that date and kind (new
 * reference). */
json_t *content_step_folders(long long motion_commune);


/* Gives the demo network a few documents made from its own texts by
 * pandoc: a platform's charter (ODT) from its description, the agenda of
 * the latest public meeting (DOCX). 0; 1 when pandoc is missing (no
 * document then); -1 on failure. */
int content_demo_documents(void);

#endif
