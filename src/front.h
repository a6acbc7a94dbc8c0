/* front.h — YAML front matter (libyaml) of the content/ files. */
#ifndef MAILLAGE_FRONT_H
#define MAILLAGE_FRONT_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"

struct front {
	json_t *data;       /* the front matter as a JSON object (scalars as strings) */
	json_t *lines;      /* each top-level key → its line in the file */
	const char *body;   /* what follows the closing "---" line */
	size_t body_len;
	int body_line;      /* line where the body starts */
};

/* Splits text[0..len) into its front matter (between "---" lines at the top;
 * a BOM and CRLF are accepted) and its body; returns 0, or -1 with a French
 * message naming the line in err. A file without front matter is refused. */
int front_parse(const char *text, size_t len, struct front *f, struct buf *err);
/* Checks that every key of the front matter is in allowed (NULL-terminated);
 * returns 0, or -1 with the first unknown key and its line in err. */
int front_check_keys(const struct front *f, const char *const *allowed, struct buf *err);
/* Returns the string value of key, or NULL. */
const char *front_str(const struct front *f, const char *key);
/* Frees what front_parse made. */
void front_free(struct front *f);

#endif
