/* doc.c — the network's Markdown documents: rendered with the glossary and
 * the wiki-link targets of the database. */
#include "doc.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "text.h"

/* Appends the URL of the page a wiki link names; tells whether there is one. */
bool doc_wiki_target(const char *target, struct buf *href, void *ctx)
{
	(void)ctx;
	struct buf slug = {0};
	text_slugify(&slug, target, strlen(target), 80);
	json_t *row = db_row("SELECT slug FROM organisation WHERE slug = ? OR acronym = ? "
			     "COLLATE NOCASE OR name = ? COLLATE NOCASE LIMIT 1", "ttt",
			     buf_str(&slug), target, target);
	buf_free(&slug);
	const char *s = json_string_value(json_object_get(row, "slug"));
	if (s)
		buf_printf(href, "/organisations/%s", s);
	json_decref(row);
	return s != NULL;
}

/* Renders md[0..len) as the server stores it; 0 or -1. */
int doc_render(const char *md, size_t len, struct buf *html, struct buf *plain,
	       struct md_actions *actions)
{
	json_t *rows = db_rows("SELECT acronym, expansion FROM glossary ORDER BY acronym", NULL);
	size_t n = json_array_size(rows);
	struct md_glossary *g = n ? calloc(n, sizeof(*g)) : NULL;
	for (size_t i = 0; i < n; i++) {
		json_t *r = json_array_get(rows, i);
		g[i].acronym = json_string_value(json_object_get(r, "acronym"));
		g[i].expansion = json_string_value(json_object_get(r, "expansion"));
	}
	struct md_opts o = {.glossary = g, .nglossary = n, .wiki = doc_wiki_target};
	int rc = md_render(md, len, &o, html, plain, actions);
	free(g);
	json_decref(rows);
	return rc;
}
