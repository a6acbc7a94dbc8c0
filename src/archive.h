/* archive.h — importing an archive of existing minutes (one Markdown file
 * per meeting) into a body. */
#ifndef MAILLAGE_ARCHIVE_H
#define MAILLAGE_ARCHIVE_H

#include <jansson.h>
#include <stdbool.h>

#include "buf.h"

struct archive_result {
	int imported;    /* new meetings */
	int present;     /* files whose meeting was already there */
	json_t *ignored; /* each front matter key Maillage does not know → how many
			  * files had it (the caller frees it) */
};

/* Imports every .md, .docx and .odt file of dir as a meeting of body slug,
 * all or nothing:
 * the date comes from the front matter's "date" or "lastmod" (a time stamp's
 * day and hour) or from a YYYY-MM-DD in the file name, the title from
 * "title" or "titre"; other keys (a Jekyll or Hugo site's, an Obsidian
 * vault's) are ignored and counted in r->ignored; a BOM and CRLF are accepted; progress goes to stderr when
 * progress is set. A .docx or .odt file is converted by pandoc and kept
 * attached to its meeting. Returns 0, or -1 with a French message in err
 * (-2 when pandoc, needed for a .docx or .odt, is missing). */
int archive_import(const char *dir, const char *body, bool progress, struct archive_result *r,
		   struct buf *err);

#endif
