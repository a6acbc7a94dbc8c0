/* content.h — the network as files (content/): import and export. */
#ifndef MAILLAGE_CONTENT_H
#define MAILLAGE_CONTENT_H

#include "buf.h"

/* Replaces the glossary with the rows of a CSV file (acronym, expansion);
 * nothing changes on error; returns the rows read, or -1 with err set. */
int content_import_glossary(const char *path, struct buf *err);

#endif
