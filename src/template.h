/* template.h — the Mustache subset: interpolation, sections, inverted
 * sections, comments and partials, over jansson values. */
#ifndef MAILLAGE_TEMPLATE_H
#define MAILLAGE_TEMPLATE_H

#include <jansson.h>
#include <stdbool.h>
#include <time.h>

#include "buf.h"

struct tmpl_set;

/* Returns a new empty set of templates; free it with tmpl_set_free. */
struct tmpl_set *tmpl_set_new(void);
/* Frees the set and every template in it. */
void tmpl_set_free(struct tmpl_set *set);
/* Compiles src[0..len) under name (replacing a template of that name);
 * on error returns -1 and writes a French message with the line to err. */
int tmpl_add(struct tmpl_set *set, const char *name, const char *src, size_t len,
	     struct buf *err);
/* Loads every NAME.mustache file of dir into the set; -1 and err on failure. */
int tmpl_load_dir(struct tmpl_set *set, const char *dir, struct buf *err);
/* Tells whether a file of the directory the set was loaded from changed. */
bool tmpl_dir_changed(const struct tmpl_set *set);
/* Takes the folder's files as they are now as seen, so that
 * tmpl_dir_changed tells of the next change only. */
void tmpl_dir_seen(struct tmpl_set *set);
/* Tells whether the set holds a template called name. */
bool tmpl_exists(const struct tmpl_set *set, const char *name);
/* Renders template name with data as the root context, appending to out;
 * returns -1 when there is no such template. */
int tmpl_render(const struct tmpl_set *set, const char *name, json_t *data,
		struct buf *out);

#endif
