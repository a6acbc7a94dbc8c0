/* export.h — the network written as a content/ folder. */
#ifndef MAILLAGE_EXPORT_H
#define MAILLAGE_EXPORT_H

#include "buf.h"

/* Writes the network as a content/ folder into dir (created if missing):
 * importing it gives back the same network, and exporting an import of the
 * canonical files gives them back byte for byte. 0, or -1 with err set. */
int export_dir(const char *dir, struct buf *err);

#endif
