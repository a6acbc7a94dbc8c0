/* view.h — the template set every page and every mail is filled from
 * (read again as its files change, in development), and the helpers that
 * prepare rows for it. */
#ifndef MAILLAGE_VIEW_H
#define MAILLAGE_VIEW_H

#include <jansson.h>
#include <stdbool.h>

#include "buf.h"

/* Loads the templates of dir (which must hold Maillage's own); with dev,
 * they are read again when a file changes. 0, or -1 with a French message
 * in err (the set loaded before, if any, stays). */
int view_init(const char *dir, bool dev, struct buf *err);
/* Frees the templates. */
void view_free(void);
/* Appends template tmpl rendered over data (kept) to out; 0, or -1 when
 * there is no such template. */
int view_fill(const char *tmpl, json_t *data, struct buf *out);
/* Adds to each row the French spelling (« 12 mars 2026 ») of its date
 * field src, as dst. */
void view_dates_fr(json_t *rows, const char *src, const char *dst);
/* Sets d[key] to a count with its noun in French ("1 adresse", "3 adresses"). */
void view_count(json_t *d, const char *key, long long n, const char *one, const char *many);

#endif
