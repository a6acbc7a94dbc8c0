/* doc.h — the network's Markdown documents: rendered with the glossary and
 * the wiki-link targets of the database. */
#ifndef MAILLAGE_DOC_H
#define MAILLAGE_DOC_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"
#include "markdown.h"

/* Renders md[0..len), which a NUL byte follows, as the server stores it,
 * for a text of this visibility ("public", "members", "internal"; NULL is
 * public): a wiki link resolves only to a page that everyone who may read
 * the text may read (an internal body, for an internal text only); 0 or -1. */
int doc_render(const char *md, size_t len, const char *visibility, struct buf *html,
	       struct buf *plain, struct md_actions *actions);
/* Renders like doc_render; the minutes of meeting_id (0: none) show each
 * action with its owner, due date and state as its row says. */
int doc_render_minutes(long long meeting_id, const char *md, size_t len, const char *visibility,
		       struct buf *html, struct buf *plain, struct md_actions *actions);
/* Renders again the stored minutes of meeting id (one of its actions
 * changed); 0 or -1. */
int doc_refresh_minutes(long long id);
/* Appends the URL of the page a wiki link names (commune, body or
 * organisation); tells whether there is one. ctx points to a bool: whether
 * the text is internal (then an internal body is a target too). */
bool doc_wiki_target(const char *target, struct buf *href, void *ctx);
/* Counts the stored documents rendered by an older renderer; -1 on error. */
long long doc_stale_count(void);
/* Re-renders the stored documents of an older renderer, in small
 * transactions; returns how many, or -1 on error. */
long long doc_refresh_stale(void);

/* Marks as stale (doc_refresh_stale renders them again) the stored
 * documents whose Markdown mentions term; returns how many, or -1. */
long long doc_mark_mentioning(const char *term);
/* Forgets the calling thread's copy of the glossary (call after changing
 * it on this connection). */
void doc_glossary_changed(void);

/* An example of the editor's help panel. */
struct doc_example {
	const char *title;  /* « Gras » */
	const char *source; /* what to type */
	const char *expect; /* a piece of the HTML it must give */
};
extern const struct doc_example doc_examples[];
extern const size_t doc_nexamples;
/* Returns the help panel's examples rendered as the server stores texts:
 * [{title, source, html}] (new reference). */
json_t *doc_help(void);

#endif
