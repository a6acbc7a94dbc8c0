/* asset.h — the static files (CSS, JavaScript, icons) held in memory with
 * their ETags, and the version of the whole set for cache-busting URLs. */
#ifndef MAILLAGE_ASSET_H
#define MAILLAGE_ASSET_H

#include <stddef.h>

#include "buf.h"

/* One file of the assets folder, held in memory. */
struct asset {
	char *name;
	char *data;
	size_t len;
	const char *type; /* its Content-Type */
	char etag[24];
};

/* Loads the files of dir into memory (replacing those loaded before); 0 or
 * -1 with a French message in err. */
int asset_load_dir(const char *dir, struct buf *err);
/* Frees the loaded files. */
void asset_free(void);
/* Returns a short hash of every file, for cache-busting URLs. */
const char *asset_version(void);
/* Returns the loaded file called name, or NULL. */
const struct asset *asset_find(const char *name);

#endif
