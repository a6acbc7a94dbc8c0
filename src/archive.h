/* archive.h — importing an archive of existing minutes (one Markdown file
 * per meeting) into a body. */
#ifndef MAILLAGE_ARCHIVE_H
#define MAILLAGE_ARCHIVE_H

#include <stdbool.h>

#include "buf.h"

struct archive_result {
	int imported;  /* new meetings */
	int present;   /* files whose meeting was already there */
};

/* Imports every .md file of dir as a meeting of body slug, all or nothing:
 * the date comes from the front matter's "date" or from a YYYY-MM-DD in the
 * file name; a BOM and CRLF are accepted; progress goes to stderr when
 * progress is set. Returns 0, or -1 with a French message in err. */
int archive_import(const char *dir, const char *body, bool progress, struct archive_result *r,
		   struct buf *err);

#endif
